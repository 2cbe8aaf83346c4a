from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "projectoffice.engagement"
    label = "engagement"
    verbose_name = "Stakeholders and communications"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the registers and the service)
