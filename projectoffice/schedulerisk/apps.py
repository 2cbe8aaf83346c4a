from typing import Any

from django.apps import AppConfig


class ScheduleRiskConfig(AppConfig):
    name = "projectoffice.schedulerisk"
    label = "schedulerisk"
    verbose_name = "Schedule health and risk"

    def ready(self) -> None:
        from projectoffice.planning.editor import status_date_set

        from .actions import keep_health_record

        def status_set(sender: object, actor: Any, project: Any, status_date: Any,
                       **kwargs: Any) -> None:
            keep_health_record(actor=actor, project=project, status_date=status_date)

        # Each status date keeps the plan's health as it stood then.
        status_date_set.connect(status_set, dispatch_uid="schedulerisk-health-record",
                               weak=False)
