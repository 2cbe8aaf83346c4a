from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "projectoffice.notices"
    label = "notices"
    verbose_name = "Announcements"
