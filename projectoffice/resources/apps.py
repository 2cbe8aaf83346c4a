from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "projectoffice.resources"
    label = "resources"
    verbose_name = "Resources"
