from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "projectoffice.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from projectoffice.search.index import register_source

        from .actions import reindex_meetings

        register_source("meetings", "Meetings", reindex_meetings)
