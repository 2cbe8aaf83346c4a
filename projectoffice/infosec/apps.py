from django.apps import AppConfig


class InfosecConfig(AppConfig):
    name = "projectoffice.infosec"
    label = "infosec"
    verbose_name = "Information security"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the security controls register)
