"""My work: a person's tasks across every plan, their actions and issues, and the inbox of
what waits for their decision, decided in place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projectoffice.accounts.roles import ProjectRole
from projectoffice.controls.models import ChangeRequest
from projectoffice.documents import actions as document_actions
from projectoffice.documents.models import DocumentVersion
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.registers import actions as register_actions
from projectoffice.resources import actions as resource_actions
from projectoffice.work import queries
from tests.conftest import make_user

TODAY = dt.date(2026, 3, 4)  # a Wednesday


def plan_with_tasks(office: Any, project: Any, person: Any) -> None:
    """Four tasks of `person` in `project`, starting on the plan start 2 March 2026: one
    late, one due this week, one due next week, one that starts in three months."""
    plan = plan_actions.create_plan(actor=office.pmo, project=project,
                                    start=dt.datetime(2026, 2, 16, 8))
    plan = plan_actions.edit_plan(actor=office.pmo, project=project, version=plan.version,
                                  edits=[
        {"op": "insert", "name": "Survey", "duration": "5d"},
        {"op": "insert", "name": "Draft", "duration": "13d"},
        {"op": "insert", "name": "Review", "duration": "18d"},
        {"op": "insert", "name": "Roll out", "duration": "5d", "start": "2026-06-01"},
    ])
    resource = resource_actions.create_resource(actor=office.pmo, project=project,
                                                name=person.display_name, user=person)
    for task in PlanTask.objects.filter(plan__project=project):
        resource_actions.assign_resource(actor=office.pmo, project=project,
                                         resource_id=resource.pk, task_uid=task.uid)


def test_my_tasks_are_grouped_across_projects(office: Any) -> None:
    member = office.members[ProjectRole.TEAM_MEMBER]
    portfolio_actions.add_member(actor=office.pmo, project=office.other, user=member,
                                 role=ProjectRole.TEAM_MEMBER)
    for project in (office.project, office.other):
        plan_with_tasks(office, project, member)
    groups = queries.my_tasks(member, TODAY)
    named = {key: [f"{t.project.code} {t.name}" for t in tasks]
             for key, tasks in groups.items()}
    assert named == {"late": ["MTX Survey", "OTHER Survey"],
                     "this_week": ["MTX Draft", "OTHER Draft"],
                     "next_week": ["MTX Review", "OTHER Review"], "later": []}
    # A team member records time, not progress on the plan; a planner may.
    assert not any(t.may_update for tasks in groups.values() for t in tasks)
    portfolio_actions.add_member(actor=office.pmo, project=office.other, user=member,
                                 role=ProjectRole.PLANNER)
    member.__dict__.pop("_roles_by_project", None)
    late = queries.my_tasks(member, TODAY)["late"]
    assert [(t.project.code, t.may_update) for t in late] == [("MTX", False), ("OTHER", True)]


def test_my_tasks_take_the_same_queries_for_two_projects_or_six(office: Any) -> None:
    member = office.members[ProjectRole.TEAM_MEMBER]
    plan_with_tasks(office, office.project, member)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            queries.my_tasks(member, TODAY)
            list(queries.my_open_items(member)[0])
        return len(captured)

    few = count()
    for n in range(5):
        project = portfolio_actions.create_project(
            actor=office.pmo, code=f"P{n}", name=f"Project {n}", portfolio=office.portfolio)
        portfolio_actions.add_member(actor=office.pmo, project=project, user=member,
                                     role=ProjectRole.TEAM_MEMBER)
        plan_with_tasks(office, project, member)
    member.__dict__.pop("_roles_by_project", None)
    assert count() == few
    assert len(queries.my_tasks(member, TODAY)["late"]) == 6


def review_waiting(office: Any, reviewer: Any) -> DocumentVersion:
    version = document_actions.upload_version(
        actor=office.pm, document=office.document,
        upload=SimpleUploadedFile("plan.txt", b"The plan"))
    return document_actions.submit_for_review(actor=office.pm, doc_version=version,
                                              reviewers=[reviewer], version=version.version)


def test_the_inbox_lists_reviews_and_the_reviewer_decides_in_place(office: Any,
                                                                   client: Any) -> None:
    reviewer = office.members[ProjectRole.QUALITY_MANAGER]
    version = review_waiting(office, reviewer)
    client.force_login(reviewer)
    page = client.get("/my-work/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Documents to review" in html and office.document.code in html
    # Rejecting needs a comment: the error comes back in place, nothing is decided.
    r = client.post(f"/my-work/reviews/{version.pk}/",
                    {"decision": "rejected", "version": version.version},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "say why" in r.content.decode()
    assert DocumentVersion.objects.get(pk=version.pk).state == "in_review"
    r = client.post(f"/my-work/reviews/{version.pk}/",
                    {"decision": "approved", "version": version.version},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "approved" in r.content.decode()
    assert DocumentVersion.objects.get(pk=version.pk).state == "approved"
    assert "Documents to review" not in client.get("/my-work/").content.decode()
    # A decision on a version that changed since the page was read is refused.
    r = client.post(f"/my-work/reviews/{version.pk}/",
                    {"decision": "approved", "version": version.version})
    assert r.status_code == 302


def test_change_requests_and_requests_wait_for_who_may_decide(office: Any, api_as: Any,
                                                             client: Any) -> None:
    change = register_actions.update_item(
        actor=office.pm, item=office.raid["changes"], version=office.raid["changes"].version,
        changes={"cost_impact": 2500, "delay_days": 3})
    for move in ("submit", "assess"):
        change = register_actions.transition_item(actor=office.pm, item=change,
                                                  transition=move, version=change.version,
                                                  today=timezone.localdate())
    assert change.status == "assessed"
    requester = make_user("requester")
    portfolio_actions.add_member(actor=office.pmo, project=office.project, user=requester,
                                 role=ProjectRole.TEAM_MEMBER)
    from projectoffice.facilities.registers import REQUESTS

    request_item = register_actions.create_item(actor=requester, spec=REQUESTS,
                                                project=office.project,
                                                data={"title": "Two laptops", "quantity": 2})
    request_item = register_actions.transition_item(
        actor=requester, item=request_item, transition="submit", version=request_item.version)
    inbox = {s["kind"]: s for s in api_as(office.pm).get("/me/inbox").json()}
    assert inbox["changes"]["count"] == 1
    assert inbox["changes"]["entries"][0]["title"].startswith(change.reference)
    assert inbox["requests"]["entries"][0]["title"] == f"{request_item.reference} Two laptops"
    for someone in (requester, office.members[ProjectRole.TEAM_MEMBER]):
        assert all(s["count"] == 0 for s in api_as(someone).get("/me/inbox").json())
    assert api_as(office.pm).get("/me/inbox?limit=0").status_code == 422
    client.force_login(office.pm)
    r = client.post(f"/my-work/changes/{change.pk}/",
                    {"transition": "reject", "version": change.version,
                     "comment": "Not this quarter"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "rejected" in r.content.decode()
    assert ChangeRequest.objects.get(pk=change.pk).status == "rejected"
    # Someone who may not decide gets the refusal, not a decision.
    client.force_login(requester)
    r = client.post(f"/my-work/requests/{request_item.pk}/",
                    {"transition": "approve", "version": request_item.version},
                    HTTP_HX_REQUEST="true")
    assert "permission" in r.content.decode()
    assert type(request_item).objects.get(pk=request_item.pk).status == "submitted"


@pytest.mark.parametrize("path", ["/my-work/", "/api/v1/me/tasks", "/api/v1/me/inbox"])
def test_my_work_needs_a_sign_in(client: Any, db: Any, path: str) -> None:
    assert client.get(path).status_code in (302, 401)


def test_the_inbox_shows_the_oldest_of_many_and_counts_the_rest(office: Any,
                                                                client: Any) -> None:
    from projectoffice.facilities.models import FacilityRequest
    from projectoffice.facilities.registers import REQUESTS
    from projectoffice.work import inbox

    for n in range(inbox.SHOWN_PER_SOURCE + 3):
        register_actions.create_item(actor=office.pm, spec=REQUESTS, project=office.project,
                                     data={"title": f"Chairs {n}", "quantity": 1})
    FacilityRequest.objects.update(status="submitted")
    sections = {s.source.key: s for s in inbox.inbox(office.pm)}
    assert sections["requests"].count == inbox.SHOWN_PER_SOURCE + 3
    assert sections["requests"].more == 3
    assert sections["requests"].entries[0].title.endswith("Chairs 0")
    client.force_login(office.pm)
    assert "3 more waiting" in client.get("/my-work/").content.decode()


def test_absence_requests_wait_in_the_line_managers_inbox(office: Any, client: Any) -> None:
    from projectoffice.people import actions as people_actions
    from projectoffice.people.models import Absence

    member = office.members[ProjectRole.TEAM_MEMBER]
    people_actions.update_profile(actor=office.pmo, person=member, version=1,
                                  changes={"line_manager": office.pm})
    start = timezone.localdate() + dt.timedelta(days=30)
    absence = people_actions.record_absence(actor=member, person=member, kind="leave",
                                            start=start, end=start + dt.timedelta(days=4))
    assert absence.status == "requested"
    client.force_login(office.pm)
    html = client.get("/my-work/").content.decode()
    assert "Absences to approve" in html and f"absence-request-{absence.pk}" in html
    assert "5 days" in html
    r = client.post(f"/people/absences/{absence.pk}/decide/",
                    {"decision": "approve", "version": absence.version}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "request-outcome" in r.content.decode()
    assert Absence.objects.get(pk=absence.pk).status == "approved"
    assert "Absences to approve" not in client.get("/my-work/").content.decode()


def test_each_project_manager_decides_their_part_of_a_week_from_the_inbox(
        office: Any, client: Any) -> None:
    from projectoffice.timesheets import actions as timesheet_actions
    from projectoffice.timesheets.models import Timesheet
    from tests.timesheets.week_helpers import WEEK2, line, two_projects

    world = two_projects(office)
    member = world["member"]
    timesheet_actions.save_week(actor=member, week_start=WEEK2, versions={}, lines=[
        line(world["design"], 8), line(world["support"], 2)])
    mtx, other = timesheet_actions.submit_week(actor=member, week_start=WEEK2)
    client.force_login(office.pm)
    html = client.get("/my-work/").content.decode()
    assert "Timesheets to approve" in html and f"timesheet-{mtx.pk}" in html
    assert f"timesheet-{other.pk}" not in html  # another project's manager approves it
    lines = client.get(f"/my-work/timesheets/{mtx.pk}/lines/").content.decode()
    assert "Design" in lines and "planned" in lines
    r = client.post(f"/my-work/timesheets/{mtx.pk}/", {"decision": "approve",
                                                        "version": mtx.version},
                    HTTP_HX_REQUEST="true")
    assert "approved" in r.content.decode()
    client.force_login(office.outsider)
    assert client.get(f"/my-work/timesheets/{mtx.pk}/lines/").status_code == 404
    r = client.post(f"/my-work/timesheets/{other.pk}/", {"decision": "reject",
                                                          "version": other.version},
                    HTTP_HX_REQUEST="true")
    assert "comment" in r.content.decode()
    r = client.post(f"/my-work/timesheets/{other.pk}/", {
        "decision": "reject", "version": other.version, "comment": "Support was on the 13th"},
        HTTP_HX_REQUEST="true")
    assert "rejected" in r.content.decode()
    statuses = dict(Timesheet.objects.filter(person=member).values_list("project__code",
                                                                         "status"))
    assert statuses == {"MTX": "approved", "OTHER": "rejected"}
