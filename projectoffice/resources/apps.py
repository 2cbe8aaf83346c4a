from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "projectoffice.resources"
    label = "resources"
    verbose_name = "Resources"

    def ready(self) -> None:
        # The resources app builds on plans: it follows their edits through the planning
        # app's events and gives planning the costs and resources its pages and files show.
        from . import plan_hooks

        plan_hooks.connect()
