"""MS Project XML (MSPDI): read a plan into the engine's model, write it back with dates.

:func:`read_mspdi` parses the tasks in slices of about a megabyte, each in one call to the C
parser, and streams the rest of the document (``iterparse``); documents whose bytes cannot be
cut safely are streamed whole.  So a 100k-task plan reads in seconds and little memory beyond
the file itself.  Everything the scheduler needs becomes a :class:`~projectoffice.engine.network.
Project`; what it does not use yet (baselines, resources, assignments, task IDs and WBS) is kept
in :class:`MspdiPlan` and written back by :func:`write_mspdi`.  Errors are :class:`MspdiError`
with a one-line message that names the element and UID at fault.
"""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from projectoffice.engine.bulk import collector_paused
from projectoffice.engine.calendars import (
    LAST,
    STANDARD_DAY,
    Calendar,
    CalendarException,
    DayPeriods,
    ProjectSettings,
    Recurrence,
    RecurrenceKind,
    WorkingPeriod,
    WorkWeek,
)
from projectoffice.engine.network import (
    DATED_CONSTRAINTS,
    ConstraintType,
    DurationUnit,
    LagKind,
    Link,
    Project,
    Task,
    Work,
)
from projectoffice.engine.schedule_result import Schedule, TaskSchedule
from projectoffice.formats.mspdi_codes import (
    CONSTRAINT_CODES,
    CONSTRAINTS,
    FORMATS,
    LINK_CODES,
    LINK_TYPES,
    NAMESPACE,
    format_code,
    lag_kind_of,
    parse_datetime,
    parse_duration,
    write_datetime,
    write_duration,
)
from projectoffice.formats.sniff import LABELS, MPP, MPX, PMXML, XER, plan_kind

_NS = "{" + NAMESPACE + "}"


class MspdiError(ValueError):
    """The file is not a usable MSPDI plan; the message names what is wrong and where."""


@dataclass(frozen=True, slots=True)
class Baseline:
    number: int
    start: datetime | None = None
    finish: datetime | None = None
    duration: int | None = None
    work: int | None = None
    cost: str | None = None


@dataclass(frozen=True, slots=True)
class TaskExtras:
    """Per-task fields the scheduler does not use but a round trip must keep."""

    id: int | None = None
    wbs: str | None = None
    outline_number: str | None = None
    baselines: tuple[Baseline, ...] = ()
    notes: str | None = None
    task_type: int | None = None  # 0 fixed units, 1 fixed duration, 2 fixed work
    effort_driven: bool | None = None


@dataclass(frozen=True, slots=True)
class Resource:
    uid: int
    name: str = ""
    id: int | None = None
    type: int = 1  # 0 material, 1 work, 2 cost
    max_units: float = 1.0
    calendar_uid: int | None = None
    standard_rate: str | None = None  # per hour (per unit for material)
    overtime_rate: str | None = None
    cost_per_use: str | None = None
    email: str | None = None
    nt_account: str | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    uid: int
    task_uid: int
    resource_uid: int
    units: float = 1.0
    work: int | None = None
    actual_work: int | None = None
    remaining_work: int | None = None


@dataclass(frozen=True)
class MspdiPlan:
    project: Project
    name: str = ""
    title: str = ""
    extras: dict[int, TaskExtras] = field(default_factory=dict)
    resources: tuple[Resource, ...] = ()
    assignments: tuple[Assignment, ...] = ()


# --- reading ------------------------------------------------------------------------------


def read_mspdi(source: str | os.PathLike[str] | bytes) -> MspdiPlan:
    """Read an MSPDI file (a path, or the document's bytes)."""
    with collector_paused():
        return _read(source)


def _read(source: str | os.PathLike[str] | bytes) -> MspdiPlan:
    try:
        if isinstance(source, bytes):
            data = source
        else:
            with open(source, "rb") as file:
                data = file.read()
        kind = plan_kind(data)
        if kind in (MPP, XER, PMXML, MPX):
            raise MspdiError(
                f"this is {LABELS[kind]}, not MS Project XML (MSPDI): import it with "
                "`pmo import`, which reads it with the optional MPXJ reader"
            )
        try:
            plan = _Reader().read_batched(data)
        except ET.ParseError:
            plan = None  # the streaming reader finds the fault and words the message
        return plan if plan is not None else _Reader().read(io.BytesIO(data))
    except MspdiError:
        raise
    except ET.ParseError as error:
        raise MspdiError(f"not well-formed XML: {error}") from None
    except ValueError as error:  # a value the engine's model refuses (its message says which)
        raise MspdiError(str(error)) from None
    except OSError as error:
        raise MspdiError(f"cannot read {source!r}: {error.strerror or error}") from None


def _local(tag: str) -> str:
    return tag[len(_NS) :] if tag.startswith(_NS) else tag


class _LocalNames(dict[str, str]):
    """``{namespace}Name -> Name``, worked out once per distinct tag."""

    def __missing__(self, tag: str) -> str:
        name = tag.rpartition("}")[2]
        self[tag] = name
        return name


_LOCAL_NAMES = _LocalNames()


def _fields(element: ET.Element) -> dict[str, str]:
    """Children's texts as ``name -> text`` in one pass (findtext per field is far slower).

    Empty elements are left out (absent and empty mean the same in MSPDI).  Nested elements
    (links, baselines) may come in too, with their whitespace as text: no field read as a value
    is ever a nested element, and testing each child for children costs a third of the time.
    """
    local = _LOCAL_NAMES
    return {local[child.tag]: text for child in element if (text := child.text) is not None}


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if child.tag == _NS + name or child.tag == name)


_ITEMS = {
    tag: name
    for name in ("Calendar", "Task", "Resource", "Assignment")
    for tag in (_NS + name, name)
}
_LAG_KINDS = {code: lag_kind_of(code) for code in FORMATS}
# (Type, LagFormat) texts of a link without lag -> its type and lag kind; None is "absent".
_PLAIN_LINKS = {
    (type_text, format_text): (
        LINK_TYPES[1 if type_text is None else int(type_text)],
        _LAG_KINDS[7 if format_text is None else int(format_text)],
    )
    for type_text in (None, *(str(code) for code in LINK_TYPES))
    for format_text in (None, *(str(code) for code in FORMATS))
}
_FORMAT_TEXTS: dict[str | None, tuple[DurationUnit | None, bool]] = {
    str(code): unit for code, unit in FORMATS.items()
}
_FORMAT_TEXTS[None] = FORMATS[7]
_CONSTRAINT_TEXTS: dict[str | None, tuple[ConstraintType, bool]] = {
    str(code): (kind, kind in DATED_CONSTRAINTS) for code, kind in CONSTRAINTS.items()
}
_CONSTRAINT_TEXTS[None] = (ConstraintType.ASAP, False)
_PLAIN_LINK_FIELDS = {"PredecessorUID", "Type", "LagFormat", "LinkLag", "CrossProject"}
_CONTAINERS = {_NS + name for name in ("Tasks", "Resources", "Assignments")}
_BATCH_BYTES = 1 << 20


def _cut_tasks(data: bytes) -> tuple[bytes, range, bytes, bytes] | None:
    """Split ``data``: (document with an empty <Tasks>, where the tasks are, wrapper start, end).

    Cutting bytes is only safe where nothing can hide markup: no comment, CDATA section, DTD or
    processing instruction (only the XML declaration may precede the root), a plain
    ``<Project ...>`` root and exactly one ``<Tasks>``.  MS Project writes files like that;
    anything else gets None and the streaming reader.  The wrapper repeats the XML declaration
    (for the encoding) and the root's start tag (for the namespaces).
    """
    root = data.find(b"<Project")
    if root < 0 or data[root + 8 : root + 9] not in (b" ", b">", b"\t", b"\r", b"\n"):
        return None
    prolog = data[:root].lstrip(b"\xef\xbb\xbf").strip()
    declaration_only = prolog.startswith(b"<?xml") and prolog.find(b"?>") == len(prolog) - 2
    if prolog and not declaration_only:
        return None
    if data.find(b"<!") >= 0 or data.find(b"<?", root) >= 0 or data.count(b"<Tasks>") != 1:
        return None
    start = data.find(b"<Tasks>") + len(b"<Tasks>")
    end = data.find(b"</Tasks>", start)
    opening_end = data.find(b">", root) + 1
    if end < 0 or data[opening_end - 2 : opening_end] == b"/>":
        return None
    opening = prolog + data[root:opening_end]
    return data[:start] + data[end:], range(start, end), opening, b"</Project>"


def _batches(data: bytes, body: range) -> Iterator[bytes]:
    """Slices of ``data[body]`` of about _BATCH_BYTES, each ending after a ``</Task>``.

    Slicing as we go, rather than copying the whole body first, keeps one file's worth of
    memory free.
    """
    start = body.start
    while start < body.stop:
        end = data.find(b"</Task>", start + _BATCH_BYTES, body.stop)
        end = body.stop if end < 0 else end + len(b"</Task>")
        yield data[start:end]
        start = end


class _Reader:
    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.raw_calendars: list[_RawCalendar] = []
        self.tasks: list[Task] = []
        self.links: list[Link] = []
        self.extras: dict[int, TaskExtras] = {}
        self.resources: list[Resource] = []
        self.assignments: list[Assignment] = []
        self.flat_assignments: set[int] = set()
        self.settings = ProjectSettings()
        self.outline: list[tuple[int, int]] = []  # (outline level, uid) of open ancestors
        self.summary_uids: set[int] = set()

    def read(self, stream: io.BytesIO | str | os.PathLike[str]) -> MspdiPlan:
        self._stream(stream)
        return self._finish()

    def read_batched(self, data: bytes) -> MspdiPlan | None:
        """Read ``data`` with its tasks parsed in large batches; None if it does not fit.

        Streaming pays Python code for each of the ~28 elements a task has, which is most of
        the cost of a 100k-task file.  Here the <Tasks> body is cut out of the document at
        ``</Task>`` boundaries and each slice of many tasks goes to the C parser in one call;
        the rest of the document streams as usual.  A slice that fails to parse raises
        ParseError, and the caller falls back to the streaming reader.
        """
        cut = _cut_tasks(data)
        if cut is None:
            return None
        rest, body, opening, closing = cut
        self._stream(io.BytesIO(rest))
        for batch in _batches(data, body):
            for element in ET.fromstring(opening + batch + closing):
                if _ITEMS.get(element.tag) != "Task":
                    raise ET.ParseError(f"<{_local(element.tag)}> among the tasks")
                self._task(element)
        return self._finish()

    def _stream(self, stream: io.BytesIO | str | os.PathLike[str]) -> None:
        # Only "end" events, and work only on the elements we want: the per-event Python
        # cost is what bounds reading a large file.  Items are cleared once read.
        root: ET.Element | None = None
        for _, element in ET.iterparse(stream, events=("end",)):
            root = element
            name = _ITEMS.get(element.tag)
            if name is not None:
                self._item(name, element)
                element.clear()
            elif element.tag in _CONTAINERS:
                element.clear()
        if root is None:
            raise MspdiError("empty document")
        if _local(root.tag) != "Project":
            raise MspdiError(f"root element is <{_local(root.tag)}>, not an MSPDI <Project>")
        self.header = _fields(root)

    def _item(self, name: str, element: ET.Element) -> None:
        if name == "Calendar":
            self.raw_calendars.append(_raw_calendar(element))
        elif name == "Task":
            self._task(element)
        elif name == "Resource":
            self._resource(element)
        elif name == "Assignment":
            self._assignment(element)

    def _read_settings(self) -> None:
        self.settings = ProjectSettings(
            minutes_per_day=self._header_int("MinutesPerDay", 480),
            minutes_per_week=self._header_int("MinutesPerWeek", 2400),
            days_per_month=self._header_int("DaysPerMonth", 20),
        )

    def _header_int(self, name: str, default: int) -> int:
        text = self.header.get(name)
        if text is None:
            return default
        try:
            return int(text)
        except ValueError:
            raise MspdiError(f"Project/{name}: not a whole number: {text!r}") from None

    # --- tasks ---

    def _task(self, element: ET.Element) -> None:
        values = _fields(element)
        get = values.get
        uid = _int(values, "UID", "Task", None)
        where = f"Task UID {uid}"
        if get("IsNull") == "1":
            return
        level = _int(values, "OutlineLevel", where, 1)
        if uid == 0 and level == 0:
            return  # the project summary task MS Project writes; we compute our own
        outline = self.outline
        while outline and outline[-1][0] >= level:
            outline.pop()
        parent = outline[-1][1] if outline else None
        if parent is not None:
            self.summary_uids.add(parent)
        outline.append((level, uid))

        # Codes as written (or absent) look up directly; anything else takes the checked path.
        unit_elapsed = _FORMAT_TEXTS.get(get("DurationFormat"))
        unit, elapsed = unit_elapsed or _format(values, "DurationFormat", where)
        constraint, dated = _CONSTRAINT_TEXTS.get(get("ConstraintType")) or _constraint(
            values, where
        )
        constraint_date = None
        if dated:
            constraint_date = _date(values, "ConstraintDate", where)
            if constraint_date is None:
                code = int(values["ConstraintType"])
                raise MspdiError(f"{where}: ConstraintType {code} without a ConstraintDate")
        calendar_text = get("CalendarUID")
        calendar = -1 if calendar_text == "-1" else _int(values, "CalendarUID", where, -1)
        actual_start = _date(values, "ActualStart", where)
        actual_finish = _date(values, "ActualFinish", where)
        if actual_finish is not None and actual_start is None:
            raise MspdiError(f"{where}: ActualFinish without ActualStart")
        # MS Project (and MPXJ's writer) leave zero durations out: absent means zero.
        duration = _duration(values, "Duration", where) or 0
        percent = get("PercentComplete")
        delay_text = get("LevelingDelay")
        levelling_delay = 0
        if delay_text and delay_text not in ("0", "0.0"):
            levelling_delay = self._levelling_delay(values, delay_text, where)
        manual = get("Manual") == "1"
        manual_start = manual_finish = None
        manual_text = False
        if manual:
            # The dates MS Project shows for a manual task are its Start and Finish.
            manual_start = _date(values, "Start", where) or _date(values, "ManualStart", where)
            manual_finish = _date(values, "Finish", where) or _date(values, "ManualFinish", where)
            prefix = _NS if element.tag[0] == "{" else ""
            manual_text = any(
                element.find(prefix + name) is not None
                for name in ("StartText", "FinishText", "DurationText")
            )
        self.tasks.append(
            Task(
                uid=uid,
                name=get("Name", ""),
                duration=max(duration, 0),
                elapsed=elapsed,
                milestone=get("Milestone") == "1",
                display_unit=unit or DurationUnit.DAYS,
                calendar_uid=None if calendar < 0 else calendar,
                parent=parent,
                constraint=constraint,
                constraint_date=constraint_date,
                deadline=_date(values, "Deadline", where),
                actual_start=actual_start,
                actual_finish=actual_finish,
                percent_complete=float(percent) if percent and percent != "0" else 0.0,
                actual_duration=_duration(values, "ActualDuration", where)
                if actual_start is not None
                else None,
                remaining_duration=_duration(values, "RemainingDuration", where)
                if actual_start is not None
                else None,
                levelling_delay=levelling_delay,
                resume=_date(values, "Resume", where)
                if actual_start is not None and actual_finish is None
                else None,
                manual=manual,
                manual_start=manual_start,
                manual_finish=manual_finish,
                manual_text=manual_text,
                active=get("Active") != "0",
                ignore_resource_calendar=get("IgnoreResourceCalendar") == "1",
            )
        )
        # findall with a plain tag runs in C, unlike a Python loop over the children.
        prefix = _NS if element.tag[0] == "{" else ""
        found = element.findall(prefix + "Baseline")
        baselines = tuple(self._baseline(b, where) for b in found) if found else ()
        self.extras[uid] = TaskExtras(
            id=_int(values, "ID", where, None) if "ID" in values else None,
            wbs=get("WBS"),
            outline_number=get("OutlineNumber"),
            baselines=baselines,
            notes=get("Notes"),
            task_type=_int(values, "Type", where, None) if "Type" in values else None,
            effort_driven=get("EffortDriven") == "1" if "EffortDriven" in values else None,
        )
        links = self.links
        for link in element.findall(prefix + "PredecessorLink"):
            links.append(self._link(uid, link))

    def _levelling_delay(self, values: dict[str, str], text: str, where: str) -> int:
        """LevelingDelay in working minutes: tenths of minutes in the file; an elapsed
        format (MS Project's default, edays) counts whole days of the project's day."""
        try:
            minutes = round(float(text) / 10)
        except ValueError:
            raise MspdiError(f"{where}: LevelingDelay {text!r} is not a number") from None
        _, elapsed = _format(values, "LevelingDelayFormat", where) \
            if "LevelingDelayFormat" in values else (None, True)
        if elapsed:
            minutes = round(minutes / 1440 * self.settings.minutes_per_day)
        return max(minutes, 0)

    def _baseline(self, element: ET.Element, where: str) -> Baseline:
        values = _fields(element)
        return Baseline(
            number=_int(values, "Number", f"{where} Baseline", 0),
            start=_date(values, "Start", where),
            finish=_date(values, "Finish", where),
            duration=_duration(values, "Duration", where),
            work=_duration(values, "Work", where),
            cost=values.get("Cost"),
        )

    def _link(self, successor: int, element: ET.Element) -> Link:
        values = _fields(element)
        if values.keys() <= _PLAIN_LINK_FIELDS and values.get("LinkLag", "0") == "0":
            # The common link, with every value the default or a known code: no checks needed.
            found = _PLAIN_LINKS.get((values.get("Type"), values.get("LagFormat")))
            uid_text = values.get("PredecessorUID", "")
            if found is not None and uid_text.isdigit():
                return Link(int(uid_text), successor, found[0], 0, found[1])
        where = f"Task UID {successor} PredecessorLink"
        predecessor = _int(values, "PredecessorUID", where, None)
        code = _int(values, "Type", where, 1)
        link_type = LINK_TYPES.get(code)
        if link_type is None:
            raise MspdiError(f"{where} from UID {predecessor}: unknown link Type {code}")
        lag_format = _int(values, "LagFormat", where, 7)
        kind = _LAG_KINDS.get(lag_format)
        if kind is None:
            raise MspdiError(f"{where} from UID {predecessor}: unknown LagFormat {lag_format}")
        text = values.get("LinkLag")
        if not text or text == "0":
            return Link(predecessor, successor, link_type, 0, kind)
        raw = float(text)
        # LinkLag is tenths of a minute, except for percent lags where it is the percentage.
        lag = raw if kind is LagKind.PERCENT else raw / 10
        return Link(predecessor, successor, link_type, lag, kind)

    # --- resources ---

    def _resource(self, element: ET.Element) -> None:
        values = _fields(element)
        uid = _int(values, "UID", "Resource", None)
        where = f"Resource UID {uid}"
        if values.get("IsNull") == "1":
            return
        calendar = _int(values, "CalendarUID", where, -1)
        self.resources.append(
            Resource(
                uid=uid,
                name=values.get("Name", ""),
                id=_int(values, "ID", where, None) if "ID" in values else None,
                type=_int(values, "Type", where, 1),
                max_units=_float(values, "MaxUnits", where, 1.0),
                calendar_uid=None if calendar < 0 else calendar,
                standard_rate=values.get("StandardRate"),
                overtime_rate=values.get("OvertimeRate"),
                cost_per_use=values.get("CostPerUse"),
                email=values.get("EmailAddress") or None,
                nt_account=values.get("NTAccount") or None,
            )
        )

    def _assignment(self, element: ET.Element) -> None:
        values = _fields(element)
        uid = _int(values, "UID", "Assignment", None)
        where = f"Assignment UID {uid}"
        # Only a flat, undelayed assignment's work says how long its task lasts.
        if values.get("WorkContour", "0") == "0" and values.get("Delay", "0") in ("0", "0.0"):
            self.flat_assignments.add(uid)
        self.assignments.append(
            Assignment(
                uid=uid,
                task_uid=_int(values, "TaskUID", where, None),
                resource_uid=_int(values, "ResourceUID", where, None),
                units=_float(values, "Units", where, 1.0),
                work=_duration(values, "Work", where),
                actual_work=_duration(values, "ActualWork", where),
                remaining_work=_duration(values, "RemainingWork", where),
            )
        )

    # --- assembly ---

    def _with_work(self, calendar_uids: set[int]) -> tuple[Task, ...]:
        work = _work_of(self, calendar_uids)
        if not work:
            return tuple(self.tasks)
        return tuple(replace(t, work=work[t.uid]) if t.uid in work else t for t in self.tasks)

    def _finish(self) -> MspdiPlan:
        self._read_settings()
        calendars = _calendars(self.raw_calendars)
        calendar_uid = self._header_int("CalendarUID", -1)
        if calendar_uid < 0 or calendar_uid not in {c.uid for c in calendars}:
            if "CalendarUID" in self.header:
                raise MspdiError(f"Project/CalendarUID {calendar_uid}: no such Calendar")
            if not calendars:
                calendars = (Calendar(1, "Standard"),)
            calendar_uid = calendars[0].uid
        calendar_uids = {c.uid for c in calendars}
        task_uids = {t.uid for t in self.tasks}
        for task in self.tasks:
            if task.calendar_uid is not None and task.calendar_uid not in calendar_uids:
                raise MspdiError(
                    f"Task UID {task.uid}: CalendarUID {task.calendar_uid} is not a Calendar"
                )
        for link in self.links:
            if link.predecessor not in task_uids:
                raise MspdiError(
                    f"Task UID {link.successor} PredecessorLink: PredecessorUID "
                    f"{link.predecessor} is not a task in this file"
                )
        resource_uids = {r.uid for r in self.resources}
        for assignment in self.assignments:
            # UID -65535 is MS Project's "unassigned" placeholder resource.
            if assignment.task_uid not in task_uids and assignment.task_uid != 0:
                raise MspdiError(
                    f"Assignment UID {assignment.uid}: TaskUID {assignment.task_uid} not found"
                )
            if assignment.resource_uid not in resource_uids and assignment.resource_uid >= 0:
                raise MspdiError(
                    f"Assignment UID {assignment.uid}: ResourceUID {assignment.resource_uid} "
                    "not found"
                )
        tasks = self._with_work(calendar_uids)
        start_text = self.header.get("StartDate")
        if start_text is None:
            raise MspdiError("Project/StartDate is missing")
        start = _parse_date(start_text, "Project/StartDate")
        status_text = self.header.get("StatusDate")
        status = _parse_date(status_text, "Project/StatusDate") if status_text else None
        threshold = self._header_int("CriticalSlackLimit", 0)
        project = Project(
            start=start,
            tasks=tasks,
            links=tuple(self.links),
            calendars=calendars,
            calendar_uid=calendar_uid,
            settings=self.settings,
            status_date=status,
            critical_threshold=threshold * self.settings.minutes_per_day,
        )
        return MspdiPlan(
            project=project,
            name=self.header.get("Name", ""),
            title=self.header.get("Title", ""),
            extras=self.extras,
            resources=tuple(self.resources),
            assignments=tuple(self.assignments),
        )


def _work_of(reader: _Reader, calendar_uids: set[int]) -> dict[int, tuple[Work, ...]]:
    """Each work-driven task's work: its work resources' flat assignments (fixed-duration
    tasks are scheduled from their duration, as MS Project does)."""
    resources = {r.uid: r for r in reader.resources}
    found: dict[int, list[Work]] = {}
    blocked: set[int] = set()
    for assignment in reader.assignments:
        resource = resources.get(assignment.resource_uid)
        if resource is None or resource.type != 1 or assignment.work is None:
            continue
        extras = reader.extras.get(assignment.task_uid)
        if extras is None or extras.task_type == 1:
            continue
        if assignment.uid not in reader.flat_assignments:
            blocked.add(assignment.task_uid)  # a contour or a delay: not modelled
            continue
        calendar = resource.calendar_uid if resource.calendar_uid in calendar_uids else None
        found.setdefault(assignment.task_uid, []).append(
            Work(assignment.work, assignment.units, calendar))
    for uid in blocked:
        found.pop(uid, None)
    return {uid: tuple(work) for uid, work in found.items() if work}


def _int(values: dict[str, str], name: str, where: str, default: int | None) -> int:
    text = values.get(name)
    if text is None or text == "":
        if default is None:
            raise MspdiError(f"{where}: {name} is missing")
        return default
    try:
        return int(text)
    except ValueError:
        raise MspdiError(f"{where}: {name} is not a whole number: {text!r}") from None


def _float(values: dict[str, str], name: str, where: str, default: float) -> float:
    text = values.get(name)
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise MspdiError(f"{where}: {name} is not a number: {text!r}") from None


def _parse_date(text: str, where: str) -> datetime:
    try:
        return parse_datetime(text)
    except ValueError:
        raise MspdiError(f"{where}: not a date and time: {text!r}") from None


def _date(values: dict[str, str], name: str, where: str) -> datetime | None:
    text = values.get(name)
    return _parse_date(text, f"{where} {name}") if text else None


def _duration(values: dict[str, str], name: str, where: str) -> int | None:
    text = values.get(name)
    if not text:
        return None
    try:
        return parse_duration(text)
    except ValueError:
        raise MspdiError(f"{where}: {name} is not a duration: {text!r}") from None


def _constraint(values: dict[str, str], where: str) -> tuple[ConstraintType, bool]:
    code = _int(values, "ConstraintType", where, 0)
    if code not in CONSTRAINTS:
        raise MspdiError(f"{where}: unknown ConstraintType {code}")
    return CONSTRAINTS[code], CONSTRAINTS[code] in DATED_CONSTRAINTS


def _format(values: dict[str, str], name: str, where: str) -> tuple[DurationUnit | None, bool]:
    code = _int(values, name, where, 7)
    if code not in FORMATS:
        raise MspdiError(f"{where}: unknown {name} {code}")
    return FORMATS[code]


# --- calendars ---


def _time_minutes(text: str, where: str) -> int:
    try:
        hours_, minutes = text.strip().split(":")[:2]
        return int(hours_) * 60 + int(minutes)
    except ValueError:
        raise MspdiError(f"{where}: not a time of day: {text!r}") from None


def _periods(element: ET.Element, where: str) -> DayPeriods:
    periods: list[WorkingPeriod] = []
    for holder in _children(element, "WorkingTimes"):
        for working in _children(holder, "WorkingTime"):
            values = _fields(working)
            if "FromTime" not in values:
                continue
            start = _time_minutes(values["FromTime"], where)
            end = _time_minutes(values.get("ToTime", "00:00:00"), where)
            if end == 0:
                end = 1440  # a period ending at midnight
            try:
                periods.append(WorkingPeriod(start, end))
            except ValueError as error:
                raise MspdiError(f"{where}: {error}") from None
    return tuple(sorted(periods, key=lambda period: period.start))


def _day_range(element: ET.Element, where: str) -> tuple[date, date] | None:
    for period in _children(element, "TimePeriod"):
        values = _fields(period)
        if "FromDate" in values and "ToDate" in values:
            first = _parse_date(values["FromDate"], f"{where} FromDate")
            last = _parse_date(values["ToDate"], f"{where} ToDate")
            return first.date(), last.date()
    return None


_RawCalendar = tuple[
    int, str, int | None, list[DayPeriods | None], list[CalendarException], list["WorkWeek"]
]


def _raw_calendar(element: ET.Element) -> _RawCalendar:
    """Read one <Calendar> now (the streaming reader clears elements once read)."""
    values = _fields(element)
    uid = _int(values, "UID", "Calendar", None)
    where = f"Calendar UID {uid}"
    is_base = values.get("IsBaseCalendar", "1") == "1"
    base = _int(values, "BaseCalendarUID", where, -1)
    week: list[DayPeriods | None] = [None] * 7
    exceptions: list[CalendarException] = []
    for holder in _children(element, "WeekDays"):
        for day in _children(holder, "WeekDay"):
            day_values = _fields(day)
            day_type = _int(day_values, "DayType", where + " WeekDay", None)
            working = day_values.get("DayWorking") == "1"
            periods = _periods(day, where) if working else ()
            if working and not periods:
                periods = STANDARD_DAY
            if day_type == 0:
                span = _day_range(day, where + " WeekDay")
                if span is not None:
                    exceptions.append(CalendarException(span[0], span[1], periods))
            elif 1 <= day_type <= 7:
                week[(day_type + 5) % 7] = periods  # DayType 1 is Sunday
            else:
                raise MspdiError(f"{where}: unknown WeekDay DayType {day_type}")
    flattened = len(exceptions)
    for holder in _children(element, "Exceptions"):
        for exception in _children(holder, "Exception"):
            ex_values = _fields(exception)
            span = _day_range(exception, where + " Exception")
            if span is None:
                raise MspdiError(f"{where}: Exception without a TimePeriod")
            working = ex_values.get("DayWorking") == "1"
            periods = _periods(exception, where) if working else ()
            name = ex_values.get("Name", "")
            try:
                recurrence = _recurrence(ex_values, f"{where} Exception {name!r}")
                exceptions.append(
                    CalendarException(span[0], span[1], periods, name, recurrence)
                )
            except ValueError as error:
                raise MspdiError(f"{where}: {error}") from None
    if len(exceptions) > flattened:
        # Project 2007 and later write each exception twice: as <Exceptions> and, for older
        # readers, flattened into days among the WeekDays.  The <Exceptions> are the truth.
        exceptions = exceptions[flattened:]
    work_weeks: list[WorkWeek] = []
    for holder in _children(element, "WorkWeeks"):
        for item in _children(holder, "WorkWeek"):
            span = _day_range(item, where + " WorkWeek")
            if span is None:
                raise MspdiError(f"{where}: WorkWeek without a TimePeriod")
            # Days a work week leaves out are non-working in it (as MPXJ reads them).
            days: list[DayPeriods | None] = [()] * 7
            for week_days in _children(item, "WeekDays"):
                for day in _children(week_days, "WeekDay"):
                    day_values = _fields(day)
                    day_type = _int(day_values, "DayType", where + " WorkWeek", None)
                    if not 1 <= day_type <= 7:
                        raise MspdiError(f"{where}: unknown WorkWeek DayType {day_type}")
                    working = day_values.get("DayWorking") == "1"
                    periods = _periods(day, where) if working else ()
                    days[(day_type + 5) % 7] = periods or (STANDARD_DAY if working else ())
            try:
                work_weeks.append(
                    WorkWeek(span[0], span[1], tuple(days), _fields(item).get("Name", ""))
                )
            except ValueError as error:
                raise MspdiError(f"{where}: {error}") from None
    base_uid = None if is_base or base < 0 else base
    return uid, values.get("Name", ""), base_uid, week, exceptions, work_weeks


# MSPDI exception Type -> (kind, relative); 1 is a plain run of days.
_RECURRENCES = {
    7: (RecurrenceKind.DAILY, False),
    6: (RecurrenceKind.WEEKLY, False),
    4: (RecurrenceKind.MONTHLY, False),
    5: (RecurrenceKind.MONTHLY, True),
    2: (RecurrenceKind.YEARLY, False),
    3: (RecurrenceKind.YEARLY, True),
}
_RECURRENCE_CODES = {value: code for code, value in _RECURRENCES.items()}


def _recurrence(values: dict[str, str], where: str) -> Recurrence | None:
    """The recurrence of an <Exception>, or None for a plain range of days."""
    code = _int(values, "Type", where, 1)
    if code == 1:
        return None
    if code not in _RECURRENCES:
        raise MspdiError(f"{where}: unknown exception Type {code}")
    kind, relative = _RECURRENCES[code]
    every = max(_int(values, "Period", where, 1), 1)
    by_count = values.get("EnteredByOccurrences") == "1"
    occurrences = (_int(values, "Occurrences", where, 0) or None) if by_count else None
    if kind is RecurrenceKind.DAILY:
        if every == 1:
            return None  # every day of the range
        return Recurrence(kind, every, occurrences=occurrences)
    if kind is RecurrenceKind.WEEKLY:
        mask = _int(values, "DaysOfWeek", where, 0)
        weekdays = tuple(sorted((bit + 6) % 7 for bit in range(7) if mask & (1 << bit)))
        return Recurrence(kind, every, weekdays=weekdays, occurrences=occurrences)
    month = _int(values, "Month", where, 0) + 1 if kind is RecurrenceKind.YEARLY else None
    if kind is RecurrenceKind.YEARLY:
        every = 1
    if not relative:
        day = _int(values, "MonthDay", where, 1)
        return Recurrence(kind, every, day=day, month=month, occurrences=occurrences)
    item = _int(values, "MonthItem", where, 3)
    position = _int(values, "MonthPosition", where, 0) + 1
    if item < 3:  # "day" (weekday or weekend day are not modelled): the n-th day
        return Recurrence(kind, every, day=min(position, 31) if position < LAST else 31,
                          month=month, occurrences=occurrences)
    weekday = (item - 2 + 5) % 7  # MonthItem 3 is Sunday
    return Recurrence(kind, every, weekday=weekday, position=position, month=month,
                      occurrences=occurrences)


def _calendars(entries: list[_RawCalendar]) -> tuple[Calendar, ...]:
    raw = {entry[0]: entry[1:] for entry in entries}
    built: dict[int, Calendar] = {}

    def build(uid: int, seen: tuple[int, ...]) -> Calendar:
        if uid in built:
            return built[uid]
        if uid in seen:
            raise MspdiError(f"Calendar UID {uid}: BaseCalendarUID chain loops")
        name, base_uid, week, exceptions, work_weeks = raw[uid]
        base: Calendar | None = None
        if base_uid is not None:
            if base_uid not in raw:
                raise MspdiError(f"Calendar UID {uid}: BaseCalendarUID {base_uid} not found")
            base = build(base_uid, (*seen, uid))
        else:
            # A base calendar that omits a day: MS Project's standard week fills it in.
            week = [
                day if day is not None else (STANDARD_DAY if index < 5 else ())
                for index, day in enumerate(week)
            ]
        calendar = Calendar(uid, name, tuple(week), tuple(exceptions), base, tuple(work_weeks))
        built[uid] = calendar
        return calendar

    return tuple(build(uid, ()) for uid in raw)


# --- writing ------------------------------------------------------------------------------


def write_mspdi(plan: MspdiPlan, schedule: Schedule | None = None) -> bytes:
    """The plan as MSPDI bytes; with a schedule, its dates, float and critical flags too."""
    project = plan.project
    root = ET.Element("Project", xmlns=NAMESPACE)
    _add(root, "SaveVersion", "14")
    _add(root, "Name", plan.name)
    _add(root, "Title", plan.title)
    _add(root, "ScheduleFromStart", "1")
    _add(root, "StartDate", write_datetime(project.start))
    if schedule is not None:
        _add(root, "FinishDate", write_datetime(schedule.finish))
    _add(root, "CriticalSlackLimit", str(project.critical_threshold // _per_day(project)))
    _add(root, "CalendarUID", str(project.calendar_uid))
    _add(root, "MinutesPerDay", str(project.settings.minutes_per_day))
    _add(root, "MinutesPerWeek", str(project.settings.minutes_per_week))
    _add(root, "DaysPerMonth", str(project.settings.days_per_month))
    if project.status_date is not None:
        _add(root, "StatusDate", write_datetime(project.status_date))
    _add(root, "HonorConstraints", "1")
    calendars = ET.SubElement(root, "Calendars")
    for calendar in project.calendars:
        _write_calendar(calendars, calendar)
    tasks = ET.SubElement(root, "Tasks")
    predecessors: dict[int, list[Link]] = {}
    for link in project.links:
        predecessors.setdefault(link.successor, []).append(link)
    durations = {task.uid: task for task in project.tasks}
    levels: dict[int, int] = {}
    summaries = {task.parent for task in project.tasks if task.parent is not None}
    for position, task in enumerate(project.tasks, start=1):
        level = 1 if task.parent is None else levels[task.parent] + 1
        levels[task.uid] = level
        extras = plan.extras.get(task.uid, TaskExtras())
        result = schedule.task(task.uid) if schedule is not None else None
        _write_task(
            tasks,
            task,
            extras,
            position,
            level,
            task.uid in summaries,
            result,
            predecessors.get(task.uid, []),
            durations,
        )
    if plan.resources:
        resources = ET.SubElement(root, "Resources")
        for resource in plan.resources:
            _write_resource(resources, resource)
    if plan.assignments:
        assignments = ET.SubElement(root, "Assignments")
        for assignment in plan.assignments:
            _write_assignment(assignments, assignment)
    ET.indent(root, space=" ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def _per_day(project: Project) -> int:
    return max(project.settings.minutes_per_day, 1)


def _add(parent: ET.Element, name: str, text: str | None) -> None:
    if text is not None:
        ET.SubElement(parent, name).text = text


def _write_periods(parent: ET.Element, periods: DayPeriods) -> None:
    if not periods:
        return
    holder = ET.SubElement(parent, "WorkingTimes")
    for period in periods:
        working = ET.SubElement(holder, "WorkingTime")
        _add(working, "FromTime", f"{period.start // 60:02d}:{period.start % 60:02d}:00")
        end = period.end % 1440
        _add(working, "ToTime", f"{end // 60:02d}:{end % 60:02d}:00")


def _write_calendar(parent: ET.Element, calendar: Calendar) -> None:
    element = ET.SubElement(parent, "Calendar")
    _add(element, "UID", str(calendar.uid))
    _add(element, "Name", calendar.name)
    _add(element, "IsBaseCalendar", "0" if calendar.base is not None else "1")
    _add(element, "BaseCalendarUID", str(calendar.base.uid if calendar.base else -1))
    weekdays = ET.SubElement(element, "WeekDays")
    for index, periods in enumerate(calendar.week):
        if periods is None:
            continue
        day = ET.SubElement(weekdays, "WeekDay")
        _add(day, "DayType", str((index + 1) % 7 + 1))  # Monday is DayType 2
        _add(day, "DayWorking", "1" if periods else "0")
        _write_periods(day, periods)
    if calendar.exceptions:
        exceptions = ET.SubElement(element, "Exceptions")
        for exception in calendar.exceptions:
            _write_exception(exceptions, exception)
    if calendar.work_weeks:
        weeks = ET.SubElement(element, "WorkWeeks")
        for work_week in calendar.work_weeks:
            item = ET.SubElement(weeks, "WorkWeek")
            span = ET.SubElement(item, "TimePeriod")
            _add(span, "FromDate", f"{work_week.start.isoformat()}T00:00:00")
            _add(span, "ToDate", f"{work_week.finish.isoformat()}T23:59:00")
            _add(item, "Name", work_week.name)
            days = ET.SubElement(item, "WeekDays")
            for index, periods in enumerate(work_week.week):
                if periods is None:
                    periods = calendar.week[index]
                if periods is None:
                    continue
                day = ET.SubElement(days, "WeekDay")
                _add(day, "DayType", str((index + 1) % 7 + 1))
                _add(day, "DayWorking", "1" if periods else "0")
                _write_periods(day, periods)


def _write_exception(parent: ET.Element, exception: CalendarException) -> None:
    item = ET.SubElement(parent, "Exception")
    recurrence = exception.recurrence
    days = (
        len(recurrence.days(exception.start, exception.finish))
        if recurrence is not None
        else (exception.finish - exception.start).days + 1
    )
    _add(item, "EnteredByOccurrences", "1" if recurrence and recurrence.occurrences else "0")
    span = ET.SubElement(item, "TimePeriod")
    _add(span, "FromDate", f"{exception.start.isoformat()}T00:00:00")
    _add(span, "ToDate", f"{exception.finish.isoformat()}T23:59:00")
    _add(item, "Occurrences", str(days))
    _add(item, "Name", exception.name)
    if recurrence is None:
        _add(item, "Type", "1")
    else:
        relative = recurrence.day is None and recurrence.kind in (
            RecurrenceKind.MONTHLY,
            RecurrenceKind.YEARLY,
        )
        _add(item, "Type", str(_RECURRENCE_CODES[(recurrence.kind, relative)]))
        if recurrence.kind is not RecurrenceKind.YEARLY:
            _add(item, "Period", str(recurrence.every))
        if recurrence.kind is RecurrenceKind.WEEKLY:
            mask = sum(1 << ((day + 1) % 7) for day in recurrence.weekdays)
            _add(item, "DaysOfWeek", str(mask))
        if recurrence.month is not None:
            _add(item, "Month", str(recurrence.month - 1))
        if recurrence.day is not None and recurrence.kind is not RecurrenceKind.DAILY:
            _add(item, "MonthDay", str(recurrence.day))
        if relative and recurrence.weekday is not None and recurrence.position is not None:
            _add(item, "MonthItem", str((recurrence.weekday + 1) % 7 + 3))
            _add(item, "MonthPosition", str(recurrence.position - 1))
    _add(item, "DayWorking", "1" if exception.periods else "0")
    _write_periods(item, exception.periods)


def _write_task(
    parent: ET.Element,
    task: Task,
    extras: TaskExtras,
    position: int,
    level: int,
    summary: bool,
    scheduled: TaskSchedule | None,
    links: list[Link],
    tasks: dict[int, Task],
) -> None:
    element = ET.SubElement(parent, "Task")
    _add(element, "UID", str(task.uid))
    _add(element, "ID", str(extras.id if extras.id is not None else position))
    _add(element, "Name", task.name)
    _add(element, "Active", "1" if task.active else "0")
    _add(element, "Manual", "1" if task.manual else "0")
    # 0 fixed units, 1 fixed duration, 2 fixed work; left out when the source had none.
    _add(element, "Type", str(extras.task_type) if extras.task_type is not None else None)
    if extras.effort_driven is not None:
        _add(element, "EffortDriven", "1" if extras.effort_driven else "0")
    _add(element, "IsNull", "0")
    _add(element, "WBS", extras.wbs)
    _add(element, "OutlineNumber", extras.outline_number)
    _add(element, "OutlineLevel", str(level))
    if scheduled is not None:
        _add(element, "Start", write_datetime(scheduled.start))
        _add(element, "Finish", write_datetime(scheduled.finish))
    _add(element, "Duration", write_duration(task.duration))
    _add(element, "DurationFormat", str(format_code(task.display_unit, task.elapsed)))
    if task.resume is not None and task.actual_start is not None and task.actual_finish is None:
        # An in-progress task split by a gap: its remaining work resumes here.
        _add(element, "Resume", write_datetime(task.resume))
    _add(element, "Milestone", "1" if task.milestone else "0")
    _add(element, "Summary", "1" if summary else "0")
    if scheduled is not None:
        _add(element, "Critical", "1" if scheduled.critical else "0")
        _add(element, "EarlyStart", write_datetime(scheduled.early_start))
        _add(element, "EarlyFinish", write_datetime(scheduled.early_finish))
        _add(element, "LateStart", write_datetime(scheduled.late_start))
        _add(element, "LateFinish", write_datetime(scheduled.late_finish))
        _add(element, "FreeSlack", str(scheduled.free_float * 10))
        _add(element, "TotalSlack", str(scheduled.total_float * 10))
    _add(element, "PercentComplete", f"{task.percent_complete:g}")
    _add(element, "ActualStart", _opt_datetime(task.actual_start))
    _add(element, "ActualFinish", _opt_datetime(task.actual_finish))
    _add(element, "ActualDuration", write_duration(task.done_minutes))
    _add(element, "RemainingDuration", write_duration(task.remaining_minutes))
    _add(element, "ConstraintType", str(CONSTRAINT_CODES[task.constraint]))
    _add(element, "CalendarUID", str(task.calendar_uid if task.calendar_uid is not None else -1))
    if task.constraint in DATED_CONSTRAINTS and task.constraint_date is not None:
        _add(element, "ConstraintDate", write_datetime(task.constraint_date))
    _add(element, "Deadline", _opt_datetime(task.deadline))
    if task.ignore_resource_calendar:
        _add(element, "IgnoreResourceCalendar", "1")
    if task.levelling_delay:
        _add(element, "LevelingDelay", str(task.levelling_delay * 10))
        _add(element, "LevelingDelayFormat", "7")  # working days
    if task.manual:
        _add(element, "ManualStart", _opt_datetime(task.manual_start))
        _add(element, "ManualFinish", _opt_datetime(task.manual_finish))
        _add(element, "ManualDuration", write_duration(task.duration))
        if task.manual_text:
            ET.SubElement(element, "DurationText")
    _add(element, "Notes", extras.notes)
    for link in links:
        _write_link(element, link, tasks)
    for baseline in extras.baselines:
        item = ET.SubElement(element, "Baseline")
        _add(item, "Number", str(baseline.number))
        _add(item, "Start", _opt_datetime(baseline.start))
        _add(item, "Finish", _opt_datetime(baseline.finish))
        if baseline.duration is not None:
            _add(item, "Duration", write_duration(baseline.duration))
        if baseline.work is not None:
            _add(item, "Work", write_duration(baseline.work))
        _add(item, "Cost", baseline.cost)


def _write_link(parent: ET.Element, link: Link, tasks: dict[int, Task]) -> None:
    item = ET.SubElement(parent, "PredecessorLink")
    _add(item, "PredecessorUID", str(link.predecessor))
    _add(item, "Type", str(LINK_CODES[link.type]))
    _add(item, "CrossProject", "0")
    if link.lag_kind is LagKind.PERCENT:
        _add(item, "LinkLag", f"{link.lag:g}")
        _add(item, "LagFormat", "19")
        return
    _add(item, "LinkLag", str(round(link.lag * 10)))
    unit = tasks[link.successor].display_unit
    _add(item, "LagFormat", str(format_code(unit, link.lag_kind is LagKind.ELAPSED)))


def _write_resource(parent: ET.Element, resource: Resource) -> None:
    element = ET.SubElement(parent, "Resource")
    _add(element, "UID", str(resource.uid))
    _add(element, "ID", str(resource.id) if resource.id is not None else None)
    _add(element, "Name", resource.name)
    _add(element, "Type", str(resource.type))
    _add(element, "IsNull", "0")
    _add(element, "NTAccount", resource.nt_account)
    _add(element, "EmailAddress", resource.email)
    _add(element, "MaxUnits", f"{resource.max_units:g}")
    # Rates are per hour; the format (2: shown per hour) keeps MS Project from showing
    # them per day.
    hourly = "2" if resource.type == 1 else None
    _add(element, "StandardRate", resource.standard_rate)
    _add(element, "StandardRateFormat", hourly if resource.standard_rate else None)
    _add(element, "OvertimeRate", resource.overtime_rate)
    _add(element, "OvertimeRateFormat", hourly if resource.overtime_rate else None)
    _add(element, "CostPerUse", resource.cost_per_use)
    if resource.calendar_uid is not None:
        _add(element, "CalendarUID", str(resource.calendar_uid))


def _write_assignment(parent: ET.Element, assignment: Assignment) -> None:
    element = ET.SubElement(parent, "Assignment")
    _add(element, "UID", str(assignment.uid))
    _add(element, "TaskUID", str(assignment.task_uid))
    _add(element, "ResourceUID", str(assignment.resource_uid))
    for name, value in (
        ("ActualWork", assignment.actual_work),
        ("RemainingWork", assignment.remaining_work),
    ):
        if value is not None:
            _add(element, name, write_duration(value))
    _add(element, "Units", f"{assignment.units:g}")
    if assignment.work is not None:
        _add(element, "Work", write_duration(assignment.work))


def _opt_datetime(moment: datetime | None) -> str | None:
    return None if moment is None else write_datetime(moment)


# Keep the enum importable from here for callers that only deal with files.
__all__ = [
    "Assignment",
    "Baseline",
    "ConstraintType",
    "MspdiError",
    "MspdiPlan",
    "Resource",
    "TaskExtras",
    "read_mspdi",
    "write_mspdi",
]
