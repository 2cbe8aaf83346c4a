"""Work started from a page runs as a background job: a plan import waits for the worker,
then shows the plan; a file with problems changes nothing and lists them; an unexpected error
is retried, then shown failed, to the person who started it and to the Project Office
manager; a large plan's levelling is worked out by a job and applied as an audited action."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from projectoffice.audit.models import AuditEntry
from projectoffice.background.models import Run, RunState
from projectoffice.jobs.worker import run_worker
from projectoffice.planning import exchange
from projectoffice.planning.models import Plan, PlanTask
from tests.conftest import Office
from tests.formats.mspdi_samples import document
from tests.resources.test_levelling import over_allocated

pytestmark = pytest.mark.django_db
BAD = (b"<Project><Tasks><Task><UID>1</UID><Name>A</Name></Task>"
       b"<Task><UID>2</UID><Name>B</Name><Duration>3x</Duration></Task></Tasks></Project>")


def upload(data: bytes, name: str = "plan.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


@pytest.mark.django_db(transaction=True)
def test_api_import_answers_202_and_the_worker_imports(api_as: Any) -> None:
    office = Office()
    pm = api_as(office.pm)
    response = pm.client.post("/api/v1/projects/MTX/plan/import", {"file": upload(document())},
                              HTTP_AUTHORIZATION=f"Bearer {pm.token}")
    assert response.status_code == 202, response.content
    run = response.json()
    assert run["state"] == "queued" and run["filename"] == "plan.xml"
    assert not PlanTask.objects.filter(plan__project=office.project).exists()
    assert Run.objects.get().upload  # the file waits in the office's storage
    assert pm.get(run["status_url"].removeprefix("/api/v1")).json()["state"] == "queued"

    run_worker(batch=True, schedule=False)

    done = pm.get(run["status_url"].removeprefix("/api/v1")).json()
    assert done["state"] == "done", done
    assert done["result_url"] == "/projects/MTX/plan/" and "task" in done["summary"]
    assert PlanTask.objects.filter(plan__project=office.project).exists()
    assert not Run.objects.get().upload  # not kept once imported
    # Only the person who started it, or the Project Office manager, sees the run.
    assert api_as(office.members["planner"]).get(
        f"/background-runs/{run['id']}").status_code == 404
    assert api_as(office.pmo).get(f"/background-runs/{run['id']}").status_code == 200
    assert pm.get("/background-runs/not-a-run").status_code == 404


def test_a_file_with_problems_changes_nothing_and_is_not_retried(
        office: Any, api_as: Any, jobs_at_once: Any) -> None:
    exchange.import_mspdi(actor=office.pm, project=office.project, data=document())
    tasks = PlanTask.objects.filter(plan__project=office.project).count()
    pm = api_as(office.pm)
    response = pm.client.post("/api/v1/projects/MTX/plan/import", {"file": upload(BAD)},
                              HTTP_AUTHORIZATION=f"Bearer {pm.token}")
    assert response.status_code == 202
    run = response.json()
    assert run["state"] == "failed" and "nothing was changed" in run["message"]
    assert any("UID 2" in p and "Duration" in p for p in run["problems"])
    assert PlanTask.objects.filter(plan__project=office.project).count() == tasks
    jobs = list(DBTaskResult.objects.all())
    assert [j.status for j in jobs] == [TaskResultStatus.FAILED]  # once: the file is wrong
    client = Client()
    client.force_login(office.pmo)
    listed = client.get("/api/v1/jobs?state=failed").json()["items"]
    assert listed[0]["retried"] is False and "nothing was changed" in listed[0]["error"]


def test_an_unexpected_error_is_retried_then_shown_failed(
        office: Any, jobs_at_once: Any, monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> Any:
        raise ConnectionError("the database went away")

    monkeypatch.setattr(exchange, "import_mspdi", broken)
    client = Client()
    client.force_login(office.pm)
    response = client.post("/projects/MTX/plan/import/", {"file": upload(document())})
    assert response.status_code == 302 and response.url.startswith("/runs/")
    page = client.get(response.url)
    text = page.content.decode()
    assert "Nothing was changed." in text and "the database went away" in text
    assert "Refresh" not in page.headers
    run = Run.objects.get()
    assert run.state == RunState.FAILED and run.attempt == 3
    statuses = list(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == [TaskResultStatus.FAILED] * 3
    pmo = Client()
    pmo.force_login(office.pmo)
    jobs = pmo.get("/jobs/?state=failed").content.decode()
    assert jobs.count('data-state="failed"') == 3 and "the database went away" in jobs
    assert jobs.count("Import the plan of MTX from plan.xml") == 3  # named by what it does
    # Another project member does not see the run.
    other = Client()
    other.force_login(office.members["planner"])
    assert other.get(response.url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_status_page_refreshes_itself_until_done() -> None:
    office = Office()
    client = Client()
    client.force_login(office.pm)
    response = client.post("/projects/MTX/plan/import/", {"file": upload(document())})
    waiting = client.get(response.url)
    assert waiting.status_code == 200 and waiting.headers["Refresh"] == "2"
    assert 'data-state="queued"' in waiting.content.decode()

    run_worker(batch=True, schedule=False)

    done = client.get(response.url)
    assert done.status_code == 302 and done.url == "/projects/MTX/plan/"
    assert "task" in client.get(done.url).content.decode()
    stay = client.get(response.url + "?stay=1").content.decode()
    assert 'data-state="done"' in stay


def test_the_wait_parameter_keeps_the_import_in_the_request(office: Any, api_as: Any) -> None:
    pm = api_as(office.pm)
    response = pm.client.post("/api/v1/projects/MTX/plan/import?wait=true",
                              {"file": upload(document())},
                              HTTP_AUTHORIZATION=f"Bearer {pm.token}")
    assert response.status_code == 200 and response.json()["tasks"]
    assert not Run.objects.exists() and not DBTaskResult.objects.exists()


def test_a_large_plan_is_levelled_in_the_background(office: Any, jobs_at_once: Any) -> None:
    jobs_at_once.PMO_LEVEL_IN_BACKGROUND_TASKS = 3
    over_allocated(office)
    plan = Plan.objects.get(project=office.project)
    client = Client()
    client.force_login(office.pm)
    page = client.get("/projects/MTX/plan/levelling/").content.decode()
    assert "Work out the levelling" in page and "Delays levelling adds" not in page

    started = client.post("/projects/MTX/plan/levelling/apply/",
                          {"what": "work-out", "others": "1"})
    assert started.url.startswith("/runs/")
    shown = client.get(started.url)
    assert shown.url.startswith("/projects/MTX/plan/levelling/?run=")
    proposal = client.get(shown.url).content.decode()
    assert "Delays levelling adds" in proposal and "Worked out in the background" in proposal
    run = Run.objects.get()
    assert run.result["plan_version"] == plan.version and run.result["delays"]
    assert not PlanTask.objects.filter(plan=plan, levelling_delay__gt=0).exists()

    applied = client.post("/projects/MTX/plan/levelling/apply/", {
        "what": "level", "version": run.result["plan_version"], "run": str(run.pk),
        "others": "1"})
    assert applied.status_code == 302
    delays = dict(PlanTask.objects.filter(plan=plan, levelling_delay__gt=0)
                  .values_list("uid", "levelling_delay"))
    assert delays == {d["uid"]: d["delay"] for d in run.result["delays"]}
    assert AuditEntry.objects.filter(verb__contains="levelled").exists()
    # The plan changed since: the proposal is shown stale and applying it again is refused.
    stale = client.get(shown.url).content.decode()
    assert "The plan has changed since" in stale
    again = client.post("/projects/MTX/plan/levelling/apply/", {
        "what": "level", "version": run.result["plan_version"], "run": str(run.pk)},
        follow=True)
    assert "changed by someone else" in again.content.decode()


def test_a_large_register_file_is_imported_by_a_job(
        office: Any, api_as: Any, jobs_at_once: Any) -> None:
    from projectoffice.controls.models import Risk
    from tests.registers.test_import import GOOD_AND_BAD

    jobs_at_once.PMO_IMPORT_IN_BACKGROUND_ROWS = 2
    before = Risk.objects.count()
    pm = api_as(office.pm)
    bad = pm.client.post("/api/v1/projects/MTX/risks/import",
                         {"file": SimpleUploadedFile("risks.csv", GOOD_AND_BAD)},
                         HTTP_AUTHORIZATION=f"Bearer {pm.token}")
    assert bad.status_code == 202
    assert bad.json()["state"] == "failed" and bad.json()["problems"] == [
        "Row 3, inherent_probability: must be between 1 and 5",
        "Row 4, owner: no active user 'nobody'"]
    assert Risk.objects.count() == before
    client = Client()
    client.force_login(office.pm)
    page = client.post("/projects/MTX/risks/import/",
                       {"file": SimpleUploadedFile("risks.csv", GOOD_AND_BAD)}, follow=True)
    assert "Row 4, owner: no active user" in page.content.decode()
    good = GOOD_AND_BAD.replace(b",9,", b",5,").replace(b"nobody", b"")
    done = client.post("/projects/MTX/risks/import/",
                       {"file": SimpleUploadedFile("risks.csv", good)}, follow=True)
    assert done.redirect_chain[-1][0] == "/projects/MTX/risks/"
    assert "3 risks imported into MTX" in done.content.decode()
    assert Risk.objects.count() == before + 3
    waited = pm.client.post("/api/v1/projects/MTX/risks/import?wait=true",
                            {"file": SimpleUploadedFile("risks.csv", good)},
                            HTTP_AUTHORIZATION=f"Bearer {pm.token}")
    assert waited.status_code == 201 and waited.json()["created"] == 3
