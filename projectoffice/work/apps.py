from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "projectoffice.work"
    label = "work"
    verbose_name = "My work"
