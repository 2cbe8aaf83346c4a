from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "projectoffice.controls"
    label = "controls"
    verbose_name = "Project controls"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the registers)
