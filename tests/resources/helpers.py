"""Request bodies of the resource and levelling operations for the permission matrix."""

from __future__ import annotations

from typing import Any

from projectoffice.planning.models import Plan


def levelling_bodies(office: Any) -> dict[str, Any]:
    plan = Plan.objects.filter(project=office.project).first()
    version = plan.version if plan else 1
    return {
        "PATCH /projects/{code}/resources/{resource_id}": {"version": 1, "max_units": "80"},
        "POST /projects/{code}/plan/level": {"version": version},
        "POST /projects/{code}/plan/clear-levelling": {"version": version},
    }
