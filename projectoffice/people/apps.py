from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "projectoffice.people"
    label = "people"
    verbose_name = "People, whereabouts and contacts"

    def ready(self) -> None:
        from . import registers  # noqa: F401  (declares the enquiry log)
