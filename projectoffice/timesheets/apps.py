from django.apps import AppConfig


class TimesheetsConfig(AppConfig):
    name = "projectoffice.timesheets"
    label = "timesheets"
    verbose_name = "Timesheets"

    def ready(self) -> None:
        from projectoffice.planning.file_update import recorded_work_from

        from .queries import booked_task_uids

        # A plan updated from a file keeps the tasks people booked time on.
        recorded_work_from(booked_task_uids)
