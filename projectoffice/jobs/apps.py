from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "projectoffice.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # The office's jobs register themselves on import; the retry hook listens for the end
        # of every job, in the worker and wherever jobs run at once.
        from . import checks, retry, tasks  # noqa: F401
