"""Demo resource levelling: one project keeps an over-allocated person for the usage
histogram and the levelling preview to show; another is levelled, so its plan carries
levelling delays.  The levelled project's build phase comes back from its supplier as an MS
Project file with the supplier's team on it.  Everything goes through the actions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

from django.test.utils import override_settings

from projectoffice.background.models import RunState
from projectoffice.formats.mspdi_codes import NAMESPACE
from projectoffice.planning.exchange import export_mspdi
from projectoffice.planning.imports import start_plan_import
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources.models import Resource

from . import actions
from .usage import project_usage


def demo_levelling(project: Project, manager: Any, *, level: bool) -> None:
    usage = [u for u in project_usage(project) if u.weeks and u.resource.user_id]
    if not usage:
        return
    # The busiest person works part time from now on: their parallel tasks no longer fit.
    busiest = max(usage, key=lambda u: (u.peak_units, u.resource.name))
    resource = busiest.resource
    peak = Decimal(busiest.peak_units)
    limit = Decimal(60) if peak > 60 else max(Decimal(10), (peak / 2).quantize(Decimal(1)))
    actions.update_resource(actor=manager, project=project, resource_id=resource.pk,
                            version=resource.version, changes={"max_units": limit})
    if level:
        # Levelled on its own, as its manager first did: the levelling page then shows how
        # much further the plan would move with room kept for the team's other projects.
        plan = Plan.objects.get(project=project)
        actions.level_resources(actor=manager, project=project, version=plan.version,
                                other_projects=False)


SUPPLIER = "Northwind build team"
AT_ONCE = {"default": {"BACKEND": "projectoffice.jobs.backends.AtOnceDatabaseBackend",
                       "QUEUES": []}}


def demo_supplier_import(project: Project, manager: Any) -> None:
    """Our MS Project export, with the supplier's team (two people, their rates; one of them
    on each unfinished core platform and interfaces task) imported back: the team becomes a
    resource with its rates from the plan start, and those tasks' assignments are the
    file's."""
    build = PlanTask.objects.filter(plan__project=project, name="Build", outline_level=1).first()
    if build is None:
        return
    tasks = list(PlanTask.objects.filter(
        plan__project=project, summary=False, milestone=False, percent_complete__lt=100,
        position__gt=build.position, outline_level=3,
        name__regex=r" (core platform|interfaces)$").values_list("uid", flat=True))
    if not tasks:
        return
    ET.register_namespace("", NAMESPACE)
    root = ET.fromstring(export_mspdi(project))

    def section(name: str) -> ET.Element:
        found = root.find(f"{{{NAMESPACE}}}{name}")
        return found if found is not None else ET.SubElement(root, f"{{{NAMESPACE}}}{name}")

    def add(parent: ET.Element, tag: str, fields: dict[str, str]) -> None:
        element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
        for name, text in fields.items():
            ET.SubElement(element, f"{{{NAMESPACE}}}{name}").text = text

    resources, assignments = section("Resources"), section("Assignments")
    uid = len(resources) + 1
    add(resources, "Resource", {"UID": str(uid), "Name": SUPPLIER, "Type": "1",
                                "MaxUnits": "2", "StandardRate": "95",
                                "StandardRateFormat": "2", "OvertimeRate": "130",
                                "OvertimeRateFormat": "2"})
    for n, task_uid in enumerate(tasks, start=len(assignments) + 1):
        add(assignments, "Assignment", {"UID": str(n), "TaskUID": str(task_uid),
                                        "ResourceUID": str(uid), "Units": "1"})
    # Imported as a planner would from the page: a background job, run here at once so the
    # demo's later steps find the team (the Jobs page lists the finished import).
    with override_settings(TASKS=AT_ONCE):
        run = start_plan_import(actor=manager, project=project,
                                data=ET.tostring(root, encoding="utf-8", xml_declaration=True),
                                filename=f"{project.code} with {SUPPLIER}.xml")
    if run.state != RunState.DONE:
        raise RuntimeError(f"The demo's supplier import failed: {run.message}")
    team = Resource.objects.filter(project=project, name=SUPPLIER).first()
    if team is not None:  # a work resource: its skills are its own, not a profile's
        actions.update_resource(actor=manager, project=project, resource_id=team.pk,
                                version=team.version, changes={"skills": SUPPLIER_SKILLS})


SUPPLIER_SKILLS = "Java, Kubernetes, integration testing, data migration"
