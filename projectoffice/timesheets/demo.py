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



# The current week mid-flow: whose week is a draft, submitted (waiting for the project
# managers) or approved.  People not listed leave theirs untouched.
WEEK_STATES = {"omar": "submitted", "paula": "submitted", "hana": "submitted",
               "nina": "approved", "george": "approved", "dan": "draft"}


def demo_current_week(people: dict[str, Any], today: dt.date) -> None:
    """Each of the team books the current week's working days up to ``today`` — the time
    the finance demo saved for the progress recorded, else their planned hours; nothing on
    their days of approved absence, nothing on a part already approved — with the week
    page's action, then submits it, or submits it and has each project's manager approve
    it, or keeps it a draft."""
    from .queries import monday_of
    from .week_queries import person_week

    monday = monday_of(today)
    last = min((today - monday).days, 4)
    for username, state in WEEK_STATES.items():
        person = people.get(username)
        if person is None:
            continue
        week = person_week(person, monday)
        lines: list[dict[str, Any]] = []
        for row in week["rows"]:
            if not row["editable"] or not row["assignment_id"] or row["overtime"]:
                continue
            saved = [Decimal(h) for h in row["hours"]]
            hours = [Decimal(0)] * 7
            for d in range(last + 1):
                away = week["absent"][d]
                if away is None or not away.whole:
                    hours[d] = saved[d] if any(saved) else (
                        row["planned"][d] * 2).quantize(Decimal(1)) / 2
            if any(hours) or any(saved):  # saved time on a day away is taken off
                lines.append({"assignment_id": row["assignment_id"],
                              "hours": [str(h) for h in _within_a_day(lines, hours)],
                              "note": "" if len(lines) % 3 else "As planned"})
        if not lines:
            continue
        versions = {p["code"]: p["version"] for p in week["parts"] if p["version"]}
        actions.save_week(actor=person, week_start=monday, versions=versions, lines=lines)
        if state == "draft" or not any(Decimal(h) for line in lines for h in line["hours"]):
            continue
        for sheet in actions.submit_week(actor=person, week_start=monday):
            if state == "approved":
                approver = next(iter(actions.approvers(sheet.project)), None)
                if approver is not None:
                    actions.decide_part(actor=approver, timesheet_id=sheet.pk,
                                        version=sheet.version, approve=True)


def _within_a_day(lines: list[dict[str, Any]], hours: list[Decimal]) -> list[Decimal]:
    """Caps each day at what is left of 10 hours after the lines before (a person planned
    on parallel tasks does not work them all in full)."""
    booked = [sum((Decimal(line["hours"][d]) for line in lines), Decimal(0)) for d in range(7)]
    return [max(Decimal(0), min(h, Decimal(10) - booked[d])) for d, h in enumerate(hours)]
