"""`pmo schedule FILE.xml`: schedule an MS Project XML plan and print or save the result.

Exit codes: 0 scheduled, 2 the input (file, option or plan) is unusable — with a one-line
message on stderr, never a traceback.  Warnings (constraints that fight the logic, missed
deadlines) go to stderr and do not change the exit code.
"""

from __future__ import annotations

import argparse
import gc
import sys
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from json.encoder import encode_basestring_ascii
from typing import TextIO

from projectoffice.engine.cpm import schedule
from projectoffice.engine.schedule_result import Schedule
from projectoffice.formats.mpxj_bridge import read_plan_file
from projectoffice.formats.mspdi import MspdiError, MspdiPlan, write_mspdi

BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="schedule an MS Project XML file (critical path, float)",
        description="Schedule an MS Project XML (MSPDI) plan as MS Project would and print "
        "each task's early and late dates, float and whether it is critical.",
    )
    parser.add_argument(
        "file",
        help="the plan: MS Project XML (MSPDI), or with the optional MPXJ reader an .mpp, .mpx "
        "or Primavera P6 (XER, PMXML) file",
    )
    parser.add_argument(
        "--status-date",
        metavar="YYYY-MM-DD",
        help="progress is known to the end of this day; remaining work is scheduled after it",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--write", metavar="OUT.xml", help="also save the scheduled plan as MSPDI")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # A 100k-task plan makes millions of small objects and no cycles; the cyclic collector
    # would rescan them again and again (about a third of the run), so it waits until we return.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if was_enabled:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    def fail(message: str) -> int:
        print(f"pmo schedule: {message}", file=sys.stderr)
        return BAD_INPUT

    status_date: datetime | None = None
    if args.status_date is not None:
        try:
            day = date.fromisoformat(args.status_date)
        except ValueError:
            return fail(f"--status-date {args.status_date!r} is not a date (YYYY-MM-DD)")
        # Plans are in local wall-clock time; the status date stands for the end of that day.
        status_date = datetime.combine(day + timedelta(days=1), time())
    try:
        with open(args.file, "rb") as source:
            data = source.read()
    except OSError as error:
        return fail(f"cannot read {args.file!r}: {error.strerror or error}")
    try:
        plan = read_plan_file(data)
    except MspdiError as error:
        return fail(f"{args.file}: {error}")
    del data  # the file's bytes: a large plan's are worth freeing before scheduling
    if status_date is not None:
        plan = replace(plan, project=replace(plan.project, status_date=status_date))
    try:
        result = schedule(plan.project)
    except ValueError as error:  # ScheduleError, CycleError, NoWorkingTime
        return fail(f"{args.file}: {error}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.write:
        try:
            with open(args.write, "wb") as out:
                out.write(write_mspdi(plan, result))
        except OSError as error:
            return fail(f"cannot write {args.write}: {error.strerror or error}")
    if args.json:
        sys.stdout.write(json_text(result) + "\n")
    else:
        print_table(plan, result, sys.stdout)
    return 0


# "T00:00:00" to "T23:59:00", by minute of the day.
_TIMES_OF_DAY = [f"T{minute // 60:02d}:{minute % 60:02d}:00" for minute in range(1440)]


class _IsoCache(dict[int, str]):
    """``from_minutes(m).isoformat()`` for instants in minutes, each worked out once.

    Many tasks share instants, and more share days: the day part is cached on its own and
    the time of day comes from a table, so no datetime is made per instant.
    """

    def __init__(self) -> None:
        super().__init__()
        self.days: dict[int, str] = {}

    def __missing__(self, minute: int) -> str:
        ordinal, minute_of_day = divmod(minute, 1440)
        day = self.days.get(ordinal)
        if day is None:
            day = self.days[ordinal] = date.fromordinal(ordinal).isoformat()
        text = self[minute] = day + _TIMES_OF_DAY[minute_of_day]
        return text


def as_json(result: Schedule) -> dict[str, object]:
    iso = _IsoCache()
    return {
        "project": {"start": iso[result.start_minute], "finish": iso[result.finish_minute]},
        "tasks": [
            {
                "uid": task.uid,
                "name": task.name,
                "summary": task.summary,
                "milestone": task.milestone,
                "start": iso[task.start_minute],
                "finish": iso[task.finish_minute],
                "early_start": iso[task.early_start_minute],
                "early_finish": iso[task.early_finish_minute],
                "late_start": iso[task.late_start_minute],
                "late_finish": iso[task.late_finish_minute],
                "total_float_minutes": task.total_float,
                "free_float_minutes": task.free_float,
                "critical": task.critical,
            }
            for task in result.tasks
        ],
    }


# One task of as_json, as json.dumps(..., separators=(", ", ": ")) writes it.  Formatting a
# template skips building a dict per task for the encoder, which took most of the time.
_TASK_JSON = (
    '{{"uid": {}, "name": {}, "summary": {}, "milestone": {}, "start": "{}", "finish": "{}", '
    '"early_start": "{}", '
    '"early_finish": "{}", "late_start": "{}", "late_finish": "{}", '
    '"total_float_minutes": {}, "free_float_minutes": {}, "critical": {}}}'
).format


def json_text(result: Schedule) -> str:
    """``as_json(result)`` as JSON text, the same characters ``json.dumps`` would write."""
    iso = _IsoCache()
    quote = encode_basestring_ascii  # json.dumps's own string encoder (ensure_ascii)
    tasks = ", ".join(
        [
            _TASK_JSON(
                task.uid,
                quote(task.name),
                "true" if task.summary else "false",
                "true" if task.milestone else "false",
                iso[task.start_minute],
                iso[task.finish_minute],
                iso[task.early_start_minute],
                iso[task.early_finish_minute],
                iso[task.late_start_minute],
                iso[task.late_finish_minute],
                task.total_float,
                task.free_float,
                "true" if task.critical else "false",
            )
            for task in result.tasks
        ]
    )
    project = f'{{"start": "{iso[result.start_minute]}", "finish": "{iso[result.finish_minute]}"}}'
    return f'{{"project": {project}, "tasks": [{tasks}]}}'


def print_table(plan: MspdiPlan, result: Schedule, out: TextIO) -> None:
    per_day = plan.project.settings.minutes_per_day or 480
    iso = _IsoCache()
    header = (
        f"{'UID':>6}  {'Name':<32}  {'Start':<16}  {'Finish':<16}  "
        f"{'Total float':>11}  {'Free float':>10}  Critical"
    )
    out.write(header + "\n" + "-" * len(header) + "\n")
    depth: dict[int, int] = {}
    for task, source in zip(result.tasks, plan.project.tasks, strict=True):
        depth[task.uid] = 0 if source.parent is None else depth[source.parent] + 1
        name = ("  " * depth[task.uid] + task.name)[:32]
        out.write(
            f"{task.uid:>6}  {name:<32}  {iso[task.start_minute][:16]:<16}  "
            f"{iso[task.finish_minute][:16]:<16}  {task.total_float / per_day:>10.2f}d  "
            f"{task.free_float / per_day:>9.2f}d  {'yes' if task.critical else ''}\n"
        )
    out.write(
        f"\nProject: {iso[result.start_minute][:16]} to {iso[result.finish_minute][:16]}, "
        f"{len(result.critical_uids)} critical task(s)\n"
    )
