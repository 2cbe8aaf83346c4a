from django.apps import AppConfig


class DataManagementConfig(AppConfig):
    name = "projectoffice.datamgmt"
    label = "datamgmt"
    verbose_name = "Data management"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the data registers and service)
