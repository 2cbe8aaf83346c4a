from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "projectoffice.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # The office's jobs register themselves on import; the retry hook listens for the end
        # of every job, in the worker and wherever jobs run at once.
        from projectoffice.audit.actions import projects_changed

        from . import checks, retry, tasks  # noqa: F401

        # A write that changes projects' data has their figures computed again in the
        # background (finance/warm.py), for the next roll-up to read.
        projects_changed.connect(tasks.figures_changed, dispatch_uid="jobs-warm-figures")
