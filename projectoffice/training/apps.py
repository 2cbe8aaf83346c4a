from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "projectoffice.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the registers and the service)
