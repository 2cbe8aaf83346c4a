"""Demo data of quality and configuration management, made through the actions: a quality
plan with criteria per deliverable type, reviews (a first-time pass, a fail with its
follow-up and the re-review that passed, one under way), an audit with non-conformances
(one closed on verified corrective action, one open), configuration items with versions, a
design baseline, a change-controlled version and the release baseline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from projectoffice.architecture.models import Component
from projectoffice.controls.models import ChangeRequest
from projectoffice.documents.models import Document
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel

from . import configuration, quality
from .models import Deliverable
from .quality_models import QualityReview
from .quality_registers import (
    CONFIGURATION_ITEMS,
    NONCONFORMANCES,
    QUALITY_AUDITS,
    QUALITY_REVIEWS,
)

CRITERIA = """software: Code reviewed by a second developer before merging
software: Automated tests pass in the CI pipeline
software: No open defect of high or critical severity
document: Follows the office's document template
document: Approved by the named reviewers
training: Learning objectives stated for each module
all: An owner is named and the deliverable is tied to the plan"""


def demo_quality(people: dict[str, Any], projects: list[Project], today: date) -> None:
    chosen = projects[:2]
    for project in chosen:
        _quality(people, project, today, detailed=project == chosen[-1])
        _configuration(people, project, today, detailed=project == chosen[-1])


def _move(actor: Any, item: Any, transition: str, day: date, comment: str = "") -> Any:
    return kernel.transition_item(actor=actor, item=item, transition=transition,
                                  version=item.version, comment=comment, today=day)


def _review(george: Any, subject: Any, reviewer: Any, day: date, outcome: str | None,
            not_met: int | None = None, follow_up: tuple[str, Any] | None = None) -> Any:
    review: Any = kernel.create_item(
        actor=george, spec=QUALITY_REVIEWS, project=subject.project, today=day,
        data={"title": f"Review of {subject.title}", "subject_reference": subject.reference,
              "method": "inspection", "reviewer": reviewer, "owner": george,
              "due_date": day + timedelta(days=5)})
    review = _move(george, review, "start", day)
    checks = [quality.CheckIn(c.position, "not_met" if c.position == not_met else "met",
                              "Second review missing on two merge requests"
                              if c.position == not_met else "")
              for c in review.checks.all()]
    if outcome is None:  # under way: half the checklist done
        checks = checks[:len(checks) // 2]
    review = quality.record_checks(
        actor=george, review=review, version=review.version, checks=checks,
        findings="" if outcome is None else "Reviewed against the quality plan's criteria.")
    if follow_up is not None:
        quality.raise_follow_up(actor=george, item=review, title=follow_up[0],
                                assignee=follow_up[1], due_date=day + timedelta(days=7),
                                today=day)
    if outcome is not None:
        review = _move(george, review, outcome, day + timedelta(days=1),
                       "" if outcome == "pass" else "Criterion not met: see the checklist.")
    assert isinstance(review, QualityReview)
    return review


def _quality(people: dict[str, Any], project: Project, today: date, detailed: bool) -> None:
    george, omar, paula = people["george"], people["omar"], people["paula"]
    quality.save_quality_plan(
        actor=george, project=project, version=None,
        standards="ISO 9001:2015 (clauses 8.3 design and 8.6 release)\nWCAG 2.2 AA\n"
                  "The office's secure coding standard",
        review_methods="Inspection against the criteria below for every deliverable; "
                       "peer review of code; walkthrough of training material with agents.",
        approach="Every deliverable is reviewed before it is submitted for acceptance; "
                 "quality audits twice a year.",
        criteria=quality.parse_criteria(CRITERIA))
    deliverables = list(Deliverable.objects.filter(project=project).order_by("number"))
    if not deliverables:
        return
    start = today - timedelta(days=30)
    software = next((d for d in deliverables if d.product_type == "software"), deliverables[0])
    others = [d for d in deliverables if d != software]
    # The software failed its first review, was reworked and passed the second.
    failed = _review(george, software, people["nina"], start, "fail", not_met=1,
                     follow_up=("Second review for the two unreviewed merge requests", omar))
    action = quality.follow_ups(failed).first()
    if action is not None:
        _move(omar, action, "complete", start + timedelta(days=4))
    _review(george, software, people["nina"], start + timedelta(days=6), "pass")
    if others:
        _review(george, others[0], paula, start + timedelta(days=8), "pass")
    if detailed and len(others) > 1:
        _review(george, others[1], paula, today - timedelta(days=2), None)
    document = Document.objects.filter(project=project).order_by("number").first()
    if detailed and document is not None:
        _review(george, document, paula, start + timedelta(days=10), "conditional", not_met=1,
                follow_up=("Move the document to the office template", paula))
    # The audit and its non-conformances.
    audit: Any = kernel.create_item(
        actor=george, spec=QUALITY_AUDITS, project=project, today=start,
        data={"title": "Design and release control audit", "auditor": people["staff"],
              "owner": george, "standard": "ISO 9001:2015 8.3, 8.6",
              "scope": "How design outputs are reviewed and released; the test evidence "
                       "kept for release 1.0.",
              "audit_date": start + timedelta(days=2)})
    audit = _move(george, audit, "start", start + timedelta(days=2))
    audit = kernel.update_item(actor=george, item=audit, version=audit.version, changes={
        "findings": "Design reviews happen but two were not recorded; release notes "
                    "do not list the configuration item versions."})
    audit = _move(george, audit, "report", start + timedelta(days=3))
    closed: Any = kernel.create_item(
        actor=george, spec=NONCONFORMANCES, project=project, today=start + timedelta(days=3),
        data={"title": "Two design reviews not recorded", "severity": "minor",
              "audit_reference": audit.reference, "owner": project.manager or george,
              "requirement": "ISO 9001:2015 8.3.4 design controls",
              "root_cause": "Reviews held in meetings were not written up.",
              "corrective_action": "Record the two reviews from the meeting notes.",
              "preventive_action": "Reviews are recorded in the Quality reviews register."})
    fix = quality.raise_follow_up(actor=george, item=closed, kind="corrective",
                                  title="Record the two missing design reviews",
                                  assignee=paula, today=start + timedelta(days=3))
    closed = _move(george, closed, "plan", start + timedelta(days=4))
    _move(paula, fix, "complete", start + timedelta(days=8))
    closed = _move(george, closed, "done", start + timedelta(days=9))
    _move(george, closed, "verify", start + timedelta(days=10),
          "Both reviews are now in the register with their checklists.")
    if detailed:
        open_nc: Any = kernel.create_item(
            actor=george, spec=NONCONFORMANCES, project=project,
            today=start + timedelta(days=3),
            data={"title": "Release notes omit configuration item versions",
                  "severity": "major", "audit_reference": audit.reference,
                  "owner": people["ivan"], "requirement": "ISO 9001:2015 8.6 release",
                  "root_cause": "The release checklist predates configuration management.",
                  "corrective_action": "Generate release notes from the release baseline."})
        quality.raise_follow_up(actor=george, item=open_nc, kind="corrective",
                                title="Release notes listed from the release baseline",
                                assignee=people["ivan"], due_date=today + timedelta(days=5),
                                today=start + timedelta(days=4))
        quality.raise_follow_up(actor=george, item=open_nc, kind="preventive",
                                title="Add the baseline to the release checklist",
                                assignee=people["ivan"], due_date=today + timedelta(days=12),
                                today=start + timedelta(days=4))
        _move(george, open_nc, "plan", start + timedelta(days=5))


CI_DATA = [
    # (identifier, title, type, deliverable type to link, versions)
    ("portal-web", "Portal web application", "software", "software",
     [("1.0.3", "9f2c1e7"), ("1.0.4", "b41d0aa")]),
    ("portal-api", "Portal API service", "software", None, [("2.3.0", "77ac3de")]),
    ("env-systest", "System test environment", "environment", None,
     [("2026.1", "")]),
    ("training-pack", "Contact-centre training pack", "deliverable", "training",
     [("0.9", "")]),
]


def _configuration(people: dict[str, Any], project: Project, today: date,
                   detailed: bool) -> None:
    ivan = people["ivan"]
    by_type = {d.product_type: d for d in Deliverable.objects.filter(project=project)
               .order_by("-number")}
    components = list(Component.objects.filter(project=project).order_by("number"))
    items = []
    for n, (identifier, title, kind, deliverable_type, versions) in enumerate(CI_DATA):
        deliverable = by_type.get(deliverable_type or "")
        item: Any = kernel.create_item(
            actor=ivan, spec=CONFIGURATION_ITEMS, project=project,
            today=today - timedelta(days=30),
            data={"title": title, "identifier": identifier, "ci_type": kind, "owner": ivan,
                  "deliverable_reference": deliverable.reference if deliverable else "",
                  "component_reference": components[n].reference
                  if kind == "software" and n < len(components) else ""})
        item = _move(ivan, item, "control", today - timedelta(days=30))
        for label, commit in versions[:1]:
            configuration.record_version(
                actor=ivan, item=item, label=label, revision=commit,
                location="https://git.example.org/portal/" + identifier if commit else "")
        items.append((item, versions))
    document = Document.objects.filter(project=project, current_version__isnull=False) \
        .order_by("number").first()
    if document is not None:
        doc_item: Any = kernel.create_item(
            actor=ivan, spec=CONFIGURATION_ITEMS, project=project,
            today=today - timedelta(days=30),
            data={"title": document.title, "identifier": document.reference.lower(),
                  "ci_type": "document", "owner": ivan})
        configuration.record_version(actor=ivan, item=doc_item, label="1",
                                     document_reference=document.reference)
    configuration.create_baseline(
        actor=ivan, project=project, name="Design baseline",
        description="What system test started from.")
    change = ChangeRequest.objects.filter(project=project,
                                          status__in=configuration.AUTHORISING_STATES) \
        .order_by("number").first()
    # After the baseline, a new version only through an approved change.
    for item, versions in items if change is not None else []:
        assert change is not None
        for label, commit in versions[1:]:
            configuration.record_version(
                actor=ivan, item=item, label=label, revision=commit,
                location="https://git.example.org/portal/" + item.identifier,
                note="Built under the approved change", change_reference=change.reference)
    if detailed:
        configuration.create_baseline(
            actor=ivan, project=project, name="Release 1.0", kind="release",
            description="The release handed to the customer.")
