from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "projectoffice.finance"
    label = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the benefits register)
