from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "projectoffice.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from projectoffice.registers.spec import when_saved

        from .index import index_item

        # Every register item is indexed when it is created or edited.
        when_saved(index_item)
