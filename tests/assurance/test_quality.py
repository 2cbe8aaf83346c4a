"""Quality: the plan's criteria become a review's checklist, an outcome needs the checklist
worked through and follow-ups in the Actions register, a non-conformance closes only on
verified corrective actions, and the measures count first-time passes and ages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from projectoffice.assurance import quality, quality_queries
from projectoffice.assurance.quality_models import NonConformance, QualityReview
from projectoffice.assurance.quality_registers import (
    NONCONFORMANCES,
    QUALITY_AUDITS,
    QUALITY_REVIEWS,
)
from projectoffice.assurance.registers import DELIVERABLES
from projectoffice.controls.models import Action
from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import Notification
from tests.conftest import Api, Office

pytestmark = pytest.mark.django_db


def deliverable(office: Office, title: str = "Portal", **data: Any) -> Any:
    return kernel.create_item(actor=office.pm, spec=DELIVERABLES, project=office.project,
                              data={"title": title, "product_type": "software",
                                    "acceptance_criteria": "- Signs in\n- Works on phones",
                                    **data})


def plan(office: Office) -> None:
    quality.save_quality_plan(
        actor=office.members["quality_manager"], project=office.project, version=None,
        standards="ISO 9001:2015", review_methods="Inspection",
        criteria=quality.parse_criteria("software: Code reviewed by a second developer\n"
                                        "document: Spelling checked\n"
                                        "Owner named"))


def review(office: Office, subject: Any, **data: Any) -> QualityReview:
    item = kernel.create_item(actor=office.pm, spec=QUALITY_REVIEWS, project=office.project,
                              data={"title": f"Review of {subject.title}",
                                    "subject_reference": subject.reference, **data})
    assert isinstance(item, QualityReview)
    return item


def move(office: Office, item: Any, transition: str, comment: str = "",
         actor: Any = None) -> Any:
    fresh = type(item).objects.get(pk=item.pk)
    return kernel.transition_item(actor=actor or office.members["quality_manager"], item=fresh,
                                  transition=transition, version=fresh.version,
                                  comment=comment)


def check_all(office: Office, item: QualityReview, result: str = "met") -> QualityReview:
    fresh = QualityReview.objects.get(pk=item.pk)
    return quality.record_checks(
        actor=office.members["quality_manager"], review=fresh, version=fresh.version,
        checks=[quality.CheckIn(c.position, result, "") for c in fresh.checks.all()])


def test_the_checklist_comes_from_the_plan_and_the_acceptance_criteria(office: Office) -> None:
    plan(office)
    item = review(office, deliverable(office), reviewer=office.members["testing_manager"],
                  other_reviewers="team_member")
    assert Notification.objects.filter(recipient=office.members["testing_manager"]).exists()
    move(office, item, "start")
    assert [c.criterion for c in item.checks.all()] == [
        "Code reviewed by a second developer", "Owner named", "Signs in", "Works on phones"]
    assert Notification.objects.filter(recipient=office.members["team_member"],
                                       kind="review").exists()


def test_an_outcome_needs_the_checklist_and_a_fail_needs_a_follow_up(office: Office) -> None:
    plan(office)
    item = review(office, deliverable(office))
    move(office, item, "start")
    with pytest.raises(InvalidInput) as exc:
        move(office, item, "pass")
    assert "checklist" in exc.value.errors
    fresh = QualityReview.objects.get(pk=item.pk)
    quality.record_checks(actor=office.members["quality_manager"], review=fresh,
                          version=fresh.version,
                          checks=[quality.CheckIn(1, "not_met", "No second reviewer"),
                                  *[quality.CheckIn(n, "met") for n in (2, 3, 4)]],
                          findings="One criterion missed")
    with pytest.raises(InvalidInput, match="not met"):
        move(office, item, "pass")
    with pytest.raises(InvalidInput) as exc:
        move(office, item, "fail", "Rework needed")
    assert "follow_up" in exc.value.errors
    action = quality.raise_follow_up(actor=office.members["quality_manager"], item=item,
                                     title="Get a second review",
                                     assignee=office.members["team_member"])
    assert isinstance(action, Action) and action.source.endswith(item.reference)
    assert Notification.objects.filter(recipient=office.members["team_member"],
                                       object_id=action.pk).exists()
    done = move(office, item, "fail", "Rework needed")
    assert done.status == "failed" and list(quality.follow_ups(done)) == [action]


def test_first_time_pass_counts_each_product_once(office: Office) -> None:
    plan(office)
    first, second = deliverable(office, "Portal"), deliverable(office, "Manual")
    for subject, outcome in ((first, "pass"), (second, "fail"), (second, "pass")):
        item = review(office, subject)
        move(office, item, "start")
        check_all(office, item)
        if outcome == "fail":
            quality.raise_follow_up(actor=office.pm, item=item, title="Fix it")
        move(office, item, outcome, "Rework")
    m = quality_queries.measures(office.project, dt.date.today())
    assert (m.reviews_done, m.subjects_reviewed, m.first_time_passes) == (3, 2, 1)
    assert m.first_time_pass_rate == 0.5


def test_a_nonconformance_closes_only_on_verified_corrective_actions(office: Office) -> None:
    qm = office.members["quality_manager"]
    audit = kernel.create_item(actor=qm, spec=QUALITY_AUDITS, project=office.project,
                               data={"title": "Process audit", "auditor": qm})
    with pytest.raises(InvalidInput) as exc:
        kernel.create_item(actor=qm, spec=NONCONFORMANCES, project=office.project,
                           data={"title": "x", "audit_reference": "AUD-0099"})
    assert "audit_reference" in exc.value.errors
    nc = kernel.create_item(actor=qm, spec=NONCONFORMANCES, project=office.project,
                            data={"title": "Reviews not recorded", "severity": "major",
                                  "audit_reference": audit.reference, "owner": office.pm})
    assert isinstance(nc, NonConformance) and nc.audit == audit
    assert Notification.objects.filter(recipient=office.pm, object_id=nc.pk).exists()
    with pytest.raises(InvalidInput) as exc:
        move(office, nc, "plan")
    assert "corrective_action" in exc.value.errors
    nc = kernel.update_item(actor=qm, item=nc, version=nc.version,
                            changes={"corrective_action": "Record every review"})
    with pytest.raises(InvalidInput) as exc:
        move(office, nc, "plan")
    assert "actions" in exc.value.errors
    action = quality.raise_follow_up(actor=qm, item=nc, title="Record reviews",
                                     kind="corrective", assignee=office.members["team_member"])
    move(office, nc, "plan")
    with pytest.raises(InvalidInput, match="not done"):
        move(office, nc, "done")
    kernel.transition_item(actor=office.members["team_member"], item=action,
                           transition="complete", version=action.version)
    move(office, nc, "done")
    with pytest.raises(InvalidInput) as exc:
        move(office, nc, "verify")  # a verification says what was checked
    assert "comment" in exc.value.errors
    closed = move(office, nc, "verify", "Sampled five reviews: all recorded")
    assert closed.status == "closed" and closed.verified_by == qm and closed.verified_on
    m = quality_queries.measures(office.project, dt.date.today())
    assert m.open_ncs == 0 and m.audits == 1


def test_open_nonconformances_by_age(office: Office) -> None:
    today = dt.date(2026, 6, 1)
    for days in (3, 45, 200):
        kernel.create_item(actor=office.pm, spec=NONCONFORMANCES, project=office.project,
                           data={"title": f"Found {days} days ago"},
                           today=today - dt.timedelta(days=days))
    m = quality_queries.measures(office.project, today)
    assert m.open_by_age == {"0–30 days": 1, "31–60 days": 1, "61–90 days": 0,
                             "over 90 days": 1}
    assert m.oldest_open_days == 200
    rows = quality_queries.office_quality(office.pmo, today)
    assert [(p.code, r.open_ncs) for p, r in rows] == [("MTX", 3)]
    assert quality_queries.office_quality(office.outsider, today) == []


def test_the_plan_is_the_quality_managers_and_checks_its_input(office: Office) -> None:
    with pytest.raises(Forbidden):
        quality.save_quality_plan(actor=office.members["team_member"], project=office.project,
                                  version=None, standards="x")
    with pytest.raises(InvalidInput) as exc:
        quality.save_quality_plan(actor=office.members["quality_manager"],
                                  project=office.project, version=None,
                                  criteria=[quality.CriterionIn("software", "")])
    assert "criteria" in exc.value.errors
    plan(office)
    with pytest.raises(Exception, match="changed"):
        quality.save_quality_plan(actor=office.members["quality_manager"],
                                  project=office.project, version=7, standards="y")


def test_a_review_names_a_deliverable_or_document_of_its_own_project(office: Office) -> None:
    other = kernel.create_item(actor=office.pmo, spec=DELIVERABLES, project=office.other,
                               data={"title": "Elsewhere"})
    with pytest.raises(InvalidInput) as exc:
        review(office, other)
    assert "subject_reference" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        review(office, deliverable(office), document_version=2)
    assert "document_version" in exc.value.errors


def test_quality_api(office: Office) -> None:
    qm = Api(office.members["quality_manager"])
    response = qm.post("/projects/MTX/quality/plan", {
        "standards": "ISO 9001", "criteria": [{"product_type": "software",
                                               "text": "Code reviewed"}]})
    assert response.status_code == 200, response.content
    item = review(office, deliverable(office))
    move(office, item, "start")
    fresh = QualityReview.objects.get(pk=item.pk)
    response = qm.post(f"/projects/MTX/quality-reviews/{item.reference}/checklist", {
        "version": fresh.version, "checks": [{"position": 9, "result": "met"}]})
    assert response.status_code == 422 and "checks.1.position" in response.json()["errors"]
    response = qm.post(f"/projects/MTX/quality-reviews/{item.reference}/checklist", {
        "version": fresh.version, "checks": [{"position": 1, "result": "met"}],
        "findings": "Fine"})
    assert response.status_code == 200 and response.json()["checks"][0]["result"] == "met"
    response = qm.post(f"/projects/MTX/quality-reviews/{item.reference}/follow-ups",
                       {"title": "Tidy", "assignee": "nobody"})
    assert response.status_code == 422 and "assignee" in response.json()["errors"]
    body = qm.get("/projects/MTX/quality").json()
    assert body["plan"]["criteria"] == [{"product_type": "software", "text": "Code reviewed"}]
    assert body["measures"]["reviews_open"] == 1
    assert Api(office.pmo).get("/quality").json()[0]["project"] == "MTX"
