from django.apps import AppConfig


class ScheduleRiskConfig(AppConfig):
    name = "projectoffice.schedulerisk"
    label = "schedulerisk"
    verbose_name = "Schedule health and risk"
