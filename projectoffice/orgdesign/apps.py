from django.apps import AppConfig


class OrgDesignConfig(AppConfig):
    name = "projectoffice.orgdesign"
    label = "orgdesign"
    verbose_name = "Organisational design"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the registers and the service)
