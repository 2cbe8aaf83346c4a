"""Security incidents are read only by their reporter, the security manager and the Project
Office manager — in lists, pages, the API, exports, links and search. Access reviews list who
holds which role; the project's manager confirms or revokes each line, and a revocation
removes the role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from projectoffice.audit.models import AuditEntry
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.infosec import actions
from projectoffice.infosec.models import AccessReviewLine
from projectoffice.infosec.registers import SECURITY_INCIDENTS
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.portfolio.access import has_perm
from projectoffice.portfolio.models import Membership
from projectoffice.registers import actions as kernel
from projectoffice.search.queries import search
from tests.conftest import PASSWORD, Api, Office, make_user


def _incident(office: Office, reporter: str = "team_member") -> object:
    return kernel.create_item(
        actor=office.members[reporter], spec=SECURITY_INCIDENTS, project=office.project,
        data={"title": "Phishing mail opened", "severity": "high",
              "detection": "Reported by the recipient"})


def _sees(user: object, office: Office) -> bool:
    return bool(Api(user).get("/projects/MTX/security-incidents").json().get("count") == 1)


def test_an_incident_is_read_only_by_its_reporter_and_security(office: Office) -> None:
    incident = _incident(office)
    readers = {role for role, user in office.members.items() if _sees(user, office)}
    readers |= {name for name, user in (("pmo_manager", office.pmo),
                                        ("pmo_staff", office.staff),
                                        ("executive", office.executive)) if _sees(user, office)}
    assert readers == {"team_member", "security_manager", "pmo_manager"}
    ref = incident.reference  # type: ignore[attr-defined]
    pm = Api(office.pm)
    assert pm.get(f"/projects/MTX/security-incidents/{ref}").status_code == 404
    assert pm.get(f"/projects/MTX/security-incidents/{ref}/history").status_code == 404
    assert pm.post(f"/projects/MTX/security-incidents/{ref}/comments",
                   {"body": "Hello"}).status_code == 404
    export = pm.get("/projects/MTX/security-incidents/export?format=csv")
    assert export.status_code == 200 and b"Phishing" not in export.content
    # Linking an issue to it does not reveal its title either.
    linked = pm.post(f"/projects/MTX/issues/{office.issue.reference}/links",
                     {"target": ref, "kind": "relates"})
    assert linked.status_code == 422 and b"Phishing" not in linked.content
    assert search(office.pm, "phishing")[0] == 0
    assert search(office.members["security_manager"], "phishing")[0] == 1
    page = Client()
    page.login(username="project_manager", password=PASSWORD)
    assert page.get(f"/projects/MTX/security-incidents/{ref}/").status_code == 404
    listing = page.get("/projects/MTX/security-incidents/?status=")
    assert listing.status_code == 200 and b"Phishing" not in listing.content
    page.login(username="team_member", password=PASSWORD)
    assert b"Phishing" in page.get(f"/projects/MTX/security-incidents/{ref}/").content
    # Nor does the audit trail, on the project's page, the home page or through the API.
    trail = Client()
    trail.login(username="project_manager", password=PASSWORD)
    for url in ("/projects/MTX/audit/", "/projects/MTX/", "/", "/audit/"):
        answer = trail.get(url)
        assert answer.status_code == 200 and b"Phishing" not in answer.content, url
    for url in ("/audit?limit=200", "/projects/MTX/audit?limit=200"):
        entries = pm.get(url).json()
        assert entries["count"] > 0
        assert not [e for e in entries["items"] if "Phishing" in e["object"]], url
    security_trail = Api(office.members["security_manager"]).get("/audit?limit=200").json()
    assert [e for e in security_trail["items"] if "Phishing" in e["object"]]
    # Nor does a saved report over the register, even one the Project Office shares.
    report = Api(office.pmo).post("/saved-reports", {
        "name": "Incidents", "source": "security-incidents", "scope": "office",
        "columns": ["reference", "title"]})
    assert report.status_code == 201, report.content

    def titles(user: object) -> list[str]:
        table = Api(user).get(f"/saved-reports/{report.json()['id']}/table").json()
        return [row[1] for group in table["groups"] for row in group["rows"]]

    assert titles(office.pm) == []
    assert titles(office.members["team_member"]) == ["Phishing mail opened"]
    assert titles(office.members["security_manager"]) == ["Phishing mail opened"]


def test_only_security_moves_an_incident_and_resolving_needs_lessons(office: Office) -> None:
    incident = _incident(office)
    with pytest.raises(Forbidden):
        kernel.transition_item(actor=office.members["team_member"], item=incident,
                               transition="investigate", version=1)
    security = office.members["security_manager"]
    item = kernel.transition_item(actor=security, item=incident, transition="investigate",
                                  version=1)
    with pytest.raises(InvalidInput) as refused:
        kernel.transition_item(actor=security, item=item, transition="resolve",
                               version=item.version)
    assert "resolution" in refused.value.errors
    item = kernel.update_item(actor=security, item=item, version=item.version, changes={
        "resolution": "Password reset, mailbox rule removed",
        "lessons": "Run the phishing drill again"})
    item = kernel.transition_item(actor=security, item=item, transition="resolve",
                                  version=item.version)
    assert item.status == "resolved"


def test_tickets_are_read_by_requester_support_and_managers(office: Office) -> None:
    from projectoffice.support.registers import TICKETS

    kernel.create_item(actor=office.members["team_member"], spec=TICKETS,
                       project=office.project, data={"title": "My laptop will not boot"})
    readers = {role for role, user in office.members.items()
               if Api(user).get("/projects/MTX/tickets").json().get("count") == 1}
    assert readers == {"team_member", "support", "project_manager"}
    for user in (office.pmo, office.staff):
        assert Api(user).get("/projects/MTX/tickets").json()["count"] == 1
    assert Api(office.executive).get("/projects/MTX/tickets").json()["count"] == 0


def test_an_access_review_is_decided_by_the_projects_manager(office: Office) -> None:
    security = office.members["security_manager"]
    review = actions.start_access_review(actor=security, project=office.project,
                                         title="Quarterly access review", period="2026 Q1",
                                         today=dt.date(2026, 3, 31))
    lines = {line.user.username: line
             for line in review.lines.filter(scope="project").select_related("user")}
    assert len(lines) == Membership.objects.filter(project=office.project).count()
    assert lines["stakeholder"].role_label == "Stakeholder (read only)"
    # Someone who does not manage the project's members may not decide a line.
    with pytest.raises(Forbidden):
        actions.decide_review_line(actor=security, line=lines["planner"], decision="confirmed")
    with pytest.raises(NotFound):
        actions.decide_review_line(actor=office.outsider, line=lines["planner"],
                                   decision="confirmed")
    with pytest.raises(InvalidInput):
        actions.decide_review_line(actor=office.pm, line=lines["planner"], decision="maybe")
    assert not AccessReviewLine.objects.exclude(decision="").exists()
    actions.decide_review_line(actor=office.pm, line=lines["planner"], decision="confirmed")
    with pytest.raises(Conflict):
        actions.decide_review_line(actor=office.pm, line=lines["planner"],
                                   decision="revoked")
    stakeholder = lines["stakeholder"].user
    assert has_perm(stakeholder, office.project, "project.view")
    actions.decide_review_line(actor=office.pm, line=lines["stakeholder"], decision="revoked",
                               note="Left the customer's team")
    stakeholder.refresh_from_db()
    stakeholder.__dict__.pop("_roles_by_project", None)  # roles read before the revocation
    assert not has_perm(stakeholder, office.project, "project.view")
    assert AuditEntry.objects.filter(verb="member_removed").exists()
    assert AuditEntry.objects.filter(verb="access revoked", object_id=str(review.pk)).exists()
    with pytest.raises(InvalidInput):  # lines still open
        kernel.transition_item(actor=security, item=review, transition="complete",
                               version=review.version)
    for line in review.lines.filter(decision="", scope="project"):
        actions.decide_review_line(actor=office.pm, line=line, decision="confirmed")
    for line in review.lines.filter(decision="", scope="global"):
        if line.user != office.pmo:
            actions.decide_review_line(actor=office.pmo, line=line, decision="confirmed")
    # The Project Office manager's own line is decided by another holder of roles.manage.
    own = review.lines.get(user=office.pmo, scope="global")
    with pytest.raises(Forbidden):
        actions.decide_review_line(actor=office.pmo, line=own, decision="confirmed")
    second = make_user("second_pmo", "pmo_manager")
    actions.decide_review_line(actor=second, line=own, decision="confirmed")
    review.refresh_from_db()
    with pytest.raises(InvalidInput):  # the evidence is recorded first
        kernel.transition_item(actor=security, item=review, transition="complete",
                               version=review.version)
    review = kernel.update_item(actor=security, item=review, version=review.version,
                                changes={"evidence": "Checked against the HR leavers list"})
    done = kernel.transition_item(actor=security, item=review, transition="complete",
                                  version=review.version)
    assert done.status == "complete"


def test_review_lines_over_the_api(office: Office) -> None:
    security = office.members["security_manager"]
    review = actions.start_access_review(actor=security, project=office.project,
                                         title="Review")
    ref = review.reference
    lines = Api(security).get(f"/projects/MTX/access-reviews/{ref}/lines").json()
    line = next(x for x in lines if x["user"] == "planner")
    assert Api(office.members["team_member"]).get(
        f"/projects/MTX/access-reviews/{ref}/lines").status_code == 403
    url = f"/projects/MTX/access-reviews/{ref}/lines/{line['id']}/decide"
    assert Api(security).post(url, {"decision": "confirmed"}).status_code == 403
    bad = Api(office.pm).post(url, {"decision": "perhaps"})
    assert bad.status_code == 422 and "decision" in bad.json()["errors"]
    done = Api(office.pm).post(url, {"decision": "confirmed", "note": "Still planning"})
    assert done.status_code == 200 and done.json()["decision"] == "confirmed"


def test_global_roles_are_reviewed_and_revoked_through_the_accounts_action(
        office: Office) -> None:
    security = office.members["security_manager"]
    review = actions.start_access_review(actor=security, project=office.project,
                                         title="Office-wide roles")
    held = {(line.user.username, line.role, line.role_label)
            for line in review.lines.filter(scope="global").select_related("user")}
    assert held == {("pmo_manager", "pmo_manager", "Project Office manager"),
                    ("pmo_staff", "pmo_staff", "PMO staff"),
                    ("executive", "executive", "Executive / sponsor")}
    line = review.lines.get(scope="global", user=office.staff)
    # The project's manager decides project roles only; nobody decides their own.
    with pytest.raises(Forbidden):
        actions.decide_review_line(actor=office.pm, line=line, decision="revoked")
    with pytest.raises(Forbidden):
        actions.decide_review_line(actor=office.pmo, line=review.lines.get(
            scope="global", user=office.pmo), decision="revoked")
    assert not AccessReviewLine.objects.exclude(decision="").exists()
    assert has_perm(office.staff, office.other, "project.view")
    api = Api(office.pmo)
    listed = api.get(f"/projects/MTX/access-reviews/{review.reference}/lines").json()
    assert {x["scope"] for x in listed} == {"project", "global"}
    answer = api.post(f"/projects/MTX/access-reviews/{review.reference}/lines/{line.pk}/"
                      "decide", {"decision": "revoked", "note": "Moved to finance"})
    assert answer.status_code == 200, answer.content
    office.staff.refresh_from_db()
    assert office.staff.global_role == ""
    assert not has_perm(office.staff, office.other, "project.view")
    change = AuditEntry.objects.get(verb="global role changed",
                                    object_id=str(office.staff.pk))
    assert change.changes["global_role"] == ["pmo_staff", None]
    assert change.actor == office.pmo and review.reference in change.changes["reason"][1]
    # Loading again adds nothing: the lines stay as they were when reviewed.
    assert actions.load_review_lines(actor=security, review=review) == 0
    # The page shows the office-wide lines, with buttons only where the reader may decide.
    page = Client()
    page.login(username="pmo_manager", password=PASSWORD)
    html = page.get(f"/projects/MTX/access-reviews/{review.reference}/").content.decode()
    assert 'data-scope="global"' in html and "Office-wide" in html
    page.login(username="project_manager", password=PASSWORD)
    html = page.get(f"/projects/MTX/access-reviews/{review.reference}/").content.decode()
    executive_row = html.split('data-line="executive-executive"')[1].split("</tr>")[0]
    assert "Revoke" not in executive_row


def test_a_new_incident_tells_the_security_managers(
        office: Office, django_capture_on_commit_callbacks: Any) -> None:
    from django.core import mail

    from projectoffice.registers.models import Notification

    security = office.members["security_manager"]
    security.email = "security@example.org"
    security.save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        incident = _incident(office)
    told = Notification.objects.filter(kind="incident")
    assert [n.recipient for n in told] == [security]
    assert incident.reference in told[0].message  # type: ignore[attr-defined]
    assert [m.to for m in mail.outbox] == [["security@example.org"]]
    # Where the project has no security manager, the Project Office managers hear of it.
    other = kernel.create_item(actor=office.outsider, spec=SECURITY_INCIDENTS,
                               project=office.other, data={"title": "Badge lost"})
    assert [n.recipient for n in Notification.objects.filter(
        kind="incident", object_id=other.pk)] == [office.pmo]


def test_the_reporter_finds_their_own_incident_in_search_and_the_list(
        office: Office) -> None:
    reporter = office.members["team_member"]
    incident = _incident(office)
    assert search(reporter, "phishing")[0] == 1
    assert search(office.members["planner"], "phishing")[0] == 0
    assert search(office.pm, "phishing")[0] == 0
    listing = Api(reporter).get("/projects/MTX/security-incidents").json()
    assert [x["reference"] for x in listing["items"]] == [
        incident.reference]  # type: ignore[attr-defined]
    # Made its owner, the planner finds it too; the reporter stops finding it once they
    # leave the project.
    kernel.update_item(actor=office.members["security_manager"], item=incident,
                       version=incident.version,  # type: ignore[attr-defined]
                       changes={"owner": office.members["planner"]})
    assert search(office.members["planner"], "phishing")[0] == 1
    membership = Membership.objects.get(project=office.project, user=reporter)
    portfolio_actions.remove_member(actor=office.pmo, project=office.project,
                                    membership_id=membership.pk)
    reporter.__dict__.pop("_roles_by_project", None)
    assert search(reporter, "phishing")[0] == 0
