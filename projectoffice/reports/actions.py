"""Every write to status reports: the project's reporting set-up, starting a report for a
period, editing its words (each save kept as a revision), submitting (which freezes the
figures), the Project Office's review (returned with comments, or accepted) and publishing,
which e-mails the report as PDF to the project's distribution after commit."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.editing import apply_changes, check_version, lock_for_update
from projectoffice.engine.reporting import period_containing
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.portfolio.access import has_perm
from projectoffice.portfolio.models import Project, Rag
from projectoffice.registers.spec import all_specs

from .models import (
    EDITABLE_STATES,
    PeriodKind,
    ReportingSetup,
    ReportRevision,
    ReportStatus,
    StatusReport,
)
from .pdf import report_pdf
from .snapshot import DECLARED_DIMENSIONS, SECTIONS, build_snapshot, default_declared

MAX_COMMENTARY = 10000
REFERENCE = re.compile(r"\b([A-Z]{2,5})-(\d{4})\b")


def _require(actor: User, project: Project, perm: str) -> None:
    if not has_perm(actor, project, perm):
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


def setup_of(project: Project) -> ReportingSetup:
    """The project's reporting set-up, or an unsaved one with the defaults."""
    found = ReportingSetup.objects.filter(project=project).first()
    return found or ReportingSetup(project=project)


def recipient_list(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


@transaction.atomic
def configure_reporting(*, actor: User, project: Project, version: int | None, period: str,
                        recipients: str = "") -> ReportingSetup:
    """Sets the project's reporting period and its other recipients."""
    _require(actor, project, "report.write")
    for address in recipient_list(recipients):
        try:
            validate_email(address)
        except ValidationError as exc:
            raise InvalidInput.field("recipients",
                                     f"{address!r} is not an e-mail address") from exc
    clean = "\n".join(recipient_list(recipients))
    setup = ReportingSetup.objects.filter(project=project).first()
    if period not in PeriodKind.values:
        raise InvalidInput.field("period", "choose weekly or monthly")
    if setup is None:  # the first set-up: nothing to be stale against
        setup = ReportingSetup(project=project, period=period, recipients=clean)
        setup.save()
        record_creation(actor=actor, obj=setup, fields=("period", "recipients"))
        return setup
    return apply_changes(actor=actor, obj=setup, expected_version=version,
                         changes={"period": period, "recipients": clean},
                         editable=("period", "recipients"))


@transaction.atomic
def start_report(*, actor: User, project: Project, today: dt.date,
                 day: dt.date | None = None) -> StatusReport:
    """A draft report for the period holding ``day`` (else today), in the project's period
    kind; its declared RAGs start from the figures and the project's own RAG."""
    _require(actor, project, "report.write")
    kind = setup_of(project).period
    period = period_containing(day or today, kind)
    if period.start > today:
        raise InvalidInput.field("period", "a report cannot be written for a future period")
    if StatusReport.objects.filter(project=project, period_start=period.start).exists():
        raise Conflict(f"{project.code} already has a report for {period.label}")
    snapshot = build_snapshot(project, period, today)
    computed = {d["key"]: d["rag"] for d in snapshot["health"]["dimensions"]}
    report = StatusReport(project=project, period_kind=kind, period_start=period.start,
                          period_end=period.end, author=actor,
                          declared=default_declared(project, computed),
                          commentary={key: "" for key, _ in SECTIONS})
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise Conflict(f"{project.code} already has a report for {period.label}") from exc
    record_creation(actor=actor, obj=report, fields=("period_start", "period_end", "status"))
    _keep_revision(report, actor)
    return report


def _keep_revision(report: StatusReport, actor: User) -> None:
    ReportRevision.objects.create(report=report, number=report.version,
                                  declared=report.declared, commentary=report.commentary,
                                  saved_by=actor, status=report.status)


def _check_references(project: Project, field: str, text: str) -> None:
    """Item references in a section (``RSK-0004``) must name items of the project."""
    found = {(p, int(n)) for p, n in REFERENCE.findall(text)}
    if not found:
        return
    by_prefix = {spec.prefix: spec for spec in all_specs()}
    missing = []
    for prefix, number in sorted(found):
        spec = by_prefix.get(prefix)
        if spec is None:
            continue
        if not spec.model.objects.filter(project=project, number=number).exists():
            missing.append(f"{prefix}-{number:04d}")
    if missing:
        raise InvalidInput.field(field, f"{', '.join(missing)} "
                                 f"{'is not an item' if len(missing) == 1 else 'are not items'}"
                                 f" of {project.code} (deleted or mistyped?)")


def _clean_declared(declared: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in ("overall", *(k for k, _ in DECLARED_DIMENSIONS)):
        value = declared.get(key)
        if value not in Rag.values:
            raise InvalidInput.field(f"declared.{key}", "choose green, amber or red")
        out[key] = str(value)
    reason = str(declared.get("reason") or "").strip()
    if len(reason) > 500:
        raise InvalidInput.field("declared.reason", "is longer than 500 characters")
    if out["overall"] in (Rag.AMBER, Rag.RED) and not reason:
        raise InvalidInput.field("declared.reason", "say why the project is amber or red")
    out["reason"] = reason
    unknown = set(declared) - set(out)
    if unknown:
        raise InvalidInput.field(f"declared.{sorted(unknown)[0]}", "is not a RAG dimension")
    return out


@transaction.atomic
def edit_report(*, actor: User, report: StatusReport, version: int | None,
                declared: dict[str, Any] | None = None,
                commentary: dict[str, str] | None = None) -> StatusReport:
    """Saves the project manager's declared RAGs and commentary of a draft (or a returned
    report); every save is kept as a revision."""
    _require(actor, report.project, "report.write")
    locked = lock_for_update(StatusReport, report.pk)
    check_version(locked, version)
    if locked.status not in EDITABLE_STATES:
        raise Conflict(f"The report is {locked.get_status_display().lower()}: only a draft "
                       "or a returned report can be edited")
    changes: dict[str, list[Any]] = {}
    if declared is not None:
        clean = _clean_declared(declared)
        if clean != locked.declared:
            changes["declared"] = [locked.declared, clean]
            locked.declared = clean
    if commentary is not None:
        sections = dict(SECTIONS)
        text = dict(locked.commentary)
        for key, value in commentary.items():
            if key not in sections:
                raise InvalidInput.field(f"commentary.{key}", "is not a section of the report")
            value = (value or "").strip()
            if len(value) > MAX_COMMENTARY:
                raise InvalidInput.field(f"commentary.{key}",
                                         f"is longer than {MAX_COMMENTARY} characters")
            _check_references(locked.project, f"commentary.{key}", value)
            if text.get(key, "") != value:
                changes[f"commentary.{key}"] = [text.get(key, ""), value]
                text[key] = value
        locked.commentary = text
    if changes:
        locked.version += 1
        locked.save()
        record_change(actor=actor, obj=locked, verb="report edited", changes=changes)
        _keep_revision(locked, actor)
    return locked


@transaction.atomic
def submit_report(*, actor: User, report: StatusReport, version: int | None,
                  today: dt.date) -> StatusReport:
    """Sends the report to the Project Office; the figures are frozen in it now."""
    _require(actor, report.project, "report.write")
    locked = lock_for_update(StatusReport, report.pk)
    check_version(locked, version)
    if locked.status not in EDITABLE_STATES:
        raise Conflict("Only a draft or a returned report can be submitted")
    if not (locked.commentary.get("summary") or "").strip():
        raise InvalidInput.field("commentary.summary", "write a summary before submitting")
    for key, _ in SECTIONS:
        _check_references(locked.project, f"commentary.{key}",
                          locked.commentary.get(key, ""))
    _clean_declared(locked.declared)
    locked.snapshot = build_snapshot(locked.project, _period(locked), today, locked.declared)
    locked.status = ReportStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="report submitted",
                  changes={"status": ["draft", "submitted"]})
    return locked


def _period(report: StatusReport) -> Any:
    return period_containing(report.period_start, report.period_kind)


@transaction.atomic
def review_report(*, actor: User, report: StatusReport, version: int | None, decision: str,
                  comment: str = "") -> StatusReport:
    """The Project Office returns the report with comments, or accepts it."""
    _require(actor, report.project, "report.review")
    if decision not in ("return", "accept"):
        raise InvalidInput.field("decision", "return the report or accept it")
    comment = comment.strip()
    if decision == "return" and not comment:
        raise InvalidInput.field("comment", "say what the project manager should change")
    if len(comment) > 5000:
        raise InvalidInput.field("comment", "is longer than 5000 characters")
    locked = lock_for_update(StatusReport, report.pk)
    check_version(locked, version)
    if locked.status != ReportStatus.SUBMITTED:
        raise Conflict("Only a submitted report can be reviewed")
    before = locked.status
    locked.status = ReportStatus.RETURNED if decision == "return" else ReportStatus.ACCEPTED
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.review_comment = comment
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb=f"report {locked.status}",
                  changes={"status": [before, locked.status], "comment": [None, comment]})
    return locked


@transaction.atomic
def publish_report(*, actor: User, report: StatusReport, version: int | None,
                   send: bool = True) -> StatusReport:
    """Publishes an accepted report: every member may read it, and it is e-mailed as PDF to
    the project's members and other recipients once the transaction commits."""
    _require(actor, report.project, "report.review")
    locked = lock_for_update(StatusReport, report.pk)
    check_version(locked, version)
    if locked.status != ReportStatus.ACCEPTED:
        raise Conflict("Only an accepted report can be published")
    locked.status = ReportStatus.PUBLISHED
    locked.published_at, locked.published_by = timezone.now(), actor
    locked.version += 1
    locked.save()
    record_change(actor=actor, obj=locked, verb="report published",
                  changes={"status": ["accepted", "published"]})
    if send:
        report_id = locked.pk
        transaction.on_commit(lambda: send_report(report_id))
    return locked


def distribution(project: Project) -> list[str]:
    """The addresses a published report goes to: the members, the manager and sponsor,
    and the project's other recipients."""
    people = set(project.memberships.filter(user__is_active=True)
                 .values_list("user__email", flat=True))
    people |= {u.email for u in (project.manager, project.sponsor) if u is not None}
    people |= set(recipient_list(setup_of(project).recipients))
    return sorted(a for a in people if a)


def send_report(report_id: int) -> int:
    """E-mails a published report as PDF; returns the number of recipients."""
    report = StatusReport.objects.select_related("project").get(pk=report_id)
    to = distribution(report.project)
    if not to:
        return 0
    label = _period(report).label
    mail = EmailMessage(
        subject=f"Status report: {report.project.code} {report.project.name}, {label}",
        body=f"The status report of {report.project} for {label} is attached.", to=to)
    mail.attach(f"status-report-{report.project.code}-{report.period_start}.pdf",
                report_pdf(report), "application/pdf")
    mail.send()
    return len(to)
