from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "projectoffice.support"
    label = "support"
    verbose_name = "Support desk and assets"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the asset and ticket registers)
