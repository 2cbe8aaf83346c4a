from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "projectoffice.web"
    label = "web"
    verbose_name = "Web interface"
