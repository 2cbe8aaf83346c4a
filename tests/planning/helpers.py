"""Small plans built through the actions, for the planning tests."""

from __future__ import annotations

from typing import Any

from projectoffice.planning import actions
from projectoffice.planning.models import Plan, PlanTask


def build(user: Any, project: Any, rows: list[dict[str, Any]]) -> Plan:
    """Inserts rows in order (each a dict of edit fields, e.g. name, duration, predecessors,
    level) through one bulk edit."""
    plan = Plan.objects.filter(project=project).first()
    edits = [{"op": "insert", **row} for row in rows]
    return actions.edit_plan(actor=user, project=project,
                             version=plan.version if plan else None, edits=edits)


def task(project: Any, row: int) -> PlanTask:
    return PlanTask.objects.get(plan__project=project, position=row)


SIMPLE = [
    {"name": "Design", "duration": "5d"},
    {"name": "Build", "duration": "10d", "predecessors": "1"},
    {"name": "Docs", "duration": "3d", "predecessors": "1"},
    {"name": "Release", "duration": "0d", "predecessors": "2, 3"},
]


def make_plan(office: Any) -> Plan:
    """The plan the permission matrix works on: built, with a status date and one edit to
    undo."""
    import datetime as dt

    plan = build(office.pm, office.project, SIMPLE)
    plan = actions.set_plan_settings(actor=office.pm, project=office.project,
                                     version=plan.version, status_date=dt.date(2026, 1, 7))
    plan = actions.save_calendar(actor=office.pm, project=office.project, version=plan.version,
                                 uid=SPARE_CALENDAR, name="Spare",
                                 week=[[[480, 960]]] * 5 + [[], []], exceptions=[])
    return actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                             edits=[{"uid": 1, "name": "Design and plan"}])


SPARE_CALENDAR = 9  # a calendar no task uses, for the matrix to remove


def plan_bodies(office: Any) -> dict[str, Any]:
    version = Plan.objects.get(project=office.project).version
    week = [[[480, 720], [780, 1020]]] * 5 + [[], []]
    return {
        "POST /projects/{code}/plan/edits": {"version": version, "edits": [
            {"op": "insert", "name": "Matrix task", "duration": "2d", "predecessors": "1"}]},
        "POST /projects/{code}/plan/undo": {"version": version},
        "PATCH /projects/{code}/plan": {"version": version, "status_date": "2026-01-09"},
        "POST /projects/{code}/plan/progress": {"version": version},
        "POST /projects/{code}/plan/baselines": {"number": 1, "name": "Matrix"},
        "POST /projects/{code}/plan/calendars": {"version": version, "uid": 2,
                                                 "name": "Night shift", "week": week},
        "PUT /me/plan-layout": {"columns": ["notes", "start"], "grid_width": 480},
    }


def plan_file(office: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projectoffice.planning.exchange import export_mspdi

    return SimpleUploadedFile("plan.xml", export_mspdi(office.project),
                              content_type="application/xml")
