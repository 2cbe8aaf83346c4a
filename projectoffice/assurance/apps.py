from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "projectoffice.assurance"
    label = "assurance"
    verbose_name = "Deliverable assurance"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the registers and the service)
