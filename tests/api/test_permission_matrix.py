"""Every API operation against every role: no reads or writes outside one's projects, no
writes without the permission. Operations declare their permission once, in their decorator
(portfolio/access.py), which publishes it in the OpenAPI document as `x-permission`, so a new
operation is covered as soon as it exists."""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.actions import create_api_token
from projectoffice.accounts.roles import OFFICE, ProjectRole, permissions_for
from projectoffice.api import api
from projectoffice.background.models import Run
from projectoffice.jobs.tasks import reindex
from projectoffice.notices.models import OutboxMessage
from projectoffice.portfolio.models import Membership
from projectoffice.registers import actions as register_actions
from projectoffice.registers.spec import get_spec
from tests.architecture.helpers import architecture_bodies, architecture_path, architecture_setup
from tests.assurance.helpers import JUNIT_PASS, assurance_bodies, assurance_setup
from tests.conftest import PASSWORD, Api, Office
from tests.engagement.helpers import engagement_bodies, engagement_setup
from tests.people.helpers import people_bodies, people_path, people_setup
from tests.planning.helpers import SPARE_CALENDAR, make_plan, plan_bodies, plan_file
from tests.resources.helpers import levelling_bodies
from tests.support.helpers import support_bodies, support_path, support_setup
from tests.timesheets.helpers import money_bodies, money_path, money_setup
from tests.training.helpers import training_bodies, training_setup
from tests.website.helpers import (
    TRANSITIONS,
    refusals,
    technical_bodies,
    technical_path,
    technical_setup,
)

ROLES = [*ProjectRole.values, "pmo_manager", "pmo_staff", "executive", "outsider", "superuser"]


@functools.cache
def operations() -> list[tuple[str, str, dict[str, Any]]]:
    doc = json.loads(json.dumps(api.get_openapi_schema()))
    prefix = "/api/v1"
    return [(method.upper(), path[len(prefix):], op)
            for path, methods in doc["paths"].items() for method, op in methods.items()]


def body_for(method: str, path: str, office: Office, user: Any) -> tuple[Any, str | None]:
    """A valid request body for each writing operation (None for reads)."""
    if method in ("GET", "DELETE"):
        return None, None
    register = path.split("/")[3] if path.startswith("/projects/{code}/") else ""
    bodies: dict[str, Any] = {
        "POST /portfolios": {"name": "Another portfolio"},
        "POST /jobs": {"name": "reindex"},
        "POST /accounts": {"username": "invitee", "email": "invitee@example.org"},
        "PATCH /accounts/{username}": {"version": 1, "is_active": True},
        "POST /accounts/{username}/password-link": {},
        "PATCH /portfolios/{pid}": {"version": 1, "description": "Changed"},
        "POST /programmes": {"portfolio_id": office.portfolio.pk, "code": "NEWPRG",
                             "name": "New programme"},
        "PATCH /programmes/{code}": {"version": 1, "description": "Changed"},
        "POST /offices": {"name": "Another office"},
        "POST /projects": {"code": "NEWPRJ", "name": "New project",
                           "portfolio_id": office.portfolio.pk},
        "PATCH /projects/{code}": {"version": 1, "customer": "Changed"},
        "PATCH /health-thresholds": {"version": 1, "overdue_red": 6},
        "PATCH /schedule-health-thresholds": {"version": 1, "lags_percent": 6},
        "POST /projects/{code}/schedule-health/records": {},
        "POST /projects/{code}/schedule-risk/model": {"classes": [], "estimates": [],
                                                      "events": []},
        "POST /projects/{code}/schedule-risk/runs": {"iterations": 100},
        "POST /projects/{code}/members": {"user": "spare", "role": "team_member"},
        "POST /me/password": {"old_password": PASSWORD, "new_password": "a-new-long-pass-42"},
        "POST /me/tokens": {"name": "another"},
        "POST /me/notifications/read": {},
        "POST /saved-reports": {"name": "Mine", "source": "issues",
                                "columns": ["reference", "title"]},
        "PATCH /saved-reports/{report_id}": {"version": 1, "name": "Renamed",
                                             "group_by": "status"},
        "POST /projects/{code}/issues/{ref}/escalate": {"version": 1, "reason": "Beyond us"},
        **plan_bodies(office),
        **money_bodies(getattr(office, "money", {})),
        **people_bodies(),
        **levelling_bodies(office),
        "POST /projects/{code}/dependencies": {"title": "Supplier kit",
                                               "dependency_type": "external",
                                               "party": "Supplier"},
        "POST /projects/{code}/documents/{ref}/checkout": {
            "version": type(office.document).objects.get(pk=office.document.pk).version},
        "POST /projects/{code}/documents/{ref}/versions/{number}/review": {
            "version": 1, "reviewers": [  # nobody reviews their own submission
                "testing_manager" if user.username == "quality_manager" else "quality_manager"]},
        "POST /projects/{code}/documents/{ref}/versions/{number}/decision": {
            "version": 2, "decision": "approved"},
        "POST /projects/{code}/meetings": {
            "title": "Board", "starts_at": "2026-03-02T10:00:00Z",
            "ends_at": "2026-03-02T11:00:00Z"},
        "POST /projects/{code}/meetings/{meeting_id}/actions": {"title": "Follow up"},
        "POST /projects/{code}/changes/{ref}/edits": {
            "version": type(office.raid["changes"]).objects.get(
                pk=office.raid["changes"].pk).version,
            "edit": {"op": "update", "uid": 2, "duration": "12d"}},
        "POST /projects/{code}/changes/{ref}/assess": {
            "version": type(office.raid["changes"]).objects.get(
                pk=office.raid["changes"].pk).version},  # the cost figure needs cost.view
        "PATCH /projects/{code}/controls": {"version": 1, "approval_days": 5},
        "POST /projects/{code}/meetings/{meeting_id}/cancel": {"version": 1,
                                                              "reason": "Board moved"},
        "POST /projects/{code}/meetings/{meeting_id}/reschedule": {
            "version": 1, "starts_at": "2026-03-03T10:00:00Z", "ends_at": "2026-03-03T11:00:00Z"},
        **facility_bodies(getattr(office, "facilities", {})),
        **engagement_bodies(office),
        **{k: v for k, v in training_bodies(office).items() if not k.startswith("_")},
        **assurance_bodies(office),
        **support_bodies(getattr(office, "facilities", {})),
        **architecture_bodies(getattr(office, "facilities", {})),
        **technical_bodies(getattr(office, "facilities", {})),
    }
    key = f"{method} {path}"
    if key in bodies:
        return bodies[key], None
    if path == "/projects/{code}/" + register:
        return {"title": "Raised in the matrix"}, None
    # The document has moved on while its versions were uploaded in the set-up, and the
    # change request while its plan edit was proposed.
    moved = {"documents": office.document, "changes": office.raid["changes"],
             "communications": office.raid.get("communications"),
             "quality-reviews": office.raid.get("quality-reviews"),
             "config-items": office.raid.get("config-items"),
             "training-needs": office.raid.get("training-needs")}.get(register)
    version = type(moved).objects.get(pk=moved.pk).version if moved is not None else 1
    if path.endswith("/{ref}"):
        return {"version": version, "title": "Renamed"}, None
    if path.endswith("/comments"):
        return {"body": "A comment"}, None
    if path.endswith("/links"):
        return {"target": "ACT-0001" if register == "issues" else "ISS-0001"}, None
    if path.endswith("/transitions"):
        return {"version": version, "transition": TRANSITION[register],
                "comment": "No longer needed"}, None
    if path.endswith("/test-runs/junit"):
        return SimpleUploadedFile("results.xml", JUNIT_PASS), "multipart"
    if path.endswith("/plan/import") or path.endswith("/plan/update"):
        return plan_file(office), "multipart"
    if path.endswith("/timesheets/import"):
        return SimpleUploadedFile("time.csv", b"Week,Time code,Mon\n2026-01-26,training,1\n"), \
            "multipart"
    if path.endswith("/import"):
        extra = {"dependencies": (b",Dependency type,Party", b",external,Supplier"),
                 "data-migrations": (b",Source,Target", b",CRM,Hub"),
                 "change-impacts": (b",Group", f",{office.raid['stakeholders'].pk}".encode()),
                 "quality-reviews": (b",Deliverable or document",
                                     f",{office.raid['deliverables'].reference}".encode()),
                 "training-needs": (b",Group", f",{office.raid['stakeholders'].pk}".encode()),
                 "staffing-requests": (
                     b",Position,From,Reason",
                     f",{office.raid['positions'].reference},2026-06-01,Volume".encode()),
                 }.get(register, (b"", b""))
        return SimpleUploadedFile("items.csv", b"Title" + extra[0] + b"\nImported" + extra[1]
                                  + b"\n"), "multipart"
    if path.endswith("/attachments") or path.endswith("/documents/{ref}/versions"):
        return SimpleUploadedFile("note.txt", b"hello"), "multipart"
    raise AssertionError(f"no body for {key}")


def facility_bodies(ids: dict[str, Any]) -> dict[str, Any]:
    """Bodies for rooms, bookings, the store, announcements and preferences."""
    if not ids:
        return {}
    from projectoffice.facilities.models import StockItem

    return {
        "POST /facilities/resources": {"name": "Room 9", "kind": "room", "capacity": 4},
        "PATCH /facilities/resources/{resource_id}": {"version": 1, "location": "Floor 9"},
        "POST /facilities/bookings": {"resource": ids["resource"], "purpose": "Workshop",
                                      "starts_at": "2026-03-04T09:00:00Z",
                                      "ends_at": "2026-03-04T10:00:00Z"},
        "POST /facilities/bookings/{booking_id}/cancel": {"version": 1},
        "POST /facilities/stock": {"name": "Pens", "unit": "box", "reorder_level": "2"},
        "PATCH /facilities/stock/{stock_id}": {
            "version": StockItem.objects.get(pk=ids["stock"]).version, "location": "Shelf 2"},
        "POST /facilities/stock/{stock_id}/movements": {"kind": "issue", "quantity": "1"},
        "POST /announcements": {"audience": "project", "project": "MTX", "title": "Hello"},
        "POST /announcements/{announcement_id}/withdraw": {"version": 1},
        "POST /me/notification-preferences": {
            "preferences": [{"kind": "due", "in_app": True, "email": "digest"}]},
    }


def facility_setup(office: Office, user: Any) -> dict[str, Any]:
    """A room booked by `user`, a stock item with stock, and an announcement to MTX."""
    from decimal import Decimal

    from projectoffice.facilities import actions as facility_actions
    from projectoffice.notices import actions as notice_actions

    room = facility_actions.add_resource(actor=office.staff, name="Room 1", capacity=6)
    start = dt.datetime(2026, 3, 4, 14, tzinfo=dt.UTC)
    booking = facility_actions.book_resource(actor=user, resource=room, starts_at=start,
                                             ends_at=start + dt.timedelta(hours=1),
                                             purpose="Matrix")
    item = facility_actions.add_stock_item(actor=office.staff, name="Paper", unit="box")
    facility_actions.record_movement(actor=office.staff, item=item, kind="receive",
                                     quantity=Decimal(5), moved_on=dt.date(2026, 3, 1))
    note = notice_actions.post_announcement(actor=office.pm, audience="project",
                                            project=office.project, title="Kick-off",
                                            today=dt.date(2026, 3, 1))
    return {"resource": room.pk, "booking": booking.pk, "stock": item.pk,
            "announcement": note.pk}


# The move used per register, chosen so that roles differ in whether they may take it.
TRANSITION = {"issues": "resolve", "actions": "cancel", "risks": "close",
              "assumptions": "withdraw", "dependencies": "cancel", "constraints": "withdraw",
              "decisions": "withdraw", "changes": "withdraw", "documents": "withdraw",
              "enquiries": "close", "requests": "submit", "benefits": "abandon",
              "stakeholders": "archive", "communications": "cancel",
              "change-impacts": "withdraw", "training-needs": "drop", "courses": "retire",
              "org-units": "withdraw", "positions": "withdraw", "staffing-requests": "submit",
              "requirements": "reject", "deliverables": "withdraw", "test-plans": "cancel",
              "test-cases": "retire", "quality-reviews": "cancel", "quality-audits": "cancel",
              "nonconformances": "withdraw", "config-items": "retire",
              "tickets": "start", "assets": "repair", "adrs": "accept", "components": "build",
              "standards": "approve", "security-controls": "start", **TRANSITIONS}


def fill(path: str, office: Office, user: Any, ids: dict[str, Any]) -> str:
    register = path.split("/")[3] if path.startswith("/projects/{code}/") else ""
    ref = {"issues": office.issue.reference, "actions": office.action.reference,
           "documents": office.document.reference,
           "enquiries": getattr(office, "enquiry", office.issue).reference,
           **{key: item.reference for key, item in office.raid.items()}}.get(register)
    code = office.programme.code if path.startswith("/programmes/") else office.project.code
    if path.startswith("/facilities/"):  # a room, not the project resource of money_path
        path = path.replace("{resource_id}", str(ids.get("resource", "")))
    path = money_path(path, office.money) if hasattr(office, "money") else path
    if path.startswith("/accounts/{username}"):  # someone else's account, never one's own
        path = path.replace("{username}", "spare")
    path = people_path(path, ids) if "absence" in ids else path
    path = technical_path(architecture_path(support_path(path, ids), ids), ids)
    return (path.replace("{code}", code).replace("{ref}", ref or "")
            .replace("{pid}", str(office.portfolio.pk))
            .replace("{membership_id}", str(ids["membership"]))
            .replace("{number}", "1" if path.endswith("/decision") else "2")
            .replace("{meeting_id}", str(ids["meeting"]))
            .replace("{attachment_id}", str(ids.get(f"attachment_{register}", "")))
            .replace("{token_id}", str(ids["token"])).replace("{row}", "1")
            .replace("{resource_id}", str(ids.get("resource", "")))
            .replace("{calendar_uid}", str(SPARE_CALENDAR))
            .replace("{booking_id}", str(ids.get("booking", "")))
            .replace("{stock_id}", str(ids.get("stock", "")))
            .replace("{announcement_id}", str(ids.get("announcement", "")))
            .replace("{message_id}", str(ids.get("message", "")))
            .replace("{run_id}", str(ids.get("run", "")))
            .replace("{report_id}", str(ids.get("saved_report", "")))
            .replace("{job_id}", str(ids.get("job", "")))
            .replace("{background_run_id}", str(ids.get("background_run", "")))
            .replace("{baseline_id}", str(ids.get("baseline", "")))
            .replace("{session_id}", str(ids.get("session", "")))
            .replace("{enrolment_id}", str(ids.get("enrolment", "")))
            .replace("{skill_id}", str(ids.get("skill", "")))
            .replace("{document_ref}", office.document.reference))


def needed(method: str, path: str, op: dict[str, Any]) -> str:
    perm = op["x-permission"]
    if perm == "per transition":
        return op["x-transition-permissions"][TRANSITION[path.split("/")[3]]]
    return perm


def expected_status(role_perms: frozenset[str], perm: str, is_superuser: bool,
                    global_role: str, everywhere: frozenset[str] = frozenset()) -> str:
    if perm == "authenticated":
        return "ok"
    if perm == "people.manage or position.change or course.change":  # the skills catalogue
        # Office-wide: the Project Office, or a designer of positions or courses on any
        # project (`everywhere`: the caller's permissions over all their projects).
        return "ok" if is_superuser or global_role in ("pmo_manager", "pmo_staff") or \
            {"position.change", "course.change"} & everywhere else "403"
    if perm in ("portfolio.manage", "people.configure", "outbox.view", "support.configure",
                "jobs.view", "jobs.start", "accounts.manage"):
        return "ok" if is_superuser or global_role == "pmo_manager" else "403"
    if perm == "support.handle anywhere":  # the caller's only project is MTX
        return "ok" if is_superuser or "support.handle" in role_perms else "403"
    if perm.startswith("own"):
        return "ok"  # the matrix acts on the caller's own profile and absence
    if perm in ("people.manage", "people.manage or line manager"):
        return "ok" if is_superuser or global_role in ("pmo_manager", "pmo_staff") else "403"
    if perm in OFFICE:  # office-wide: PMO manager and staff, not a project's roles
        return "ok" if is_superuser or perm in permissions_for(global_role, []) else "403"
    if is_superuser or perm in role_perms or set(perm.split(" or ")) & role_perms:
        return "ok"
    return "403" if "project.view" in role_perms else "404"


def user_for(role: str, office: Office) -> Any:
    from tests.conftest import make_user

    if role in ProjectRole.values:
        return office.members[role]
    return {"pmo_manager": office.pmo, "pmo_staff": office.staff,
            "executive": office.executive, "outsider": office.outsider}.get(role) or make_user(
        "root", is_superuser=True)


def office_meeting(office: Office, user: Any) -> int:
    """A meeting, and two document versions: v1 in review by `user` (when they may see the
    project, so a decision is theirs to make) and v2 a draft to send for review."""
    from projectoffice.documents import actions as document_actions
    from projectoffice.meetings import actions as meeting_actions
    from projectoffice.portfolio.access import has_perm

    v1 = document_actions.upload_version(actor=office.pm, document=office.document,
                                         upload=SimpleUploadedFile("v1.txt", b"one"))
    document_actions.upload_version(actor=office.pm, document=office.document,
                                    upload=SimpleUploadedFile("v2.txt", b"two"))
    if has_perm(user, office.project, "document.view"):
        submitter = office.pmo if user == office.pm else office.pm
        document_actions.submit_for_review(actor=submitter, doc_version=v1, reviewers=[user],
                                           version=v1.version)
    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    return meeting_actions.schedule_meeting(
        actor=office.pm, project=office.project, title="Board", starts_at=start,
        ends_at=start + dt.timedelta(hours=1))[0].pk


def saved_report(office: Office) -> int:
    """A report on the issue log shared with MTX (read with project.view, changed with
    report.write there)."""
    from projectoffice.reportbuilder.actions import ReportInput, create_report

    return create_report(actor=office.pm, data=ReportInput(
        name="Issues", source="issues", columns=["reference", "title", "status"],
        scope="project", project=office.project)).pk


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_for_role(role: str, db: Any) -> None:
    office = Office()
    from tests.conftest import make_user

    make_user("spare", email="spare@example.org")
    make_plan(office)
    from projectoffice.controls.actions import add_change_edit

    add_change_edit(actor=office.pm, change=office.raid["changes"], version=1,
                    edit={"op": "update", "uid": 3, "duration": "4d"})
    user = user_for(role, office)
    client = Api(user)
    office.raid["requests"] = register_actions.create_item(
        actor=office.pm, spec=get_spec("requests"), project=office.project,  # type: ignore[arg-type]
        data={"title": "Laptops", "quantity": 2})
    office.raid["benefits"] = register_actions.create_item(
        actor=office.pm, spec=get_spec("benefits"), project=office.project,  # type: ignore[arg-type]
        data={"title": "Lower cost per transaction", "baseline_value": Decimal("4.2"),
              "baseline_date": dt.date(2026, 1, 5), "target_value": Decimal("3.1")})
    engaged = engagement_setup(office)
    office.raid.update({k: engaged[k] for k in ("stakeholders", "communications",
                                                 "change-impacts")})
    trained = training_setup(office, engaged)
    office.training = trained  # type: ignore[attr-defined]
    office.raid.update({k: trained[k] for k in ("training-needs", "courses", "org-units",
                                                "positions", "staffing-requests")})
    assurance = assurance_setup(office)
    token, _ = create_api_token(actor=user, name="to revoke")
    support = {**support_setup(office, user), **architecture_setup(office),
               **technical_setup(office)}
    people = people_setup(office, user)
    from projectoffice.people.actions import set_person_skill

    set_person_skill(actor=user, person=user, skill=trained["skill"], level=2)
    attachments = {
        f"attachment_{key}": register_actions.add_attachment(
            actor=office.pmo if key == "security-incidents" else office.pm, item=item,
            upload=SimpleUploadedFile("a.txt", b"data")).pk
        for key, item in (("issues", office.issue), ("actions", office.action),
                          ("documents", office.document), ("enquiries", people["enquiry"]),
                          *office.raid.items())}
    office.money = money_setup(office)  # type: ignore[attr-defined]
    ids = {"membership": office.project.memberships.get(user__username="stakeholder").pk,
           "token": token.pk, "meeting": office_meeting(office, user), **attachments,
           "absence": people["absence"], "request": people["request"],
           "contact": people["contact"],
           "username": people["username"], **facility_setup(office, user), **assurance,
           "session": trained["session"].pk, "enrolment": trained["enrolment"].pk,
           "skill": trained["skill"].pk,
           **support,
           "saved_report": saved_report(office),
           "job": reindex.enqueue().id,
           "background_run": Run.objects.create(work="projectoffice.planning.imports."
                                                     "import_plan_file", label="Import",
                                                started_by=user).pk,
           "message": OutboxMessage.objects.create(
               sent_at=timezone.now(), from_email="pmo@localhost", to="a@example.org",
               subject="Kept", body="").pk}
    office.facilities = ids  # type: ignore[attr-defined]
    memberships = list(office.project.memberships.filter(user=user).values_list("role",
                                                                                flat=True))
    role_perms = permissions_for(user.global_role, memberships)
    everywhere = permissions_for(user.global_role, list(
        Membership.objects.filter(user=user).values_list("role", flat=True)))
    problems = []
    for method, template, op in operations():
        path = fill(template, office, user, ids)
        body, kind = body_for(method, template, office, user)
        perm = needed(method, template, op)
        want = expected_status(role_perms, perm, user.is_superuser, user.global_role,
                               everywhere)
        allowed = refusals(want, template, user, role_perms, office)
        with transaction.atomic():
            if kind == "multipart":
                response = client.client.post(f"/api/v1{path}", {"file": body},
                                              HTTP_AUTHORIZATION=f"Bearer {client.token}")
            else:
                response = getattr(client, method.lower())(path, *(
                    [body] if method in ("POST", "PATCH", "PUT") else []))
            transaction.set_rollback(True)
        got = "ok" if 200 <= response.status_code < 300 else str(response.status_code)
        if got not in allowed:
            problems.append(f"{method} {template} needs {perm}: expected {want}, got "
                            f"{response.status_code} {response.content[:200]!r}")
    assert not problems, "\n".join(problems)


def test_the_matrix_really_distinguishes_roles(db: Any) -> None:
    """Guards the matrix against passing vacuously: some roles must be refused writes."""
    stakeholder = permissions_for("", ["stakeholder"])
    assert "issue.add" not in stakeholder and "issue.view" in stakeholder
    team = permissions_for("", ["team_member"])
    assert "issue.transition" not in team and "issue.add" in team
    assert get_spec("issues") is not None
    assert any(op["x-permission"] not in ("authenticated",) for _, _, op in operations())
