from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "projectoffice.background"
    label = "background"
    verbose_name = "Work in the background"

    def ready(self) -> None:
        # The job that carries out every run registers itself on import.
        from . import runs  # noqa: F401
