"""Every API operation against every role: no reads or writes outside one's projects, no
writes without the permission. Operations declare their permission in the OpenAPI document
(`x-permission`), so a new operation is covered as soon as it exists."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from projectoffice.accounts.actions import create_api_token
from projectoffice.accounts.roles import ProjectRole, permissions_for
from projectoffice.api import api
from projectoffice.registers import actions as register_actions
from projectoffice.registers.spec import get_spec
from tests.conftest import PASSWORD, Api, Office
from tests.planning.helpers import make_plan, plan_bodies, plan_file
from tests.resources.helpers import levelling_bodies
from tests.timesheets.helpers import money_bodies, money_path, money_setup

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
        "PATCH /portfolios/{pid}": {"version": 1, "description": "Changed"},
        "POST /programmes": {"portfolio_id": office.portfolio.pk, "code": "NEWPRG",
                             "name": "New programme"},
        "PATCH /programmes/{code}": {"version": 1, "description": "Changed"},
        "POST /offices": {"name": "Another office"},
        "POST /projects": {"code": "NEWPRJ", "name": "New project",
                           "portfolio_id": office.portfolio.pk},
        "PATCH /projects/{code}": {"version": 1, "customer": "Changed"},
        "POST /projects/{code}/members": {"user": "spare", "role": "team_member"},
        "POST /me/password": {"old_password": PASSWORD, "new_password": "a-new-long-pass-42"},
        "POST /me/tokens": {"name": "another"},
        "POST /me/notifications/read": {},
        "POST /projects/{code}/issues/{ref}/escalate": {"version": 1, "reason": "Beyond us"},
        **plan_bodies(office),
        **money_bodies(getattr(office, "money", {})),
        **levelling_bodies(office),
        "POST /projects/{code}/dependencies": {"title": "Supplier kit",
                                               "dependency_type": "external",
                                               "party": "Supplier"},
        "POST /projects/{code}/documents/{ref}/checkout": {
            "version": type(office.document).objects.get(pk=office.document.pk).version},
        "POST /projects/{code}/documents/{ref}/versions/{number}/review": {
            "version": 1, "reviewers": ["quality_manager"]},
        "POST /projects/{code}/documents/{ref}/versions/{number}/decision": {
            "version": 2, "decision": "approved"},
        "POST /projects/{code}/meetings": {
            "title": "Board", "starts_at": "2026-03-02T10:00:00Z",
            "ends_at": "2026-03-02T11:00:00Z"},
        "POST /projects/{code}/meetings/{meeting_id}/actions": {"title": "Follow up"},
    }
    key = f"{method} {path}"
    if key in bodies:
        return bodies[key], None
    if path == "/projects/{code}/" + register:
        return {"title": "Raised in the matrix"}, None
    # The document has moved on while its versions were uploaded in the set-up.
    version = (type(office.document).objects.get(pk=office.document.pk).version
               if register == "documents" else 1)
    if path.endswith("/{ref}"):
        return {"version": version, "title": "Renamed"}, None
    if path.endswith("/comments"):
        return {"body": "A comment"}, None
    if path.endswith("/links"):
        return {"target": "ACT-0001" if register == "issues" else "ISS-0001"}, None
    if path.endswith("/transitions"):
        return {"version": version, "transition": TRANSITION[register],
                "comment": "No longer needed"}, None
    if path.endswith("/plan/import"):
        return plan_file(office), "multipart"
    if path.endswith("/import"):
        extra = (b",Dependency type,Party", b",external,Supplier") if register == "dependencies" \
            else (b"", b"")
        return SimpleUploadedFile("items.csv", b"Title" + extra[0] + b"\nImported" + extra[1]
                                  + b"\n"), "multipart"
    if path.endswith("/attachments") or path.endswith("/documents/{ref}/versions"):
        return SimpleUploadedFile("note.txt", b"hello"), "multipart"
    raise AssertionError(f"no body for {key}")


# The move used per register, chosen so that roles differ in whether they may take it.
TRANSITION = {"issues": "resolve", "actions": "cancel", "risks": "close",
              "assumptions": "withdraw", "dependencies": "cancel", "constraints": "withdraw",
              "decisions": "withdraw", "changes": "withdraw", "documents": "withdraw"}


def fill(path: str, office: Office, user: Any, ids: dict[str, Any]) -> str:
    register = path.split("/")[3] if path.startswith("/projects/{code}/") else ""
    ref = {"issues": office.issue.reference, "actions": office.action.reference,
           "documents": office.document.reference,
           **{key: item.reference for key, item in office.raid.items()}}.get(register)
    code = office.programme.code if path.startswith("/programmes/") else office.project.code
    path = money_path(path, office.money) if hasattr(office, "money") else path
    return (path.replace("{code}", code).replace("{ref}", ref or "")
            .replace("{pid}", str(office.portfolio.pk))
            .replace("{membership_id}", str(ids["membership"]))
            .replace("{number}", "1" if path.endswith("/decision") else "2")
            .replace("{meeting_id}", str(ids["meeting"]))
            .replace("{attachment_id}", str(ids.get(f"attachment_{register}", "")))
            .replace("{token_id}", str(ids["token"])).replace("{row}", "1"))


def needed(method: str, path: str, op: dict[str, Any]) -> str:
    perm = op["x-permission"]
    if perm == "per transition":
        return op["x-transition-permissions"][TRANSITION[path.split("/")[3]]]
    return perm


def expected_status(role_perms: frozenset[str], perm: str, is_superuser: bool,
                    global_role: str) -> str:
    if perm == "authenticated":
        return "ok"
    if perm == "portfolio.manage":
        return "ok" if is_superuser or global_role == "pmo_manager" else "403"
    if is_superuser or perm in role_perms:
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
        document_actions.submit_for_review(actor=office.pm, doc_version=v1, reviewers=[user],
                                           version=v1.version)
    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    return meeting_actions.schedule_meeting(
        actor=office.pm, project=office.project, title="Board", starts_at=start,
        ends_at=start + dt.timedelta(hours=1))[0].pk


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_for_role(role: str, db: Any) -> None:
    office = Office()
    from tests.conftest import make_user

    make_user("spare")
    make_plan(office)
    user = user_for(role, office)
    client = Api(user)
    token, _ = create_api_token(actor=user, name="to revoke")
    attachments = {
        f"attachment_{key}": register_actions.add_attachment(
            actor=office.pm, item=item, upload=SimpleUploadedFile("a.txt", b"data")).pk
        for key, item in (("issues", office.issue), ("actions", office.action),
                          ("documents", office.document), *office.raid.items())}
    office.money = money_setup(office)  # type: ignore[attr-defined]
    ids = {"membership": office.project.memberships.get(user__username="stakeholder").pk,
           "token": token.pk, "meeting": office_meeting(office, user), **attachments}
    memberships = list(office.project.memberships.filter(user=user).values_list("role",
                                                                                flat=True))
    role_perms = permissions_for(user.global_role, memberships)
    problems = []
    for method, template, op in operations():
        path = fill(template, office, user, ids)
        body, kind = body_for(method, template, office, user)
        perm = needed(method, template, op)
        want = expected_status(role_perms, perm, user.is_superuser, user.global_role)
        with transaction.atomic():
            if kind == "multipart":
                response = client.client.post(f"/api/v1{path}", {"file": body},
                                              HTTP_AUTHORIZATION=f"Bearer {client.token}")
            else:
                response = getattr(client, method.lower())(path, *(
                    [body] if method in ("POST", "PATCH") else []))
            transaction.set_rollback(True)
        got = "ok" if 200 <= response.status_code < 300 else str(response.status_code)
        if got != want:
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
