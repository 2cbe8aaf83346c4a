from django.apps import AppConfig


class ArchitectureConfig(AppConfig):
    name = "projectoffice.architecture"
    label = "architecture"
    verbose_name = "Architecture"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (decision records, components, standards)
