from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "projectoffice.reports"
    label = "reports"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from . import services  # noqa: F401  (declares the Reporting service)
