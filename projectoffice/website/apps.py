from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "projectoffice.website"
    label = "website"
    verbose_name = "Project website"

    def ready(self) -> None:
        from . import services  # noqa: F401  (declares the "Website" service)
