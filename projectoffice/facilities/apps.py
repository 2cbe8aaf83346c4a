from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "projectoffice.facilities"
    label = "facilities"
    verbose_name = "Requests and facilities"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the requests register)
