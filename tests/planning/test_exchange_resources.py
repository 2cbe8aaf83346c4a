"""Resources and assignments through MS Project XML: export, import (matched, created,
linked to members, rates from the plan start), the all-or-nothing check and MPXJ reading our
file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from projectoffice.audit.models import AuditEntry
from projectoffice.errors import InvalidInput
from projectoffice.planning.exchange import export_mspdi, import_mspdi
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.resources import actions as res
from projectoffice.resources.models import Assignment, Rate, Resource
from tests.planning.helpers import build

START = dt.date(2026, 1, 5)


def staffed(office: Any) -> dict[str, Resource]:
    """MTX: Design 5d, Build 10d, Docs 3d; a person linked to the team member, a crane, a
    material and a cost resource, with rates and assignments."""
    build(office.pm, office.project, [
        {"name": "Design", "duration": "5d"},
        {"name": "Build", "duration": "10d", "predecessors": "1"},
        {"name": "Docs", "duration": "3d", "predecessors": "1"},
    ])
    project, pm = office.project, office.pm
    member = office.members["team_member"]
    member.email = "tess@example.org"
    member.save()
    tess = res.create_resource(actor=pm, project=project, name="Tess Member",
                               user=office.members["team_member"], max_units=Decimal(80))
    crane = res.create_resource(actor=pm, project=project, name="Crane", kind="work",
                                max_units=Decimal(50))
    concrete = res.create_resource(actor=pm, project=project, name="Concrete",
                                   kind="material", unit="tonne")
    travel = res.create_resource(actor=pm, project=project, name="Travel", kind="cost",
                                 unit="trip")
    res.set_rate(actor=pm, resource=tess, effective_from=dt.date(2025, 1, 1),
                 standard=Decimal(50), overtime=Decimal(75), cost_per_use=Decimal(10))
    res.set_rate(actor=pm, resource=tess, effective_from=dt.date(2026, 2, 1),
                 standard=Decimal(55), overtime=Decimal(80), cost_per_use=Decimal(10))
    res.set_rate(actor=pm, resource=crane, effective_from=START, standard=Decimal(120))
    res.set_rate(actor=pm, resource=concrete, effective_from=START, standard=Decimal(90))
    res.assign_resource(actor=pm, project=project, resource_id=tess.pk, task_uid=1)
    res.assign_resource(actor=pm, project=project, resource_id=tess.pk, task_uid=2,
                        units=Decimal(50), work=Decimal(40))
    res.assign_resource(actor=pm, project=project, resource_id=crane.pk, task_uid=2,
                        units=Decimal(50))
    res.assign_resource(actor=pm, project=project, resource_id=concrete.pk, task_uid=2,
                        work=Decimal("12.5"))
    return {"tess": tess, "crane": crane, "concrete": concrete, "travel": travel}


def resources_of(project: Any) -> dict[str, tuple[Any, ...]]:
    """Name -> kind, max units, latest (standard, overtime, cost per use)."""
    found = {}
    for r in Resource.objects.filter(project=project):
        rate = Rate.objects.filter(resource=r).order_by("-effective_from").first()
        found[r.name] = (r.kind, r.max_units,
                         (rate.standard, rate.overtime, rate.cost_per_use) if rate else None)
    return found


def assignments_of(project: Any) -> set[tuple[str, int, Decimal, Decimal]]:
    return {(a.resource.name, a.task_uid, a.units, a.work)
            for a in Assignment.objects.filter(project=project).select_related("resource")}


def test_round_trip_into_a_new_project(office: Any) -> None:
    staffed(office)
    data = export_mspdi(office.project)
    text = data.decode()
    assert "<EmailAddress>tess@example.org</EmailAddress>" in text
    assert "<CostPerUse>1000</CostPerUse>" in text  # in hundredths, as MSPDI has money
    assert "<OvertimeRate>80.00</OvertimeRate>" in text
    assert "<Work>PT12H30M0S</Work>" in text  # 12.5 tonnes of concrete
    member = office.members["team_member"]
    portfolio_actions.add_member(actor=office.pmo, project=office.other, user=member,
                                 role="team_member")
    import_mspdi(actor=office.pmo, project=office.other, data=data)
    ours, theirs = resources_of(office.project), resources_of(office.other)
    # A work resource without a member to link comes in as a person; the rest match.
    assert theirs.pop("Crane")[1:] == ours.pop("Crane")[1:]
    assert theirs["Tess Member"] == ("person", Decimal(80), (Decimal(55), Decimal(80),
                                                             Decimal(10)))
    assert theirs == ours
    # The file's rates are in force from the plan's start.
    assert set(Rate.objects.filter(resource__project=office.other)
               .values_list("effective_from", flat=True)) == {START}
    assert assignments_of(office.other) == assignments_of(office.project)
    # Linked by the e-mail address to the member of OTHER it stands for.
    assert Resource.objects.get(project=office.other, name="Tess Member").user == member
    assert Resource.objects.get(project=office.other, name="Crane").user is None
    entry = AuditEntry.objects.filter(verb="assignments imported").get()
    assert "task 2: Concrete" in entry.changes
    # Importing the same file again changes nothing more.
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    import_mspdi(actor=office.pmo, project=office.other, data=data)
    assert resources_of(office.other) == theirs | {"Crane": resources_of(office.other)["Crane"]}
    assert not AuditEntry.objects.filter(pk__gt=before, verb__in=[
        "assignments imported", "rate set", "created"]).exists()


RESOURCES = """
 <Resources>
  <Resource><UID>0</UID><ID>0</ID><Type>1</Type><IsNull>0</IsNull></Resource>
  <Resource><UID>1</UID><Name>Tess Member</Name><Type>1</Type><MaxUnits>0.6</MaxUnits>
   <StandardRate>65</StandardRate><OvertimeRate>90</OvertimeRate></Resource>
  <Resource><UID>2</UID><Name>Planner Person</Name><Type>1</Type>
   <EmailAddress>PLANNER@example.org</EmailAddress><StandardRate>70</StandardRate></Resource>
  <Resource><UID>3</UID><Name>Gravel</Name><Type>0</Type><StandardRate>20</StandardRate>
  </Resource>
 </Resources>
 <Assignments>
  <Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID>
   <Units>1</Units><Work>PT80H0M0S</Work></Assignment>
  <Assignment><UID>2</UID><TaskUID>3</TaskUID><ResourceUID>2</ResourceUID>
   <Units>0.5</Units></Assignment>
  <Assignment><UID>3</UID><TaskUID>3</TaskUID><ResourceUID>3</ResourceUID>
   <Units>1</Units><Work>PT4H0M0S</Work></Assignment>
  <Assignment><UID>4</UID><TaskUID>1</TaskUID><ResourceUID>-65535</ResourceUID>
   <Units>1</Units><Work>PT40H0M0S</Work></Assignment>
 </Assignments>
"""


def with_resources(data: bytes, block: str) -> bytes:
    """The exported plan with its resources and assignments replaced by ``block``."""
    text = data.decode()
    head = text.split("<Resources>")[0] if "<Resources>" in text else \
        text.split("</Project>")[0]
    return (head + block + "</Project>\n").encode()


def test_import_matches_links_and_replaces(office: Any) -> None:
    world = staffed(office)
    planner = office.members["planner"]
    planner.email = "planner@example.org"
    planner.save()
    data = with_resources(export_mspdi(office.project), RESOURCES)
    import_mspdi(actor=office.pm, project=office.project, data=data)
    tess = Resource.objects.get(pk=world["tess"].pk)
    assert tess.max_units == Decimal(60)
    # A rate from the plan start (the file's differ from those then in force).
    assert [(r.effective_from, r.standard, r.overtime) for r in tess.rates.all()] == [
        (dt.date(2025, 1, 1), Decimal(50), Decimal(75)), (START, Decimal(65), Decimal(90)),
        (dt.date(2026, 2, 1), Decimal(55), Decimal(80))]
    linked = Resource.objects.get(project=office.project, name="Planner Person")
    assert (linked.user, linked.kind) == (planner, "person")
    gravel = Resource.objects.get(project=office.project, name="Gravel")
    assert (gravel.kind, gravel.unit) == ("material", "unit")
    # The file's tasks now carry exactly the file's assignments; Crane and Concrete are
    # still resources of the project, but no longer on Build.
    assert assignments_of(office.project) == {
        ("Tess Member", 2, Decimal(100), Decimal(80)),
        ("Planner Person", 3, Decimal(50), Decimal(12)),  # 3 days at half time
        ("Gravel", 3, Decimal(100), Decimal(4))}
    assert {"Crane", "Concrete", "Travel"} <= set(resources_of(office.project))
    entry = AuditEntry.objects.filter(verb="assignments imported").get()
    assert entry.changes["task 2: Crane"][1] is None
    assert entry.actor == office.pm


def test_a_malformed_file_lists_every_problem_and_changes_nothing(office: Any) -> None:
    staffed(office)
    exported = export_mspdi(office.project)
    bad = with_resources(exported, """
 <Resources>
  <Resource><UID>1</UID><Name>Tess Member</Name><Type>1</Type><MaxUnits>-1</MaxUnits>
  </Resource>
  <Resource><UID>2</UID><Type>1</Type><StandardRate>cheap</StandardRate></Resource>
  <Resource><UID>3</UID><Name>Sand</Name><Type>7</Type></Resource>
 </Resources>
 <Assignments>
  <Assignment><UID>10</UID><TaskUID>99</TaskUID><ResourceUID>1</ResourceUID></Assignment>
  <Assignment><UID>11</UID><TaskUID>1</TaskUID><ResourceUID>42</ResourceUID></Assignment>
  <Assignment><UID>12</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID>
   <Units>-0.5</Units><Work>PT8X</Work></Assignment>
  <Assignment><UID>13</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID></Assignment>
 </Assignments>
""").replace(b"<Name>Design</Name>", b"<Name>Renamed</Name>")
    resources, assignments = resources_of(office.project), assignments_of(office.project)
    audit = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as caught:
        import_mspdi(actor=office.pm, project=office.project, data=bad)
    problems = caught.value.errors["file"]
    assert problems == [
        "Resource UID 1: MaxUnits '-1' is negative",
        "Resource UID 2: the resource has no name",
        "Resource UID 2: StandardRate 'cheap' is not a number",
        "Resource UID 3: unknown Type '7'",
        "Assignment UID 10: TaskUID 99 is not a task in this file",
        "Assignment UID 11: ResourceUID 42 is not a resource in this file",
        "Assignment UID 12: Units '-0.5' is negative",
        "Assignment UID 12: Work 'PT8X' is not a duration",
        "Assignment UID 13: resource UID 1 is on task UID 2 twice",
    ]
    assert "7 problems" not in caught.value.message and "9 problems" in caught.value.message
    assert resources_of(office.project) == resources
    assert assignments_of(office.project) == assignments
    assert PlanTask.objects.get(plan__project=office.project, uid=1).name == "Design"
    assert AuditEntry.objects.count() == audit


def test_time_recorded_on_a_dropped_assignment_stops_the_import(office: Any) -> None:
    from tests.resources.test_rates import approve_week
    from tests.timesheets.helpers import MONDAY, week

    world = staffed(office)
    design = Assignment.objects.get(resource=world["tess"], task_uid=1)
    approve_week(office, office.members["team_member"], MONDAY,
                 [{"assignment_id": design.pk, "hours": week(8)}])
    data = with_resources(export_mspdi(office.project), RESOURCES)
    with pytest.raises(InvalidInput) as caught:
        import_mspdi(actor=office.pm, project=office.project, data=data)
    assert caught.value.errors["file"] == [
        "Task UID 1: Tess Member has time recorded on it, so the assignment the file leaves "
        "out cannot be removed"]
    assert Assignment.objects.filter(pk=design.pk).exists()
    assert not Resource.objects.filter(name="Gravel").exists()
    assert Resource.objects.get(pk=world["tess"].pk).max_units == Decimal(80)


def test_a_planner_imports_the_plan_but_not_the_resources(office: Any) -> None:
    staffed(office)
    data = with_resources(export_mspdi(office.project), RESOURCES).replace(
        b"<Name>Design</Name>", b"<Name>Design again</Name>")
    before = assignments_of(office.project), resources_of(office.project)
    import_mspdi(actor=office.members["planner"], project=office.project, data=data)
    assert PlanTask.objects.get(plan__project=office.project, uid=1).name == "Design again"
    assert (assignments_of(office.project), resources_of(office.project)) == before


def test_api_and_command_share_the_import(office: Any, api_as: Any, tmp_path: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projectoffice.cli import main

    staffed(office)
    data = with_resources(export_mspdi(office.project), RESOURCES)
    pm = api_as(office.pm)
    upload = SimpleUploadedFile("plan.xml", data, content_type="application/xml")
    response = pm.client.post("/api/v1/projects/MTX/plan/import?wait=true", {"file": upload},
                              HTTP_AUTHORIZATION=f"Bearer {pm.token}")
    assert response.status_code == 200, response.content
    assert Resource.objects.filter(project=office.project, name="Gravel").exists()
    path = tmp_path / "other.xml"
    path.write_bytes(data)
    assert main(["import-mspdi", str(path), "--project", "OTHER",
                 "--as", office.pmo.username]) == 0
    assert ("Gravel", 3, Decimal(100), Decimal(4)) in assignments_of(office.other)


@pytest.mark.oracle
def test_mpxj_reads_our_resources_and_assignments(office: Any, tmp_path: Path) -> None:
    from tests.formats.mpxj_oracle import mpxj_oracle

    oracle = mpxj_oracle()
    staffed(office)
    path = tmp_path / "staffed.xml"
    path.write_bytes(export_mspdi(office.project))
    project = oracle.read(path)
    resources = {str(r.getName()): r for r in project.getResources() if r.getName()}
    assert set(resources) == {"Tess Member", "Crane", "Concrete", "Travel"}
    tess = resources["Tess Member"]
    assert float(tess.getMaxUnits().doubleValue()) == 80.0
    assert str(tess.getStandardRate().getUnits()) == "h"
    assert float(tess.getStandardRate().getAmount()) == 55.0
    assert float(tess.getOvertimeRate().getAmount()) == 80.0
    assert float(tess.getCostPerUse().doubleValue()) == 10.0
    assert str(resources["Concrete"].getType()) == "MATERIAL"
    assert str(resources["Travel"].getType()) == "COST"
    found = set()
    for a in project.getResourceAssignments():
        if a.getResource() is None or a.getTask() is None:
            continue
        work = a.getWork()
        found.add((str(a.getResource().getName()), int(a.getTask().getUniqueID()),
                   round(float(a.getUnits().doubleValue()), 2),
                   round(float(work.getDuration()), 2), str(work.getUnits())))
    assert found == {
        ("Tess Member", 1, 100.0, 40.0, "h"), ("Tess Member", 2, 50.0, 40.0, "h"),
        ("Crane", 2, 50.0, 40.0, "h"), ("Concrete", 2, 100.0, 12.5, "h")}


def test_import_page_says_what_comes_in_and_lists_problems(office: Any,
                                                           jobs_at_once: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    staffed(office)
    client = Client()
    client.force_login(office.pm)
    page = client.get("/projects/MTX/plan/import/")
    assert b"assignments of its tasks come in too" in page.content
    bad = with_resources(export_mspdi(office.project), RESOURCES.replace(
        "<TaskUID>3</TaskUID><ResourceUID>3</ResourceUID>",
        "<TaskUID>77</TaskUID><ResourceUID>3</ResourceUID>"))
    response = client.post("/projects/MTX/plan/import/", {
        "file": SimpleUploadedFile("bad.xml", bad, content_type="application/xml")},
        follow=True)
    assert b"Assignment UID 3: TaskUID 77 is not a task in this file" in response.content
    planner = Client()
    planner.force_login(office.members["planner"])
    assert b"yours stay as they are" in planner.get("/projects/MTX/plan/import/").content


def test_a_hand_written_file_brings_its_resource(office: Any) -> None:
    from tests.formats.mspdi_samples import document

    import_mspdi(actor=office.pm, project=office.project, data=document())
    ann = Resource.objects.get(project=office.project, name="Ann")
    assert (ann.kind, ann.max_units, ann.user, list(ann.rates.all())) == (
        "person", Decimal(100), None, [])
    assert assignments_of(office.project) == {("Ann", 2, Decimal(100), Decimal(16))}
