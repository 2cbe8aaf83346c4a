from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from projectoffice.engine import benefits as engine
from projectoffice.finance import benefits, charts, forms
from projectoffice.planning.models import PlanTask

register = template.Library()


@register.simple_tag(takes_context=True)
def benefit_panel(context: Any, item: Any) -> dict[str, Any]:
    """What the benefit's page shows below its description: where it stands, the chart of
    its trajectory and measurements, the readings and the form to add one."""
    today = timezone.localdate()
    state = benefits.state_of(item, list(item.measurements.all()))
    milestone = None
    if item.milestone_uid is not None:
        milestone = (PlanTask.objects.filter(plan__project=item.project, uid=item.milestone_uid)
                     .only("uid", "name", "finish").first())
    form = context.get("measure_form") or forms.MeasurementForm(
        initial={"measured_on": today})
    return {"state": state, "svg": charts.benefit_svg(state, today), "form": form,
            "milestone": milestone, "today": today,
            "readings": [(m, _percent(item, m.value)) for m in reversed(state.measurements)]}


def _percent(item: Any, value: Any) -> Any:
    if item.baseline_value is None or item.target_value in (None, item.baseline_value):
        return None
    return engine.percent_realised(item.baseline_value, item.target_value, value)
