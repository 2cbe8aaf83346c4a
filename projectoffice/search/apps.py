from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "projectoffice.search"
    label = "search"
    verbose_name = "Search"
