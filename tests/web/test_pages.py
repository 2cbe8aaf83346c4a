"""The HTML pages: sign-in and its throttle, each page for members and outsiders, forms that
show errors at the field, edit conflicts, HTMX partials and exports."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from projectoffice.controls.models import Issue
from tests.conftest import PASSWORD


@pytest.fixture
def browser_as(office):
    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login


def test_sign_in_and_throttle(office, settings):
    cache.clear()
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    client = Client()
    ok = client.post("/login/", {"username": "project_manager", "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/"
    client.post("/logout/")
    for _ in range(3):
        bad = client.post("/login/", {"username": "project_manager", "password": "wrong"})
        assert bad.status_code == 200
    locked = client.post("/login/", {"username": "project_manager", "password": PASSWORD})
    assert b"Too many failed sign-ins" in locked.content
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_pages_need_sign_in(client, office):
    response = client.get("/projects/MTX/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("path", [
    "/", "/projects/", "/projects/?q=matrix&rag=green&sort=-finish", "/projects/MTX/",
    "/projects/MTX/issues/", "/projects/MTX/issues/?status=&severity=high&overdue=1",
    "/projects/MTX/issues/ISS-0001/", "/projects/MTX/issues/new/",
    "/projects/MTX/issues/ISS-0001/edit/", "/projects/MTX/actions/", "/projects/MTX/audit/",
    "/actions/mine/", "/actions/overdue/", "/audit/", "/account/",
])
def test_pages_render_for_the_project_manager(browser_as, office, path):
    response = browser_as(office.pm).get(path)
    assert response.status_code == 200, path


def test_outsiders_get_404_and_viewers_403(browser_as, office):
    outsider = browser_as(office.outsider)
    assert outsider.get("/projects/MTX/").status_code == 404
    assert outsider.get("/projects/MTX/issues/ISS-0001/").status_code == 404
    viewer = browser_as(office.members["stakeholder"])
    assert viewer.get("/projects/MTX/issues/ISS-0001/").status_code == 200
    assert viewer.get("/projects/MTX/issues/new/").status_code == 403
    assert viewer.get("/projects/MTX/audit/").status_code == 403
    assert viewer.get("/projects/MTX/nonsense/").status_code == 404


def test_create_form_shows_errors_at_the_field(browser_as, office):
    client = browser_as(office.pm)
    response = client.post("/projects/MTX/issues/new/", {"title": "", "priority": "medium",
                                                         "severity": "low",
                                                         "issue_type": "problem"})
    assert response.status_code == 200
    assert b'class="field has-error' in response.content
    assert b"This field is required" in response.content
    assert Issue.objects.count() == 1
    made = client.post("/projects/MTX/issues/new/", {
        "title": "Printer on fire", "priority": "high", "severity": "critical",
        "issue_type": "problem", "owner": office.pm.pk})
    assert made.status_code == 302 and made["Location"].endswith("/issues/ISS-0002/")


def test_edit_with_a_stale_version_shows_a_conflict(browser_as, office):
    first, second = browser_as(office.pm), browser_as(office.members["administrator"])
    form = {"title": "Supplier very late", "priority": "high", "severity": "high",
            "issue_type": "problem", "owner": office.pm.pk, "version": "1"}
    assert first.post("/projects/MTX/issues/ISS-0001/edit/", form).status_code == 302
    clash = second.post("/projects/MTX/issues/ISS-0001/edit/",
                        {**form, "title": "Supplier slightly late"})
    assert clash.status_code == 200
    assert b"changed by someone else" in clash.content
    assert Issue.objects.get().title == "Supplier very late"


def test_transition_and_comment_partials_for_htmx(browser_as, office):
    client = browser_as(office.pm)
    response = client.post("/projects/MTX/issues/ISS-0001/move/",
                           {"transition": "start", "version": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content and b"In progress" in response.content
    commented = client.post("/projects/MTX/issues/ISS-0001/comment/",
                            {"body": "Working on it"}, HTTP_HX_REQUEST="true")
    assert b"Working on it" in commented.content
    stale = client.post("/projects/MTX/issues/ISS-0001/move/",
                        {"transition": "resolve", "version": "1"})
    assert stale.status_code == 302
    assert Issue.objects.get().status == "in_progress"


def test_filtered_list_partial_and_export(browser_as, office):
    client = browser_as(office.pm)
    partial = client.get("/projects/MTX/issues/?q=supplier", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"ISS-0001" in partial.content
    none = client.get("/projects/MTX/issues/?q=zebra", HTTP_HX_REQUEST="true")
    assert b"ISS-0001" not in none.content
    export = client.get("/projects/MTX/actions/?format=csv&status=")
    assert export["Content-Disposition"] == 'attachment; filename="MTX-actions.csv"'
    assert b"Chase supplier" in export.content


def test_membership_management_from_the_overview(browser_as, office):
    from tests.conftest import make_user

    make_user("newbie")
    client = browser_as(office.pm)
    client.post("/projects/MTX/members/", {"user": "newbie", "role": "planner"})
    assert office.project.memberships.filter(user__username="newbie").exists()
    viewer = browser_as(office.members["stakeholder"])
    assert viewer.post("/projects/MTX/members/",
                       {"user": "newbie", "role": "team_member"}).status_code == 403


def test_account_password_and_tokens(browser_as, office):
    client = browser_as(office.pm)
    wrong = client.post("/account/", {"form": "password", "old_password": "nope",
                                      "new_password": "another-long-pass-1"})
    assert b"is not your current password" in wrong.content
    made = client.post("/account/", {"form": "token", "name": "spreadsheet"})
    assert b"Copy this token now" in made.content
    changed = client.post("/account/", {"form": "password", "old_password": PASSWORD,
                                        "new_password": "another-long-pass-1"})
    assert changed.status_code == 302
    office.pm.refresh_from_db()
    assert office.pm.check_password("another-long-pass-1")


def test_pmo_manager_opens_and_project_manager_edits_a_project(browser_as, office):
    pmo = browser_as(office.pmo)
    form = {"code": "web1", "name": "Opened from the web", "portfolio": office.portfolio.pk,
            "programme": office.programme.pk, "manager": office.pm.pk, "phase": "initiation",
            "status": "proposed", "rag": "green", "currency": "EUR"}
    made = pmo.post("/projects/new/", form)
    assert made.status_code == 302 and made["Location"] == "/projects/WEB1/"
    taken = pmo.post("/projects/new/", form)
    assert b"already used" in taken.content
    assert browser_as(office.pm).get("/projects/new/").status_code == 403

    pm = browser_as(office.pm)
    edit = {"name": "Renamed", "portfolio": office.portfolio.pk, "phase": "planning",
            "status": "active", "rag": "amber", "rag_reason": "", "currency": "EUR",
            "manager": office.pm.pk, "version": "1"}
    refused = pm.post("/projects/WEB1/edit/", edit)
    assert b"say why the project is amber or red" in refused.content
    saved = pm.post("/projects/WEB1/edit/", {**edit, "rag_reason": "Vendor late"})
    assert saved.status_code == 302
    from projectoffice.portfolio.models import Project

    project = Project.objects.get(code="WEB1")
    assert (project.name, project.rag, project.version) == ("Renamed", "amber", 2)
    assert browser_as(office.members["planner"]).get("/projects/MTX/edit/").status_code == 403
