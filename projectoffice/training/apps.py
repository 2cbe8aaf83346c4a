from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "projectoffice.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from projectoffice.engagement.readiness import trained_shares_from

        from . import registers  # noqa: F401  (declares the registers and the service)
        from .queries import trained_shares

        trained_shares_from(trained_shares)
