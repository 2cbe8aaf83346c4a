"""Every write to saved reports: saving a definition (checked in full before anything is
written), changing and deleting it, and e-mailing scheduled reports when they are due.

``send_due_reports(now)`` is a plain function so that any scheduler can call it (the
``pmo send-reports`` command does, e.g. hourly from cron)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import apply_changes, create_object, lock_for_update
from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.portfolio.models import Project

from .exports import render
from .models import ExportFormat, SavedReport, Schedule, Scope
from .queries import checked, definition_of, may_change, may_share, run_report, source_of

FIELDS = ("name", "description", "source", "definition", "scope", "project", "schedule",
          "recipients", "export_format")


@dataclass
class ReportInput:
    """A report as the builder's form or the API sends it."""

    name: str
    source: str
    columns: list[str]
    filters: list[dict[str, str]] = field(default_factory=list)
    group_by: str = ""
    totals: list[str] = field(default_factory=list)
    sort: str = ""
    description: str = ""
    scope: str = Scope.PRIVATE
    project: Project | None = None
    schedule: str = Schedule.NONE
    recipients: list[str] = field(default_factory=list)
    export_format: str = ExportFormat.XLSX

    def definition(self) -> dict[str, Any]:
        return {"columns": list(self.columns),
                "filters": [{"field": str(f.get("field", "")), "op": str(f.get("op", "")),
                             "value": str(f.get("value", "") or "")} for f in self.filters],
                "group_by": self.group_by, "totals": list(self.totals), "sort": self.sort}


def _clean(actor: User, data: ReportInput) -> dict[str, Any]:
    """The model's fields from ``data``; raises before anything is written."""
    if not data.name.strip():
        raise InvalidInput.field("name", "give the report a name")
    source = source_of(data.source)
    definition = data.definition()
    checked(source, definition_of(definition))
    if data.scope not in Scope.values:
        raise InvalidInput.field("scope", "share it with only me, a project or the office")
    if data.scope == Scope.PROJECT and data.project is None:
        raise InvalidInput.field("project", "choose the project to share the report with")
    project = data.project if data.scope == Scope.PROJECT else None
    if not may_share(actor, data.scope, project):
        where = project.code if project is not None else "the office"
        raise Forbidden(f"You may not share reports with {where}")
    if data.schedule not in Schedule.values:
        raise InvalidInput.field("schedule", "e-mail it weekly, monthly or not at all")
    if data.export_format not in ExportFormat.values:
        raise InvalidInput.field("export_format", "send it as XLSX, CSV or PDF")
    recipients = [a.strip() for a in data.recipients if a.strip()]
    for address in recipients:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise InvalidInput.field("recipients",
                                     f"{address!r} is not an e-mail address") from exc
    if data.schedule and not recipients:
        raise InvalidInput.field("recipients", "a scheduled report needs someone to send it to")
    return {"name": data.name.strip(), "description": data.description.strip(),
            "source": source.key, "definition": definition, "scope": data.scope,
            "project": project, "schedule": data.schedule,
            "recipients": "\n".join(recipients), "export_format": data.export_format}


@transaction.atomic
def create_report(*, actor: User, data: ReportInput) -> SavedReport:
    values = _clean(actor, data)
    return create_object(actor=actor, obj=SavedReport(owner=actor, **values),
                         audit_fields=FIELDS)


@transaction.atomic
def update_report(*, actor: User, report: SavedReport, version: int | None,
                  data: ReportInput) -> SavedReport:
    if not may_change(actor, report):
        raise Forbidden("You may not change this report")
    values = _clean(actor, data)
    return apply_changes(actor=actor, obj=report, expected_version=version, changes=values,
                         editable=FIELDS)


@transaction.atomic
def delete_report(*, actor: User, report: SavedReport) -> None:
    if not may_change(actor, report):
        raise Forbidden("You may not delete this report")
    locked = lock_for_update(SavedReport, report.pk)
    record_change(actor=actor, obj=locked, verb="deleted", changes={"name": [locked.name, None]})
    locked.delete()


def last_due(schedule: str, now: dt.datetime) -> dt.datetime:
    """The latest moment a report of ``schedule`` fell due at or before ``now``: midnight
    (office time) starting the week (Monday) or the month."""
    day = timezone.localtime(now).date()
    start = day - dt.timedelta(days=day.weekday()) if schedule == Schedule.WEEKLY \
        else day.replace(day=1)
    return timezone.make_aware(dt.datetime.combine(start, dt.time()))


def is_due(report: SavedReport, now: dt.datetime) -> bool:
    if not report.schedule or not report.recipients.strip():
        return False
    since = report.last_sent_at or report.created_at
    return since < last_due(report.schedule, now) <= now


def send_saved_report(report: SavedReport) -> int:
    """E-mails the report in its format to its distribution list.  An address that belongs
    to an office member gets the rows that member may see, as the office would show them;
    any other address gets the rows the report's owner may see (the owner chose to send them
    outside).  Returns the number of recipients."""
    to = [a for a in report.recipients.splitlines() if a.strip()]
    if not to:
        return 0
    for reader, addresses in readers_of(report.owner, to):
        table = run_report(reader, report)
        content, mime, filename = render(report, table, report.export_format)
        mail = EmailMessage(subject=f"Report: {report.name}",
                            body=f"{report.name}: {table.count} rows, attached as "
                                 f"{report.get_export_format_display()}.", to=addresses)
        mail.attach(filename, content, mime)
        mail.send()
    return len(to)


def readers_of(owner: User, addresses: list[str]) -> list[tuple[User, list[str]]]:
    """Whose view of the rows each address receives, grouped by that person: an active
    member's own (matched by e-mail, case aside), else the owner's."""
    anyone_of = Q()
    for address in addresses:
        anyone_of |= Q(email__iexact=address)
    members = {u.email.lower(): u for u in User.objects.filter(anyone_of, is_active=True)}
    groups: dict[int, tuple[User, list[str]]] = {}
    for address in addresses:
        reader = members.get(address.lower(), owner)
        groups.setdefault(reader.pk, (reader, []))[1].append(address)
    return list(groups.values())


def _sender(pk: int) -> Callable[[], None]:
    def send() -> None:
        send_saved_report(SavedReport.objects.select_related("owner", "project").get(pk=pk))
    return send


def send_due_reports(now: dt.datetime) -> int:
    """Sends every scheduled report that has fallen due since it was last sent; returns how
    many were sent.  Each report is marked sent in its own transaction, re-checked under its
    lock, so two runs at once send it once."""
    sent = 0
    candidates = SavedReport.objects.exclude(schedule="").order_by("pk").values_list(
        "pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            report = lock_for_update(SavedReport, pk)
            if not is_due(report, now):
                continue
            before = report.last_sent_at
            report.last_sent_at = now
            report.save(update_fields=["last_sent_at"])
            record_change(actor=None, obj=report, verb="e-mailed",
                          changes={"last_sent_at": [before and before.isoformat(),
                                                    now.isoformat()]})
            transaction.on_commit(_sender(pk))
            sent += 1
    return sent
