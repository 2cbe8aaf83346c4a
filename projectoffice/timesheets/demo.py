"""Demo corrections of locked time: the project manager adds an hour forgotten on one
day and books an evening's overtime on another, the way adjustments are used.  Everything
goes through the actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projectoffice.portfolio.models import Project

from . import actions
from .models import Timesheet, TimesheetStatus


def demo_adjustments(project: Project, manager: Any) -> None:
    """Two adjustments on the latest approved week that has time on an assignment."""
    sheets = (Timesheet.objects.filter(project=project, status=TimesheetStatus.APPROVED)
              .order_by("-week_start", "person__username").prefetch_related("lines"))
    for sheet in sheets[:5]:
        booked = [(line, d) for line in sheet.lines.all() if line.assignment_id
                  for d, hours in enumerate(line.day_hours()) if hours >= 1]
        if not booked:
            continue
        (first, day), (last, other) = booked[0], booked[-1]
        assert first.assignment_id is not None and last.assignment_id is not None
        actions.adjust_time(
            actor=manager, project=project, timesheet_id=sheet.pk,
            assignment_id=first.assignment_id, date=sheet.week_start + dt.timedelta(days=day),
            hours=Decimal(1), reason="Workshop hour left off the timesheet")
        actions.adjust_time(
            actor=manager, project=project, timesheet_id=sheet.pk,
            assignment_id=last.assignment_id, date=sheet.week_start + dt.timedelta(days=other),
            hours=Decimal("2.5"), reason="Evening cut-over rehearsal agreed with the sponsor",
            overtime=True)
        return

