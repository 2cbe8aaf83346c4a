from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "projectoffice.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from projectoffice.engagement.readiness import trained_shares_from
        from projectoffice.registers.spec import when_created

        from . import registers  # noqa: F401  (declares the registers and the service)
        from .actions import propose_need
        from .queries import trained_shares

        def need_from_impact(actor: object, item: object) -> None:
            propose_need(actor=actor, impact=item)  # type: ignore[arg-type]

        # Each new change impact proposes a training need for its group.
        when_created("change-impacts", need_from_impact)
        trained_shares_from(trained_shares)
