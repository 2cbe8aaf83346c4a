"""The API's behaviour on good and bad input: shapes, errors naming fields, conflicts."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from projectoffice.audit.models import AuditEntry
from projectoffice.controls.models import Issue


def test_create_read_update_an_issue(office, api_as):
    api = api_as(office.members["administrator"])
    created = api.post("/projects/MTX/issues", {
        "title": "Server room too warm", "severity": "medium", "owner": "project_manager",
        "due_date": "2030-01-31", "issue_type": "problem"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"] == "ISS-0002" and body["status"] == "open"
    assert body["owner"] == "project_manager" and body["version"] == 1
    assert set(body["transitions"]) == {"start", "resolve", "withdraw"}
    updated = api.patch("/projects/MTX/issues/ISS-0002", {"version": 1, "severity": "high"})
    assert updated.status_code == 200 and updated.json()["version"] == 2
    listed = api.get("/projects/MTX/issues?severity=high&sort=-reference")
    assert [i["reference"] for i in listed.json()["items"]] == ["ISS-0002", "ISS-0001"]


def test_stale_version_gets_409_and_changes_nothing(office, api_as):
    pm, admin = api_as(office.pm), api_as(office.members["administrator"])
    assert pm.patch("/projects/MTX/issues/ISS-0001",
                    {"version": 1, "title": "Edited by the PM"}).status_code == 200
    audit_before = AuditEntry.objects.count()
    stale = admin.patch("/projects/MTX/issues/ISS-0001",
                        {"version": 1, "title": "Edited by the administrator"})
    assert stale.status_code == 409
    assert stale.json()["errors"] == {"version": ["expected 2"]}
    assert Issue.objects.get(reference="ISS-0001").title == "Edited by the PM"
    assert AuditEntry.objects.count() == audit_before
    moved = admin.post("/projects/MTX/issues/ISS-0001/transitions",
                       {"version": 1, "transition": "start"})
    assert moved.status_code == 409


def test_project_patch_with_stale_version_is_refused(office, api_as):
    api = api_as(office.pm)
    assert api.patch("/projects/MTX", {"version": 1, "customer": "ACME"}).status_code == 200
    stale = api.patch("/projects/MTX", {"version": 1, "customer": "Other"})
    assert stale.status_code == 409
    assert api.get("/projects/MTX").json()["customer"] == "ACME"


def errors_of(response):
    assert 400 <= response.status_code < 500, response.content
    body = response.json()
    assert set(body) == {"status", "message", "errors"}
    return body["errors"]


def test_bad_input_names_the_field_and_writes_nothing(office, api_as):
    api = api_as(office.pm)
    count = Issue.objects.count()
    assert "title" in errors_of(api.post("/projects/MTX/issues", {}))
    assert "colour" in errors_of(api.post("/projects/MTX/issues",
                                          {"title": "x", "colour": "red"}))
    assert "title" in errors_of(api.post("/projects/MTX/issues", {"title": "x" * 201}))
    assert "due_date" in errors_of(api.post("/projects/MTX/issues",
                                            {"title": "x", "due_date": "tomorrow"}))
    assert "severity" in errors_of(api.post("/projects/MTX/issues",
                                            {"title": "x", "severity": "apocalyptic"}))
    assert "owner" in errors_of(api.post("/projects/MTX/issues",
                                         {"title": "x", "owner": "outsider"}))
    assert "owner" in errors_of(api.post("/projects/MTX/issues",
                                         {"title": "x", "owner": "nobody-at-all"}))
    assert "due_date" in errors_of(api.post("/projects/MTX/issues",
                                            {"title": "x", "due_date": "2001-01-01"}))
    assert "version" in errors_of(api.patch("/projects/MTX/issues/ISS-0001",
                                            {"title": "no version"}))
    assert Issue.objects.count() == count


def test_project_dates_out_of_order(office, api_as):
    api = api_as(office.pm)
    response = api.patch("/projects/MTX", {"version": 1, "finish_date": "2025-01-01"})
    assert "finish_date" in errors_of(response)
    red = api.patch("/projects/MTX", {"version": 1, "rag": "red"})
    assert "rag_reason" in errors_of(red)


def test_malformed_json_is_a_client_error(office, api_as):
    api = api_as(office.pm)
    response = api.client.post("/api/v1/projects/MTX/issues", data="{not json",
                               content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert 400 <= response.status_code < 500


def test_unauthenticated_and_bad_token(client, office):
    assert client.get("/api/v1/projects").status_code == 401
    assert client.get("/api/v1/projects",
                      HTTP_AUTHORIZATION="Bearer pmo_wrong").status_code == 401


def test_session_auth_needs_csrf_for_writes(office):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(office.pm)
    assert browser.get("/api/v1/projects/MTX").status_code == 200
    refused = browser.post("/api/v1/projects/MTX/issues", data='{"title": "x"}',
                           content_type="application/json")
    assert refused.status_code == 403


def test_projects_list_only_what_the_caller_may_see(office, api_as):
    codes = [p["code"] for p in api_as(office.outsider).get("/projects").json()["items"]]
    assert codes == ["OTHER"]
    everyone = api_as(office.executive).get("/projects?sort=-code").json()
    assert [p["code"] for p in everyone["items"]] == ["OTHER", "MTX"]
    assert api_as(office.outsider).get("/projects/MTX").status_code == 404


def test_pagination(office, api_as):
    api = api_as(office.pm)
    for n in range(5):
        api.post("/projects/MTX/actions", {"title": f"Action {n}"})
    page = api.get("/projects/MTX/actions?limit=2&offset=2&status=").json()
    assert page["count"] == 6 and len(page["items"]) == 2 and page["offset"] == 2
    assert "limit" in errors_of(api.get("/projects/MTX/actions?limit=0"))


def test_export_csv_and_xlsx(office, api_as):
    api = api_as(office.pm)
    csv = api.get("/projects/MTX/issues/export?format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Reference,Title,Status")
    assert "ISS-0001,Supplier late,Open" in text
    xlsx = api.get("/projects/MTX/issues/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "ISS-0001" and sheet["B2"].value == "Supplier late"
    assert "format" in errors_of(api.get("/projects/MTX/issues/export?format=pdf"))


def test_audit_is_queryable_per_project(office, api_as):
    api = api_as(office.pm)
    api.patch("/projects/MTX/issues/ISS-0001", {"version": 1, "title": "Audited"})
    entries = api.get(f"/projects/MTX/audit?object_type=issue&object_id={office.issue.pk}")
    assert entries.status_code == 200
    latest = entries.json()["items"][0]
    assert latest["verb"] == "updated" and latest["actor"] == "project_manager"
    assert latest["changes"] == {"title": ["Supplier late", "Audited"]}
    assert api_as(office.members["team_member"]).get("/projects/MTX/audit").status_code == 403


def test_tokens_are_stored_hashed_and_revocable(office, api_as):
    api = api_as(office.pm)
    made = api.post("/me/tokens", {"name": "reporting"}).json()
    raw = made["token"]
    from projectoffice.accounts.models import ApiToken

    row = ApiToken.objects.get(pk=made["id"])
    assert raw not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    assert api.client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert api.delete(f"/me/tokens/{made['id']}").status_code == 204
    assert api.client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_memberships(office, api_as):
    from tests.conftest import make_user

    make_user("newcomer")
    api = api_as(office.pm)
    added = api.post("/projects/MTX/members", {"user": "newcomer", "role": "planner"})
    assert added.status_code == 201
    assert "role" in errors_of(api.post("/projects/MTX/members",
                                        {"user": "newcomer", "role": "planner"}))
    assert "role" in errors_of(api.post("/projects/MTX/members",
                                        {"user": "newcomer", "role": "wizard"}))
    assert api_as(office.outsider).get("/projects/MTX/members").status_code == 404
    removed = api.delete(f"/projects/MTX/members/{added.json()['id']}")
    assert removed.status_code == 204


def test_portfolio_writes_are_for_the_pmo_manager(office, api_as):
    pmo = api_as(office.pmo)
    made = pmo.post("/projects", {"code": "NEW1", "name": "New", "programme": "PRG",
                                  "manager": "project_manager"})
    assert made.status_code == 201, made.content
    assert made.json()["portfolio_id"] == office.portfolio.pk
    assert "code" in errors_of(pmo.post("/projects", {"code": "NEW1", "name": "Dup",
                                                      "programme": "PRG"}))
    assert "code" in errors_of(pmo.post("/projects", {"code": "lower", "name": "Bad",
                                                      "programme": "PRG"}))
    assert api_as(office.pm).post("/projects", {"code": "NEW2", "name": "x",
                                                "programme": "PRG"}).status_code == 403
    # The new project's manager became a member with that role.
    members = api_as(office.pm).get("/projects/NEW1/members").json()
    assert [(m["user"], m["role"]) for m in members] == [("project_manager",
                                                          "project_manager")]


def test_list_queries_do_not_grow_with_rows(office, api_as, django_assert_max_num_queries):
    from projectoffice.controls.registers import ISSUES
    from projectoffice.portfolio import actions as portfolio_actions
    from projectoffice.registers import actions as register_actions

    api = api_as(office.pm)
    for n in range(30):
        register_actions.create_item(actor=office.pm, spec=ISSUES, project=office.project,
                                     data={"title": f"Issue {n}", "owner": office.pm})
        portfolio_actions.create_project(actor=office.pmo, code=f"Q{n:02d}", name=f"P{n}",
                                         portfolio=office.portfolio, manager=office.pm)
    with django_assert_max_num_queries(8):
        page = api.get("/projects/MTX/issues?limit=100&status=").json()
    assert page["count"] == 31
    # Each project row carries its computed health: a fixed number of queries more.
    with django_assert_max_num_queries(18):
        projects = api.get("/projects?limit=100").json()
    assert projects["count"] == 31
