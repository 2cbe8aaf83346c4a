from typing import Any

from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "projectoffice.controls"
    label = "controls"
    verbose_name = "Project controls"

    def ready(self) -> None:
        from projectoffice.planning.editor import plans_rescheduled
        from projectoffice.portfolio.health import provide_health_inputs

        from . import registers  # noqa: F401  (declares the registers)
        from .handoffs import tell_late_dependencies
        from .health import health_inputs

        provide_health_inputs("controls", health_inputs)

        def rescheduled(sender: Any, actor: Any, plan_ids: list[int],
                        **kwargs: Any) -> None:
            tell_late_dependencies(actor=actor, plan_ids=plan_ids)

        # Internal dependencies on the rescheduled plans' tasks may have become late.
        plans_rescheduled.connect(rescheduled, dispatch_uid="controls-late-dependencies",
                                 weak=False)
