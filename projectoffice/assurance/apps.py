from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "projectoffice.assurance"
    label = "assurance"
    verbose_name = "Deliverable assurance"

    def ready(self) -> None:
        from . import (  # noqa: F401  (declare the registers and the services)
            quality_registers,
            registers,
        )
