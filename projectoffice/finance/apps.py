from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "projectoffice.finance"
    label = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        from projectoffice.portfolio.health import provide_health_inputs

        from . import registers  # noqa: F401  (declares the benefits register)
        from .health import health_inputs

        provide_health_inputs("finance", health_inputs)
