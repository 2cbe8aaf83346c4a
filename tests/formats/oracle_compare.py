"""Compare our schedule with MPXJ's, field by field, for one written plan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import LagKind, Project
from projectoffice.formats.mspdi import MspdiPlan, read_mspdi, write_mspdi

from .mpxj_oracle import Mpxj

FIELDS = (
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
)
# Where MS Project and MPXJ are known to differ we follow MS Project (docs/scheduling.md), so
# these fields are not compared for these tasks.
LATE_FIELDS = ("late_start", "late_finish", "total_float", "free_float", "critical")


def compare(project: Project, oracle: Mpxj, folder: Path, name: str) -> tuple[int, list[str]]:
    """Write ``project``, schedule it both ways; return (fields compared, differences)."""
    path = folder / f"{name}.xml"
    path.write_bytes(write_mspdi(MspdiPlan(project, name=name)))
    ours = schedule(read_mspdi(str(path)).project)
    theirs = oracle.schedule_file(path)
    tasks = {task.uid: task for task in project.tasks}
    elapsed_under: set[int] = set()
    for task in project.tasks:
        parent = task.parent
        while task.elapsed and parent is not None:
            elapsed_under.add(parent)
            parent = tasks[parent].parent
    # Free float across an elapsed lag: MPXJ subtracts the lag's elapsed minutes from the
    # working time to the successor; we (and MS Project) take the lag off in elapsed time.
    elapsed_lag_from = {
        link.predecessor for link in project.links
        if link.lag and link.lag_kind is LagKind.ELAPSED
    }
    compared = 0
    differences: list[str] = []
    for result in ours.tasks:
        other = theirs.get(result.uid)
        if other is None:
            differences.append(f"{name} task {result.uid}: missing from MPXJ's schedule")
            continue
        skip: tuple[str, ...] = ()
        if tasks[result.uid].elapsed or result.uid in elapsed_under:
            skip = LATE_FIELDS
        elif result.uid in elapsed_lag_from:
            skip = ("free_float",)
        for field in FIELDS:
            if field in skip:
                continue
            compared += 1
            mine = getattr(result, field)
            their = getattr(other, field)
            if not _same(mine, their):
                differences.append(f"{name} task {result.uid} {field}: ours {mine}, MPXJ {their}")
    return compared, differences


def _same(mine: object, their: object) -> bool:
    """Equal, allowing the part of a minute MPXJ keeps from a percent lag."""
    if isinstance(mine, datetime) and isinstance(their, datetime):
        return abs((mine - their).total_seconds()) < 60
    if isinstance(mine, bool) or isinstance(their, bool):
        return mine == their
    if isinstance(mine, int) and isinstance(their, int):
        return abs(mine - their) <= 1
    return mine == their
