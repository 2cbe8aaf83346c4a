"""Update from file: tasks matched by UID, recorded time and actuals kept, the changes listed
before they apply (actions, API, CLI, web page); bad files listed problem by problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from benchmarks.mspdi_corpus import default_corpus
from projectoffice.engine import network as net
from projectoffice.errors import InvalidInput
from projectoffice.formats import mspdi
from projectoffice.planning import actions, queries
from projectoffice.planning.exchange import import_mspdi, preview_update
from projectoffice.planning.models import PlanTask
from projectoffice.resources.models import Assignment
from projectoffice.timesheets import actions as ts
from projectoffice.timesheets.models import TimeLine
from tests.planning.test_exchange_resources import staffed

D = dt.datetime
DAY = 480


def the_file() -> bytes:
    """The plan as MS Project saves it later: Build (UID 2) grew to 12 days, Docs (3) is gone,
    Test (4) is new after Build, Design (1) is gone although time is booked on it; status
    date 2 February 2026."""
    project = net.Project(
        start=D(2026, 1, 5, 8),
        tasks=(net.Task(2, "Build", 12 * DAY), net.Task(4, "Test", 2 * DAY)),
        links=(net.Link(2, 4),),
        status_date=D(2026, 2, 2, 17),
    )
    return mspdi.write_mspdi(mspdi.MspdiPlan(project, name="MTX.xml"))


@pytest.fixture
def booked(office):
    staffed(office)
    member = office.members["team_member"]
    design = Assignment.objects.get(project=office.project, task_uid=1, resource__user=member)
    ts.save_timesheet(actor=member, project=office.project, week_start=dt.date(2026, 1, 5),
                      version=None, lines=[{"assignment_id": design.pk,
                                            "hours": ["8", "0", "0", "0", "0", "0", "0"]}])
    plan = queries.get_plan(office.project)
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"op": "update", "uid": 2, "percent_complete": "30"}])
    return office


def test_the_preview_lists_every_change_and_changes_nothing(booked) -> None:
    office = booked
    before = list(PlanTask.objects.filter(plan__project=office.project)
                  .order_by("uid").values_list("uid", "duration", "percent_complete"))
    preview = preview_update(actor=office.pm, project=office.project, data=the_file())
    assert preview.added == ["task UID 4 'Test'"]
    assert preview.removed == ["task UID 3 'Docs'"]
    assert any("UID 1 'Design': time is recorded on it" in k for k in preview.kept)
    assert any("UID 2 'Build': its recorded progress" in k for k in preview.kept)
    assert any(c.startswith("task UID 2 'Build': duration 10d → 12d") for c in preview.changed)
    assert any(c == "task UID 2 'Build': predecessors now none" for c in preview.changed)
    assert preview.status_date == "none → 2026-02-02"
    after = list(PlanTask.objects.filter(plan__project=office.project)
                 .order_by("uid").values_list("uid", "duration", "percent_complete"))
    assert after == before


def test_applying_keeps_recorded_time_actuals_and_rows(booked) -> None:
    office = booked
    build_pk = PlanTask.objects.get(plan__project=office.project, uid=2).pk
    lines = TimeLine.objects.filter(assignment__project=office.project).count()
    plan = import_mspdi(actor=office.pm, project=office.project, data=the_file(), update=True)
    rows = {t.uid: t for t in PlanTask.objects.filter(plan=plan)}
    assert sorted(rows) == [1, 2, 4]
    assert rows[2].pk == build_pk  # the same row: what refers to it still does
    assert rows[2].duration == 12 * DAY
    assert rows[2].percent_complete == 30  # recorded here, unknown to the file
    assert rows[4].start == rows[2].finish  # the file's link, scheduled
    assert plan.status_date == dt.date(2026, 2, 2)
    assert TimeLine.objects.filter(assignment__project=office.project).count() == lines
    assert Assignment.objects.filter(project=office.project, task_uid=1).exists()


def test_a_stale_version_changes_nothing(booked) -> None:
    office = booked
    plan = queries.get_plan(office.project)
    with pytest.raises(Exception, match="changed by someone else"):
        import_mspdi(actor=office.pm, project=office.project, data=the_file(), update=True,
                     version=plan.version - 1)
    assert PlanTask.objects.filter(plan__project=office.project, uid=3).exists()


def test_api_previews_then_applies(booked) -> None:
    office = booked
    client = Client()
    client.force_login(office.pm)
    url = "/api/v1/projects/MTX/plan/update"
    first = client.post(url, {"file": SimpleUploadedFile("p.xml", the_file())})
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["applied"] is False and body["added"] == ["task UID 4 'Test'"]
    assert PlanTask.objects.filter(plan__project=office.project, uid=3).exists()
    second = client.post(url + "?confirm=true",
                         {"file": SimpleUploadedFile("p.xml", the_file())})
    assert second.status_code == 200, second.content
    assert second.json()["applied"] is True
    assert not PlanTask.objects.filter(plan__project=office.project, uid=3).exists()


def test_web_page_shows_the_changes_and_applies_on_confirmation(booked, jobs_at_once) -> None:
    office = booked
    client = Client()
    client.force_login(office.pm)
    page = client.post("/projects/MTX/plan/import/", {
        "mode": "update", "file": SimpleUploadedFile("p.xml", the_file())})
    text = page.content.decode()
    assert "What the update changes" in text and "Removed: task UID 3 &#x27;Docs&#x27;" in text
    assert PlanTask.objects.filter(plan__project=office.project, uid=3).exists()
    token = text.split('name="token" value="')[1].split('"')[0]
    version = text.split('name="version" value="')[1].split('"')[0]
    done = client.post("/projects/MTX/plan/import/", {
        "mode": "update", "token": token, "version": version, "confirm": "1",
        "filename": "p.xml"})
    assert done.status_code == 302 and done.url.startswith("/runs/")
    assert client.get(done.url).url == "/projects/MTX/plan/"
    assert not PlanTask.objects.filter(plan__project=office.project, uid=3).exists()


def test_cli_lists_then_applies_with_yes(booked, tmp_path: Path, capsys) -> None:
    import argparse

    from projectoffice.commands import import_mspdi as command

    office = booked
    path = tmp_path / "plan.xml"
    path.write_bytes(the_file())
    args = argparse.Namespace(file=str(path), project="MTX", username=office.pm.username,
                              update=True, yes=False)
    assert command.run(args) == 0
    out = capsys.readouterr().out
    assert "Added: task UID 4 'Test'" in out and "Nothing was changed" in out
    assert PlanTask.objects.filter(plan__project=office.project, uid=3).exists()
    args.yes = True
    assert command.run(args) == 0
    assert not PlanTask.objects.filter(plan__project=office.project, uid=3).exists()


# --- bad files: one clear message per problem, all of them, nothing changed ---------------

def corpus_bytes(name: str) -> bytes:
    path = default_corpus() / name
    if not path.is_file():
        pytest.skip("corpus absent")
    return path.read_bytes()


def problems_of(office, data: bytes) -> tuple[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        import_mspdi(actor=office.pm, project=office.project, data=data)
    assert list(caught.value.errors) == ["file"]
    return caught.value.message, caught.value.errors["file"]


def test_bad_files_list_each_problem_with_task_uids(office) -> None:
    data = corpus_bytes("task-links-project2003-mspdi.xml")
    message, found = problems_of(office, data[: len(data) // 2])
    assert "nothing was changed" in message
    assert found[0].startswith("the file ends too early: it was cut short")
    _, found = problems_of(office, b"PK\x03\x04 a zip, not a plan")
    assert found[0].startswith("not a plan file this office can read")
    # Two problems at once: a link to a missing task and a cycle 1 -> 2 -> 1.
    bad = data.replace(b"<PredecessorUID>1</PredecessorUID>",
                       b"<PredecessorUID>99</PredecessorUID>", 1)
    bad = bad.replace(b"<UID>3</UID><ID>3</ID>", b"<UID>3</UID><ID>3</ID><PredecessorLink>"
                      b"<PredecessorUID>4</PredecessorUID><Type>1</Type></PredecessorLink>", 1)
    message, found = problems_of(office, bad)
    assert message.startswith("The file cannot be imported: 2 problems found")
    assert "Task UID 2: predecessor UID 99 does not exist in the file" in found
    assert "Task UIDs 3 'Task 1', 4 'Task 2': their links form a cycle" in found[1]
    assert not any("tasks." in p for p in found)
    assert queries.get_plan(office.project) is None or not PlanTask.objects.filter(
        plan__project=office.project).exists()


