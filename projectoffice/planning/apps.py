from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "projectoffice.planning"
    label = "planning"
    verbose_name = "Plans"

    def ready(self) -> None:
        from projectoffice.portfolio.health import provide_health_inputs

        from .progress import health_inputs

        provide_health_inputs("planning", health_inputs)
