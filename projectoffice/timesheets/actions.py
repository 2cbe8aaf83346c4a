"""Every write to timesheets: save the week, submit, approve or reject, adjust locked time.

Approving makes the time real: each day's hours become actual work and actual cost (at the
resource's rate in force that day) on the task, and the task's % complete moves through the
planning app, which reschedules — all in the approval's transaction."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.accounts.roles import permissions_for
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.editing import check_version, lock_for_update
from projectoffice.errors import Conflict, InvalidInput, NotFound
from projectoffice.finance import ledger
from projectoffice.finance.models import ActualCost, CostSource
from projectoffice.formats.tabular import read_table
from projectoffice.mail import send_plain
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.access import access_project, has_perm
from projectoffice.portfolio.models import Membership, Project
from projectoffice.registers.actions import deliver
from projectoffice.registers.models import Notification, NotificationKind
from projectoffice.resources.models import Assignment
from projectoffice.resources.queries import rate_on

from .models import EDITABLE, TimeAdjustment, TimeCode, TimeLine, Timesheet, TimesheetStatus
from .queries import monday_of
from .week_queries import AbsentDay, absent_week, timesheet_projects

DAY_LIMIT = Decimal(24)
NOTE_LIMIT = 500


def _monday(week_start: dt.date) -> dt.date:
    if week_start.weekday() != 0:
        raise InvalidInput.field("week_start", "must be a Monday")
    return week_start


def _hours(value: Any, key: str, errors: dict[str, list[str]]) -> Decimal:
    try:
        hours = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        errors.setdefault(key, []).append(f"{value!r} is not a number of hours")
        return Decimal(0)
    if not hours.is_finite():
        errors.setdefault(key, []).append("is not a number of hours")
        return Decimal(0)
    if hours < 0:
        errors.setdefault(key, []).append("hours cannot be negative")
    elif hours > DAY_LIMIT:
        errors.setdefault(key, []).append("a day has at most 24 hours")
    if hours != hours.quantize(Decimal("0.01")):
        errors.setdefault(key, []).append("use at most two decimals")
    return hours


def _own_timesheet(actor: User, project: Project, week_start: dt.date,
                   create: bool) -> Timesheet | None:
    sheet = Timesheet.objects.filter(project=project, person=actor,
                                     week_start=week_start).first()
    if sheet is None and create:
        sheet = Timesheet.objects.create(project=project, person=actor, week_start=week_start)
        record_creation(actor=actor, obj=sheet, fields=("week_start", "status"))
        return sheet
    if sheet is None:
        return None
    sheet = lock_for_update(Timesheet, sheet.pk)
    sheet.project, sheet.person = project, actor  # known: not read again for its name
    return sheet


@transaction.atomic
def save_timesheet(*, actor: User, project: Project, week_start: dt.date, version: int | None,
                   lines: Sequence[Mapping[str, Any]]) -> Timesheet:
    """Replaces the actor's lines for the week.  Each line is ``{"assignment_id": …}`` or
    ``{"time_code": …}`` with ``hours``: seven numbers, Monday first.  Every problem is
    reported, keyed ``lines.N.hours.D``; then nothing is written."""
    access_project(actor, project.code, "timesheet.enter")
    week_start = _monday(week_start)
    existing = Timesheet.objects.filter(project=project, person=actor,
                                        week_start=week_start).first()
    if existing is not None:
        existing = lock_for_update(Timesheet, existing.pk)
        existing.project, existing.person = project, actor  # known: not read for its name
        if existing.status not in EDITABLE:
            raise Conflict(f"The week of {week_start} is {existing.get_status_display()}: "
                           "it can no longer be changed", {"status": ["is locked"]})
        check_version(existing, version)
    mine = {a.pk: a for a in Assignment.objects.filter(project=project, resource__user=actor)}
    absent = _absent(actor, week_start)
    errors: dict[str, list[str]] = {}
    parsed: list[tuple[Assignment | None, str, list[Decimal], bool, str]] = []
    totals = [Decimal(0)] * 7
    seen: set[object] = set()
    for n, line in enumerate(lines):
        assignment_id, code = line.get("assignment_id"), line.get("time_code") or ""
        assignment = None
        if assignment_id is not None:
            assignment = mine.get(assignment_id) if isinstance(assignment_id, int) else None
            if assignment is None:
                errors.setdefault(f"lines.{n}.assignment_id", []).append(
                    "you are not assigned to that task")
                continue
        elif code not in TimeCode.values:
            errors.setdefault(f"lines.{n}.time_code", []).append(
                f"give an assignment or one of {', '.join(TimeCode.values)}")
            continue
        overtime = bool(line.get("overtime"))
        if overtime and assignment is None:
            errors.setdefault(f"lines.{n}.overtime", []).append(
                "only time on an assignment can be overtime")
            continue
        key: object = (assignment.pk, overtime) if assignment else code
        if key in seen:
            errors.setdefault(f"lines.{n}", []).append("appears twice")
            continue
        seen.add(key)
        raw = line.get("hours")
        if not isinstance(raw, list | tuple) or len(raw) != 7:
            errors.setdefault(f"lines.{n}.hours", []).append("give seven days, Monday first")
            continue
        hours = [_hours(v, f"lines.{n}.hours.{d}", errors) for d, v in enumerate(raw)]
        _refuse_absent_days(hours, absent, week_start, f"lines.{n}.hours", errors)
        note = _note(line.get("note"), f"lines.{n}.note", errors)
        for d, h in enumerate(hours):
            totals[d] += h
        parsed.append((assignment, "" if assignment else code, hours, overtime, note))
    for d, total in enumerate(totals):
        if total > DAY_LIMIT:
            day = week_start + dt.timedelta(days=d)
            errors.setdefault(f"hours.{d}", []).append(
                f"{day:%A %d %B} has {total} hours in all: a day has at most 24")
    if errors:
        key, messages = next(iter(errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", errors)
    sheet = existing or _own_timesheet(actor, project, week_start, create=True)
    assert sheet is not None
    before: dict[str, Any] = {}
    for old in sheet.lines.all():
        old_key = _line_key(old.assignment_id, old.time_code, old.overtime)
        before[old_key] = old.hours
        if old.note:
            before[f"{old_key} note"] = old.note
    sheet.lines.all().delete()
    kept = [(a, code, hours, overtime, note) for a, code, hours, overtime, note in parsed
            if any(hours) or note]
    TimeLine.objects.bulk_create([
        TimeLine(timesheet=sheet, assignment=a, time_code=code, hours=[str(h) for h in hours],
                 overtime=overtime, note=note)
        for a, code, hours, overtime, note in kept])
    after: dict[str, Any] = {}
    for a, code, hours, overtime, note in kept:
        new_key = _line_key(a.pk if a else None, code, overtime)
        after[new_key] = [str(h) for h in hours]
        if note:
            after[f"{new_key} note"] = note
    sheet.version += 1
    sheet.save()
    changes = {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
               if before.get(k) != after.get(k)}
    record_change(actor=actor, obj=sheet, verb="time saved", changes=changes)
    return sheet


def _absent(person: User, week_start: dt.date) -> list[AbsentDay | None]:
    days = [week_start + dt.timedelta(days=d) for d in range(7)]
    return absent_week(person, days, person)


def _refuse_absent_days(hours: Sequence[Decimal], absent: Sequence[AbsentDay | None],
                        week_start: dt.date, key: str, errors: dict[str, list[str]]) -> None:
    """Time is not booked on a whole day of the person's approved absence (a half day leaves
    the other half to book)."""
    for d, h in enumerate(hours):
        away = absent[d]
        if h and away is not None and away.whole:
            errors.setdefault(f"{key}.{d}", []).append(
                away.refusal(week_start + dt.timedelta(days=d)))


def _note(value: Any, key: str, errors: dict[str, list[str]]) -> str:
    note = str(value or "").strip()
    if len(note) > NOTE_LIMIT:
        errors.setdefault(key, []).append(f"a note has at most {NOTE_LIMIT} characters")
    return note


def _line_key(assignment_id: int | None, code: str, overtime: bool) -> str:
    key = str(assignment_id or code)
    return f"{key} overtime" if overtime else key


@transaction.atomic
def submit_timesheet(*, actor: User, project: Project, week_start: dt.date,
                     version: int | None, notify: bool = True) -> Timesheet:
    """Submits the actor's week for approval; a week never saved (``version`` None) is
    submitted empty: no time on the project that week.  The project's approvers are told
    (``notify=False`` only for history loaded at once, as the demo's past weeks)."""
    access_project(actor, project.code, "timesheet.enter")
    sheet = _own_timesheet(actor, project, _monday(week_start), create=version is None)
    if sheet is None:
        raise NotFound(f"You have no timesheet for the week of {week_start} on {project.code}")
    if sheet.version != 1 or version is not None:
        check_version(sheet, version)
    if sheet.status not in EDITABLE:
        raise Conflict(f"The timesheet is {sheet.get_status_display()}",
                       {"status": ["only a draft or rejected timesheet can be submitted"]})
    # An absence approved after the time was saved: the time is taken off before submitting.
    absent = _absent(actor, sheet.week_start)
    if any(absent):
        errors: dict[str, list[str]] = {}
        for line in sheet.lines.all():
            _refuse_absent_days(line.day_hours(), absent, sheet.week_start,
                                f"parts.{project.code}.hours", errors)
        if errors:
            messages = next(iter(errors.values()))
            raise InvalidInput(f"{project.code}: {messages[0]}; take the time off that day "
                               "and submit again", errors)
    before = sheet.status
    sheet.status = TimesheetStatus.SUBMITTED
    sheet.version += 1
    sheet.save()
    record_change(actor=actor, obj=sheet, verb="submitted",
                  changes={"status": [before, sheet.status]})
    hours = sum((h for line in sheet.lines.all() for h in line.day_hours()), Decimal(0))
    for approver in approvers(project) if notify else []:
        deliver(recipient=approver, obj=sheet, project=project,
                kind=NotificationKind.TIMESHEET, actor=actor, url=part_url(sheet),
                message=f"{actor} submitted {hours} h on {project.code} for the week of "
                        f"{sheet.week_start:%d %b %Y}: waiting for your approval")
    return sheet


def part_url(sheet: Timesheet) -> str:
    return f"/timesheets/parts/{sheet.pk}/"


def week_url(week_start: dt.date) -> str:
    return f"/timesheets/week/?week={week_start.isoformat()}"


def approvers(project: Project) -> list[User]:
    """Who decides the project's timesheets: its members whose project role approves time,
    and its manager when they may (PMO staff approve everywhere, but are not told of every
    week)."""
    people: dict[int, User] = {}
    for membership in Membership.objects.filter(project=project).select_related("user"):
        if "timesheet.approve" in permissions_for("", [membership.role]):
            people[membership.user_id] = membership.user
    manager = project.manager
    if manager is not None and manager.pk not in people and has_perm(
            manager, project, "timesheet.approve"):
        people[manager.pk] = manager
    return [people[pk] for pk in sorted(people)]


def _cost_time(actor: User, sheet: Timesheet) -> set[int]:
    """Writes the actual work and cost of an approved timesheet; returns the tasks touched.
    Overtime lines are costed at the overtime rate; an assignment's cost per use is booked
    once, on the first day time is approved on it."""
    touched: set[int] = set()
    errors: dict[str, list[str]] = {}
    costs = []
    first_use: dict[int, tuple[Assignment, dt.date, Decimal]] = {}
    for line in sheet.lines.select_related("assignment__resource").prefetch_related(
            "assignment__resource__rates").exclude(assignment=None):
        assignment = line.assignment
        assert assignment is not None
        rates = list(assignment.resource.rates.all())
        for d, hours in enumerate(line.day_hours()):
            if not hours:
                continue
            day = sheet.week_start + dt.timedelta(days=d)
            rate = rate_on(rates, day)
            if rate is None:
                errors.setdefault(f"rates.{assignment.resource_id}", []).append(
                    f"{assignment.resource} has no rate in force on {day}")
                continue
            costs.append(ledger.cost_line(
                project=sheet.project, day=day,
                amount=hours * (rate.overtime if line.overtime else rate.standard),
                source=CostSource.TIME, task_uid=assignment.task_uid, hours=hours,
                resource_id=assignment.resource_id,
                reference=f"timesheet {sheet.pk}" + (" overtime" if line.overtime else "")))
            touched.add(assignment.task_uid)
            known = first_use.get(assignment.pk)
            if rate.cost_per_use and (known is None or day < known[1]):
                first_use[assignment.pk] = (assignment, day, rate.cost_per_use)
    if errors:
        key, messages = next(iter(errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", errors)
    for assignment, day, amount in first_use.values():
        reference = f"cost per use of assignment {assignment.pk}"
        if not ActualCost.objects.filter(project=sheet.project, reference=reference).exists():
            costs.append(ledger.cost_line(
                project=sheet.project, day=day, amount=amount, source=CostSource.TIME,
                task_uid=assignment.task_uid, hours=Decimal(0),
                resource_id=assignment.resource_id, reference=reference))
    ActualCost.objects.bulk_create(costs)
    return touched


def _decide(actor: User, project: Project, timesheet_id: int, version: int | None,
            approve: bool, comment: str, notify: bool = True) -> tuple[Timesheet, set[int]]:
    sheet = Timesheet.objects.filter(project=project, pk=timesheet_id).first()
    if sheet is None:
        raise NotFound(f"No timesheet {timesheet_id} on {project.code}")
    sheet = lock_for_update(Timesheet, sheet.pk)
    sheet.project = project  # known: not read again for its name and costs
    if version is not None:
        check_version(sheet, version)
    if sheet.status != TimesheetStatus.SUBMITTED:
        raise Conflict(f"The timesheet is {sheet.get_status_display()}",
                       {"status": ["only a submitted timesheet can be approved or rejected"]})
    comment = comment.strip()
    if not approve and not comment:
        raise InvalidInput.field("comment", "say why the timesheet is rejected")
    before = sheet.status
    sheet.status = TimesheetStatus.APPROVED if approve else TimesheetStatus.REJECTED
    sheet.comment, sheet.decided_by, sheet.decided_at = comment, actor, timezone.now()
    sheet.version += 1
    sheet.save()
    record_change(actor=actor, obj=sheet, verb="approved" if approve else "rejected",
                  changes={"status": [before, sheet.status], "comment": ["", comment]})
    week = f"{sheet.week_start:%d %b %Y}"
    if notify:
        deliver(recipient=sheet.person, obj=sheet, project=project,
                kind=NotificationKind.TIMESHEET, actor=actor, url=week_url(sheet.week_start),
                detail=comment,
                message=(f"{actor} approved your time on {project.code} for the week of "
                         f"{week}" if approve else f"{actor} rejected your time on "
                         f"{project.code} for the week of {week}: {comment}"))
    return sheet, _cost_time(actor, sheet) if approve else set()


@transaction.atomic
def decide_timesheet(*, actor: User, project: Project, timesheet_id: int, version: int,
                     approve: bool, comment: str = "") -> Timesheet:
    """The project manager approves (which locks the week and books its time) or rejects (with
    a comment; the person corrects and submits again)."""
    access_project(actor, project.code, "timesheet.approve")
    sheet, touched = _decide(actor, project, timesheet_id, version, approve, comment)
    ledger.move_progress(actor=actor, project=project, task_uids=touched)
    return sheet


@transaction.atomic
def approve_timesheets(*, actor: User, project: Project, timesheet_ids: Sequence[int],
                       notify: bool = True) -> list[Timesheet]:
    """Approves several submitted timesheets at once, with one progress update (and one
    reschedule) at the end."""
    access_project(actor, project.code, "timesheet.approve")
    if not timesheet_ids:
        raise InvalidInput.field("timesheet_ids", "choose at least one timesheet")
    touched: set[int] = set()
    sheets = []
    for timesheet_id in timesheet_ids:
        sheet, uids = _decide(actor, project, timesheet_id, None, True, "", notify)
        sheets.append(sheet)
        touched |= uids
    ledger.move_progress(actor=actor, project=project, task_uids=touched)
    return sheets


@transaction.atomic
def adjust_time(*, actor: User, project: Project, timesheet_id: int, assignment_id: int,
                date: dt.date, hours: Decimal, reason: str,
                overtime: bool = False) -> TimeAdjustment:
    """Corrects approved (locked) time by an adjustment entry: signed hours on one day, costed
    at the standard rate or, for overtime, at the overtime rate in force that day. A negative
    correction cannot take the approved hours of that kind (regular or overtime) below zero."""
    access_project(actor, project.code, "timesheet.approve")
    sheet = Timesheet.objects.filter(project=project, pk=timesheet_id).first()
    if sheet is None:
        raise NotFound(f"No timesheet {timesheet_id} on {project.code}")
    if sheet.status != TimesheetStatus.APPROVED:
        raise Conflict("Only approved (locked) time is corrected by adjustment; edit the "
                       "timesheet itself", {"status": ["is not locked"]})
    assignment = Assignment.objects.filter(project=project, pk=assignment_id,
                                           resource__user=sheet.person).select_related(
        "resource").first()
    if assignment is None:
        raise InvalidInput.field("assignment_id", "the person is not assigned to that task")
    if not sheet.week_start <= date <= sheet.week_start + dt.timedelta(days=6):
        raise InvalidInput.field("date", "is not in the timesheet's week")
    if not reason.strip():
        raise InvalidInput.field("reason", "say why the time is corrected")
    if not hours or abs(hours) > DAY_LIMIT:
        raise InvalidInput.field("hours", "give a non-zero correction of at most 24 hours")
    day = (date - sheet.week_start).days
    kind = "overtime" if overtime else "regular"
    booked = sum((line.day_hours()[day] for line in sheet.lines.filter(
        assignment=assignment, overtime=overtime)), Decimal(0)) + sum(
        (a.hours for a in sheet.adjustments.filter(assignment=assignment, date=date,
                                                   overtime=overtime)), Decimal(0))
    if booked + hours < 0:
        raise InvalidInput.field("hours", f"would leave {booked + hours} {kind} hours on {date}"
                                          f" ({booked} approved)")
    rate = rate_on(list(assignment.resource.rates.all()), date)
    if rate is None:
        raise InvalidInput.field("assignment_id", f"{assignment.resource} has no rate on {date}")
    adjustment = TimeAdjustment.objects.create(timesheet=sheet, assignment=assignment, date=date,
                                               hours=hours, overtime=overtime,
                                               reason=reason.strip(), created_by=actor)
    ledger.add_cost(project=project, day=date,
                    amount=hours * (rate.overtime if overtime else rate.standard),
                    source=CostSource.ADJUSTMENT, task_uid=assignment.task_uid, hours=hours,
                    resource_id=assignment.resource_id,
                    reference=f"timesheet {sheet.pk}" + (" overtime" if overtime else ""))
    record_change(actor=actor, obj=sheet, verb="time adjusted", changes={
        "adjustment": [None, f"{hours} h{' overtime' if overtime else ''} on {date} "
                             f"({assignment}): {reason.strip()}"]})
    ledger.move_progress(actor=actor, project=project, task_uids=[assignment.task_uid])
    return adjustment


# ---- reminders -------------------------------------------------------------------------------

CLOSED_PROJECTS = ("completed", "cancelled")


def people_expected(project: Project, week_start: dt.date) -> dict[int, User]:
    """People with an assignment on the project whose task is (or is undated and so may be)
    under way in the week."""
    week_end = week_start + dt.timedelta(days=6)
    spans = {t.uid: (t.start, t.finish) for t in PlanTask.objects.filter(plan__project=project)}
    people: dict[int, User] = {}
    for a in Assignment.objects.filter(project=project, resource__user__isnull=False) \
            .select_related("resource__user"):
        start, finish = spans.get(a.task_uid, (None, None))
        if start is not None and finish is not None and (
                start.date() > week_end or finish.date() < week_start):
            continue
        user = a.resource.user
        assert user is not None
        if user.is_active:
            people[user.pk] = user
    return people


@transaction.atomic
def remind_timesheets(*, today: dt.date) -> int:
    """Reminds everyone with an assignment in last week (the week before ``today``'s) who has
    not submitted that week's timesheet on the project: a notification in the app and an
    e-mail, once per person, project and week.  Run weekly (`pmo remind-timesheets`).
    Returns how many reminders were sent."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    week = today - dt.timedelta(days=today.weekday() + 7)
    project_type = ContentType.objects.get_for_model(Project)
    made = 0
    for project in Project.objects.exclude(status__in=CLOSED_PROJECTS).order_by("code"):
        people = people_expected(project, week)
        if not people:
            continue
        done = set(Timesheet.objects.filter(
            project=project, week_start=week, person__in=list(people),
            status__in=(TimesheetStatus.SUBMITTED, TimesheetStatus.APPROVED))
            .values_list("person_id", flat=True))
        url = week_url(week)
        for pk, person in sorted(people.items()):
            if pk in done or Notification.objects.filter(
                    recipient=person, content_type=project_type, object_id=project.pk,
                    url=url).exists():
                continue
            draft = Timesheet.objects.filter(project=project, person=person,
                                             week_start=week).exists()
            message = (f"Your timesheet for the week of {week:%d %b %Y} on {project.code} is "
                       + ("saved but not submitted" if draft else "missing"))
            Notification.objects.create(project=project, content_type=project_type,
                                        object_id=project.pk, recipient=person,
                                        kind=NotificationKind.OVERDUE, message=message,
                                        url=url)
            if person.email:
                body = (f"{message}.\n\nPlease fill it in and submit it:\n"
                        f"{getattr(settings, 'PMO_BASE_URL', '')}{url}\n")
                address, subject = person.email, f"[{project.code}] {message}"[:200]
                transaction.on_commit(functools.partial(send_plain, subject, body, address))
            made += 1
    return made


# ---- import --------------------------------------------------------------------------------

DAY_COLUMNS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@transaction.atomic
def import_timesheet_lines(*, actor: User, project: Project, data: bytes,
                           filename: str) -> list[Timesheet]:
    """Imports the actor's time from CSV/XLSX: columns Week (a day of the week), Task (the
    plan task UID of one's assignment) or Time code, and Mon … Sun hours.  Each line replaces
    the same task's (or code's) hours in that week's sheet; other lines stay.  All or
    nothing: every problem is reported keyed ``row N.column`` (N the file's line)."""
    access_project(actor, project.code, "timesheet.enter")
    headers, rows = read_table(data, filename)
    names = [h.strip().lower() for h in headers]
    index = {name: names.index(name) for name in ("week", "task", "time code", *DAY_COLUMNS)
             if name in names}
    missing = [n for n in ("week", "mon") if n not in index]
    if missing or ("task" not in index and "time code" not in index):
        raise InvalidInput.field("file", "the columns are Week, Task or Time code, and "
                                         "Mon, Tue, Wed, Thu, Fri, Sat, Sun")
    mine = {a.task_uid: a for a in Assignment.objects.filter(project=project,
                                                             resource__user=actor)}
    errors: dict[str, list[str]] = {}
    weeks: dict[dt.date, list[tuple[int, dict[str, Any]]]] = {}

    def cell(row: list[Any], name: str) -> str:
        i = index.get(name)
        value = row[i] if i is not None and i < len(row) else None
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        return "" if value is None else str(value).strip()

    for i, row in enumerate(rows):
        line_no = i + 2
        raw_week = cell(row, "week")
        try:
            week = monday_of(dt.date.fromisoformat(raw_week))
        except ValueError:
            errors.setdefault(f"row {line_no}.week", []).append("write a date as YYYY-MM-DD")
            continue
        task, code = cell(row, "task"), cell(row, "time code").lower()
        line: dict[str, Any] = {}
        if task:
            assignment = mine.get(int(task)) if task.isdigit() else None
            if assignment is None:
                errors.setdefault(f"row {line_no}.task", []).append(
                    f"you have no assignment on task {task}")
                continue
            line["assignment_id"] = assignment.pk
        elif code in TimeCode.values:
            line["time_code"] = code
        else:
            errors.setdefault(f"row {line_no}.time code", []).append(
                f"give a task UID or one of {', '.join(TimeCode.values)}")
            continue
        hours = []
        for day in DAY_COLUMNS:
            hours.append(_hours(cell(row, day), f"row {line_no}.{day}", errors))
        line["hours"] = [str(h) for h in hours]
        weeks.setdefault(week, []).append((line_no, line))
    if errors:
        key, messages = next(iter(errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", errors)
    saved = []
    for week, imported in sorted(weeks.items()):
        sheet = Timesheet.objects.filter(project=project, person=actor, week_start=week).first()
        keep: dict[object, dict[str, Any]] = {}
        for old in (sheet.lines.all() if sheet else []):
            old_key: object = old.assignment_id or old.time_code
            keep[old_key] = ({"assignment_id": old.assignment_id} if old.assignment_id
                         else {"time_code": old.time_code}) | {"hours": list(old.hours)}
        origin: list[int | None] = [None] * len(keep)
        lines = list(keep.values())
        first_row: dict[object, int] = {}
        for line_no, line in imported:
            new_key: object = line.get("assignment_id") or line.get("time_code")
            if new_key in first_row:
                errors.setdefault(f"row {line_no}", []).append(
                    f"repeats row {first_row[new_key]} for the same week and task or code")
                continue
            first_row[new_key] = line_no
            if new_key in keep:
                position = lines.index(keep[new_key])
                lines[position], origin[position] = line, line_no
            else:
                keep[new_key] = line
                lines.append(line)
                origin.append(line_no)
        if errors:
            continue
        try:
            saved.append(save_timesheet(actor=actor, project=project, week_start=week,
                                        version=sheet.version if sheet else None, lines=lines))
        except Conflict as exc:
            raise InvalidInput(f"row {imported[0][0]}.week: {exc.message}",
                               {f"row {imported[0][0]}.week": [exc.message]}) from exc
        except InvalidInput as exc:
            for key, messages in exc.errors.items():
                parts = key.split(".")
                if parts[0] == "lines" and origin[int(parts[1])] is not None:
                    where = f"row {origin[int(parts[1])]}" + (
                        f".{DAY_COLUMNS[int(parts[3])]}" if len(parts) == 4 else "")
                elif parts[0] == "hours":
                    where = f"week {week.isoformat()}.{DAY_COLUMNS[int(parts[1])]}"
                else:
                    where = f"week {week.isoformat()}"
                errors.setdefault(where, []).extend(messages)
    if errors:
        key, messages = next(iter(errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", errors)
    return saved


# ---- the week across projects -----------------------------------------------------------------


def _stored(sheet: Timesheet) -> set[tuple[Any, ...]]:
    return {(line.assignment_id, line.time_code, line.overtime,
             tuple(line.day_hours()), line.note) for line in sheet.lines.all()}


def _wanted(lines: Sequence[Mapping[str, Any]]) -> set[tuple[Any, ...]]:
    return {(line.get("assignment_id"), line.get("time_code") or "",
             bool(line.get("overtime")), tuple(Decimal(str(h)) for h in line["hours"]),
             line.get("note") or "")
            for line in lines if any(Decimal(str(h)) for h in line["hours"]) or line.get("note")}


@transaction.atomic
def save_week(*, actor: User, week_start: dt.date, versions: Mapping[str, int | None],
              lines: Sequence[Mapping[str, Any]]) -> list[Timesheet]:
    """Saves the actor's whole week across projects: each line is ``{"assignment_id": …}``
    (any of the actor's assignments, on any project) or ``{"time_code": …, "project": code}``
    with ``hours`` (seven numbers, Monday first), ``overtime`` and ``note``.  Lines are
    grouped into each project's part; a part that changes is written whole, with the version
    the caller read (``versions[code]``; 409 naming the part when stale).  An editable part
    with no line left is emptied; a submitted or approved part cannot change (its lines may
    be sent back unchanged).  All or nothing: every problem is reported, keyed
    ``lines.N.field`` (``lines.N.hours.D`` for a day), before anything is written.
    Returns the parts written."""
    week_start = _monday(week_start)
    projects = {p.code: p for p in timesheet_projects(actor)}
    by_id = {p.pk: p for p in projects.values()}
    existing = {s.project.code: s for s in Timesheet.objects.select_for_update(of=("self",))
                .filter(person=actor, week_start=week_start).select_related("project")
                .prefetch_related("lines")}
    mine = {a.pk: a for a in Assignment.objects.filter(resource__user=actor,
                                                       project_id__in=list(by_id))}
    absent = _absent(actor, week_start)
    errors: dict[str, list[str]] = {}
    parts: dict[str, list[dict[str, Any]]] = {}
    origin: dict[tuple[str, int], int] = {}
    totals = [Decimal(0)] * 7
    seen: set[object] = set()
    for n, line in enumerate(lines):
        assignment_id, code = line.get("assignment_id"), line.get("time_code") or ""
        if assignment_id is not None:
            assignment = mine.get(assignment_id) if isinstance(assignment_id, int) else None
            if assignment is None:
                errors.setdefault(f"lines.{n}.assignment_id", []).append(
                    "is not one of your assignments")
                continue
            part = by_id[assignment.project_id].code
        elif code not in TimeCode.values:
            errors.setdefault(f"lines.{n}.time_code", []).append(
                f"give an assignment or one of {', '.join(TimeCode.values)}")
            continue
        else:
            part = str(line.get("project") or "")
            if part not in projects:
                errors.setdefault(f"lines.{n}.project", []).append(
                    "choose one of your projects for this time")
                continue
        overtime = bool(line.get("overtime"))
        if overtime and assignment_id is None:
            errors.setdefault(f"lines.{n}.overtime", []).append(
                "only time on an assignment can be overtime")
            continue
        seen_key = (assignment_id, overtime) if assignment_id is not None else (code, part)
        if seen_key in seen:
            errors.setdefault(f"lines.{n}", []).append("appears twice")
            continue
        seen.add(seen_key)
        raw = line.get("hours")
        if not isinstance(raw, list | tuple) or len(raw) != 7:
            errors.setdefault(f"lines.{n}.hours", []).append("give seven days, Monday first")
            continue
        hours = [_hours(v, f"lines.{n}.hours.{d}", errors) for d, v in enumerate(raw)]
        note = _note(line.get("note"), f"lines.{n}.note", errors)
        clean = {"hours": [str(h) for h in hours], "note": note, "overtime": overtime}
        clean |= ({"assignment_id": assignment_id} if assignment_id is not None
                  else {"time_code": code})
        sheet = existing.get(part)
        if sheet is not None and sheet.status not in EDITABLE:
            if _wanted([clean]) - _stored(sheet):
                errors.setdefault(f"lines.{n}.hours", []).append(
                    f"your {part} part of this week is {sheet.get_status_display().lower()}:"
                    " it can no longer be changed")
            continue
        _refuse_absent_days(hours, absent, week_start, f"lines.{n}.hours", errors)
        for d, h in enumerate(hours):
            totals[d] += h
        origin[(part, len(parts.setdefault(part, [])))] = n
        parts[part].append(clean)
    for d, total in enumerate(totals):
        if total > DAY_LIMIT:
            day = week_start + dt.timedelta(days=d)
            errors.setdefault(f"hours.{d}", []).append(
                f"{day:%A %d %B} has {total} hours in all: a day has at most 24")
    if errors:
        key, messages = next(iter(errors.items()))
        raise InvalidInput(f"{key}: {messages[0]}", errors)
    written = []
    editable = {code for code, s in existing.items() if s.status in EDITABLE and code in projects}
    for code in sorted(set(parts) | editable):
        wanted = parts.get(code, [])
        sheet = existing.get(code)
        if sheet is None and not _wanted(wanted):
            continue
        if sheet is not None and _wanted(wanted) == _stored(sheet):
            continue
        if sheet is not None and versions.get(code) != sheet.version:
            raise Conflict(
                f"Your {code} part of this week was changed since you opened it (your version "
                f"{versions.get(code)}, now {sheet.version}); reload the week and enter your "
                "change again", {f"parts.{code}.version": [f"expected {sheet.version}"]})
        try:
            written.append(save_timesheet(
                actor=actor, project=projects[code], week_start=week_start,
                version=sheet.version if sheet else None, lines=wanted))
        except InvalidInput as exc:  # checked above; kept for the keys' sake if it happens
            raise InvalidInput(exc.message, {
                _week_key(k, code, origin): v for k, v in exc.errors.items()}) from exc
    return written


def _week_key(key: str, part: str, origin: Mapping[tuple[str, int], int]) -> str:
    bits = key.split(".")
    if bits[0] == "lines" and (part, int(bits[1])) in origin:
        return ".".join(["lines", str(origin[(part, int(bits[1]))]), *bits[2:]])
    return key


@transaction.atomic
def submit_week(*, actor: User, week_start: dt.date,
                versions: Mapping[str, int | None] | None = None) -> list[Timesheet]:
    """Submits every part of the actor's week that has hours and is a draft or rejected; each
    part's approver is told.  With ``versions`` (code → version read), a part changed since
    is refused (409 naming it).  Returns the parts submitted (none when nothing is due)."""
    week_start = _monday(week_start)
    sheets = list(Timesheet.objects.select_for_update(of=("self",)).filter(
        person=actor, week_start=week_start, status__in=EDITABLE)
        .select_related("project").prefetch_related("lines").order_by("project__code"))
    due = [s for s in sheets if any(h for line in s.lines.all() for h in line.day_hours())]
    for sheet in due:
        code = sheet.project.code
        if versions is not None and code in versions and versions[code] != sheet.version:
            raise Conflict(f"Your {code} part of this week was changed since you opened it; "
                           "reload the week", {f"parts.{code}.version":
                                               [f"expected {sheet.version}"]})
    return [submit_timesheet(actor=actor, project=sheet.project, week_start=week_start,
                             version=sheet.version) for sheet in due]


@transaction.atomic
def decide_part(*, actor: User, timesheet_id: int, version: int, approve: bool,
                comment: str = "") -> Timesheet:
    """The approver's decision on one project's part of a person's week, sent with the
    version they read: a part changed since is refused (409)."""
    sheet = Timesheet.objects.filter(pk=timesheet_id).select_related("project").first()
    if sheet is None:
        raise NotFound(f"No timesheet part {timesheet_id}")
    project = access_project(actor, sheet.project.code, "timesheet.approve")
    return decide_timesheet(actor=actor, project=project, timesheet_id=sheet.pk,
                            version=version, approve=approve, comment=comment)
