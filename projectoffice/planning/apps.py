from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "projectoffice.planning"
    label = "planning"
    verbose_name = "Plans"
