"""Schedule every MSPDI file of a corpus and compare with the dates MS Project saved in it.

    .venv/bin/python -m benchmarks.mspdi_corpus [DIR] [--files] [--diff] [--no-mpp] [--no-mpxj]

Each ``*.xml`` of DIR (default: ``$PMO_MSPDI_CORPUS`` or ``../shared/data/ms-project``) is read
with :func:`projectoffice.formats.mspdi.read_mspdi` and scheduled with
:func:`projectoffice.engine.cpm.schedule`.  For every non-summary task that MS Project saved
dates for, the run compares Start and Finish (both must agree), EarlyStart, LateFinish,
TotalSlack and Critical with ours, and prints the share that agrees, overall and (with
``--files``) per file, then the files that fail to read or schedule.  ``--diff`` lists each
disagreeing task.  Then each ``.mpp`` of ``DIR/mpp`` (read through MPXJ, when Java and the
``mpp`` extra are installed) is compared with the MSPDI file of the same plan: the same tasks
(UID, name) with the same start and finish.  (Critical flags are not compared: in some
pairs MS Project saved the ``.mpp``'s tasks as manually scheduled and the XML's as automatic,
and MS Project flags the two differently.)  Unless ``--no-mpxj``, the same files are also
scheduled with MPXJ's ``MicrosoftScheduler`` and its figures printed beside ours.
"""

from __future__ import annotations

import argparse
import os
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from projectoffice.engine.calendars import from_minutes, to_minutes
from projectoffice.engine.cpm import schedule
from projectoffice.formats.mspdi import read_mspdi
from projectoffice.formats.mspdi_codes import parse_datetime

MEASURES = ("start_finish", "early_start", "late_finish", "total_slack", "critical")
LABELS = {
    "start_finish": "Start+Finish",
    "early_start": "EarlyStart",
    "late_finish": "LateFinish",
    "total_slack": "TotalSlack",
    "critical": "Critical",
}


def default_corpus() -> Path:
    configured = os.environ.get("PMO_MSPDI_CORPUS")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ms-project"


@dataclass
class Tally:
    compared: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    agreed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    differences: list[str] = field(default_factory=list)

    def count(self, measure: str, same: bool, note: str) -> None:
        self.compared[measure] += 1
        if same:
            self.agreed[measure] += 1
        else:
            self.differences.append(f"{LABELS[measure]}: {note}")

    def add(self, other: Tally) -> None:
        for measure in MEASURES:
            self.compared[measure] += other.compared[measure]
            self.agreed[measure] += other.agreed[measure]

    def share(self, measure: str) -> float:
        compared = self.compared[measure]
        return 1.0 if compared == 0 else self.agreed[measure] / compared


@dataclass
class CorpusResult:
    total: Tally = field(default_factory=Tally)
    files: dict[str, Tally] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    tasks: int = 0


def _saved_tasks(path: Path) -> dict[int, dict[str, str]]:
    """UID -> the task's saved fields, for the non-summary tasks MS Project scheduled."""
    found: dict[int, dict[str, str]] = {}
    for _, element in ET.iterparse(path, events=("end",)):
        if element.tag.rpartition("}")[2] != "Task":
            continue
        values = {
            child.tag.rpartition("}")[2]: (child.text or "").strip()
            for child in element
            if len(child) == 0
        }
        element.clear()
        if values.get("IsNull") == "1" or values.get("Summary") == "1":
            continue
        if values.get("UID") in (None, "0") or not values.get("Start"):
            continue
        found[int(values["UID"])] = values
    return found


@dataclass(frozen=True)
class Dates:
    """One task's dates as a scheduler gave them, in minutes (see calendars.to_minutes)."""

    start: int
    finish: int
    early_start: int
    late_finish: int
    total_float: float  # minutes
    critical: bool


def compare_file(path: Path) -> Tally:
    plan = read_mspdi(str(path))
    result = schedule(plan.project)
    ours = {
        task.uid: Dates(task.start_minute, task.finish_minute, task.early_start_minute,
                        task.late_finish_minute, task.total_float, task.critical)
        for task in result.tasks
        if not task.summary
    }
    return tally_file(path, ours)


def tally_file(path: Path, scheduled: dict[int, Dates]) -> Tally:
    """How many of the dates MS Project saved in ``path`` equal ``scheduled``'s."""
    tally = Tally()
    saved = _saved_tasks(path)
    for uid, values in saved.items():
        ours = scheduled.get(uid)
        if ours is None:
            continue
        name = f"{path.name} UID {uid} {values.get('Name', '')!r}"
        start, finish = to_minutes(parse_datetime(values["Start"])), None
        if values.get("Finish"):
            finish = to_minutes(parse_datetime(values["Finish"]))
        same = ours.start == start and (finish is None or ours.finish == finish)
        tally.count(
            "start_finish",
            same,
            f"{name}: saved {values['Start']}..{values.get('Finish')}, "
            f"ours {_iso(ours.start)}..{_iso(ours.finish)}",
        )
        if values.get("EarlyStart"):
            saved_es = to_minutes(parse_datetime(values["EarlyStart"]))
            tally.count(
                "early_start",
                saved_es == ours.early_start,
                f"{name}: saved {values['EarlyStart']}, ours {_iso(ours.early_start)}",
            )
        if values.get("LateFinish"):
            saved_lf = to_minutes(parse_datetime(values["LateFinish"]))
            tally.count(
                "late_finish",
                saved_lf == ours.late_finish,
                f"{name}: saved {values['LateFinish']}, ours {_iso(ours.late_finish)}",
            )
        if values.get("TotalSlack"):
            slack = float(values["TotalSlack"]) / 10  # tenths of a minute
            tally.count(
                "total_slack",
                abs(slack - ours.total_float) < 1,
                f"{name}: saved {slack:g} min, ours {ours.total_float:g} min",
            )
        if values.get("Critical"):
            tally.count(
                "critical",
                (values["Critical"] == "1") == ours.critical,
                f"{name}: saved {values['Critical']}, ours {int(ours.critical)}",
            )
    return tally


def _iso(minutes: int) -> str:
    return from_minutes(minutes).isoformat()


def run_corpus(directory: Path) -> CorpusResult:
    result = CorpusResult()
    for path in sorted(directory.glob("*.xml")):
        try:
            tally = compare_file(path)
        except Exception as error:  # every failure is a finding to report
            result.failures[path.name] = f"{type(error).__name__}: {error}"
            continue
        result.files[path.name] = tally
        result.total.add(tally)
        result.tasks += tally.compared["start_finish"]
    return result


class MpxjPeer:
    """MPXJ's ``MicrosoftScheduler`` on the same files: the peer our figures stand beside.
    (The benchmark runs Java in its own process through JPype; the office never does.)"""

    def __init__(self) -> None:
        import jpype
        import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

        if not jpype.isJVMStarted():
            jpype.startJVM("-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple."
                           "SimpleLoggerContextFactory", convertStrings=True)
        from org.mpxj import TimeUnit
        from org.mpxj.cpm import MicrosoftScheduler
        from org.mpxj.reader import UniversalProjectReader

        self._reader, self._scheduler, self._minutes = (
            UniversalProjectReader, MicrosoftScheduler, TimeUnit.MINUTES)

    def schedule(self, path: Path) -> dict[int, Dates]:
        project = self._reader().read(str(path))
        properties = project.getProjectProperties()
        self._scheduler().schedule(project, properties.getStartDate())
        found: dict[int, Dates] = {}
        for task in project.getTasks():
            uid = int(task.getUniqueID())
            if uid == 0 or task.getSummary() or task.getStart() is None:
                continue
            slack = task.getTotalSlack()
            found[uid] = Dates(
                _java_minutes(task.getStart()), _java_minutes(task.getFinish()),
                _java_minutes(task.getEarlyStart()), _java_minutes(task.getLateFinish()),
                float(slack.convertUnits(self._minutes, properties).getDuration())
                if slack is not None else 0.0,
                bool(task.getCritical()),
            )
        return found


def _java_minutes(value: object) -> int:
    if value is None:
        return -1
    return to_minutes(datetime.fromisoformat(str(value.toString())))  # type: ignore[attr-defined]


def run_mpxj(directory: Path) -> CorpusResult | str:
    """The corpus figures of MPXJ's scheduler, or why they cannot be had here."""
    from projectoffice.formats.mpxj_bridge import mpxj_problem
    from projectoffice.formats.sniff import MPP

    problem = mpxj_problem(MPP)
    if problem is not None:
        return problem
    peer = MpxjPeer()
    result = CorpusResult()
    for path in sorted(directory.glob("*.xml")):
        try:
            tally = tally_file(path, peer.schedule(path))
        except Exception as error:  # every failure is a finding to report
            result.failures[path.name] = f"{type(error).__name__}: {error}"
            continue
        result.files[path.name] = tally
        result.total.add(tally)
        result.tasks += tally.compared["start_finish"]
    return result


def report_peer(ours: CorpusResult, peer: CorpusResult | str) -> str:
    if isinstance(peer, str):
        return f"MPXJ's scheduler: skipped ({peer})"
    lines = [f"beside MPXJ's MicrosoftScheduler on the same files ({len(peer.failures)} failed):",
             f"  {'':<13} {'ours':>7}  {'MPXJ':>7}"]
    for measure in MEASURES:
        lines.append(f"  {LABELS[measure]:<13} {ours.total.share(measure):7.2%}"
                     f"  {peer.total.share(measure):7.2%}"
                     f"  ({peer.total.agreed[measure]}/{peer.total.compared[measure]})")
    return "\n".join(lines)


@dataclass
class TwinResult:
    same: list[str] = field(default_factory=list)
    different: dict[str, str] = field(default_factory=dict)
    skipped: str = ""


def run_mpp_twins(directory: Path) -> TwinResult:
    """Each ``mpp/NAME-mppN.mpp`` against ``NAME-mspdi.xml``: tasks and dates."""
    from projectoffice.formats.mpxj_bridge import mpxj_problem, read_plan_file
    from projectoffice.formats.sniff import MPP

    result = TwinResult()
    problem = mpxj_problem(MPP)
    if problem is not None:
        result.skipped = problem
        return result
    for mpp in sorted((directory / "mpp").glob("*.mpp")):
        twin = directory / (mpp.stem.rpartition("-mpp")[0] + "-mspdi.xml")
        if not twin.is_file():
            continue
        try:
            ours = schedule(read_plan_file(mpp.read_bytes()).project)
        except Exception as error:  # every failure is a finding to report
            result.different[mpp.name] = f"{type(error).__name__}: {error}"
            continue
        saved = schedule(read_mspdi(str(twin)).project)
        got = [(t.uid, t.name, t.start, t.finish) for t in ours.tasks]
        want = [(t.uid, t.name, t.start, t.finish) for t in saved.tasks]
        if got == want:
            result.same.append(mpp.name)
        else:
            first = next((f"{a} != {b}" for a, b in zip(got, want, strict=False) if a != b),
                         f"{len(got)} tasks, the MSPDI file has {len(want)}")
            result.different[mpp.name] = first
    return result


def report_twins(twins: TwinResult) -> str:
    if twins.skipped:
        return f"mpp twins: skipped ({twins.skipped})"
    total = len(twins.same) + len(twins.different)
    lines = [f"mpp twins: {len(twins.same)}/{total} .mpp files give the tasks and dates "
             "of their MSPDI twin"]
    lines += [f"DIFFERENT {name}: {why}" for name, why in twins.different.items()]
    return "\n".join(lines)


def report(result: CorpusResult, *, files: bool, diff: bool) -> str:
    lines: list[str] = []
    width = max((len(name) for name in result.files), default=10)
    header = "  ".join(f"{LABELS[m]:>12}" for m in MEASURES)
    if files:
        lines.append(f"{'file':<{width}}  {'tasks':>5}  {header}")
        for name, tally in result.files.items():
            shares = "  ".join(f"{tally.share(m):>12.1%}" for m in MEASURES)
            lines.append(f"{name:<{width}}  {tally.compared['start_finish']:>5}  {shares}")
        lines.append("")
    total = result.total
    lines.append(
        f"corpus: {len(result.files)} files scheduled, {len(result.failures)} failed, "
        f"{result.tasks} non-summary tasks"
    )
    for measure in MEASURES:
        lines.append(
            f"  {LABELS[measure]:<13} {total.share(measure):7.2%}"
            f"  ({total.agreed[measure]}/{total.compared[measure]})"
        )
    for name, message in result.failures.items():
        lines.append(f"FAILED {name}: {message}")
    if diff:
        for name, tally in result.files.items():
            del name
            lines.extend(tally.differences)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=None)
    parser.add_argument("--files", action="store_true", help="figures per file")
    parser.add_argument("--diff", action="store_true", help="list every disagreeing task")
    parser.add_argument("--no-mpp", action="store_true",
                        help="skip comparing the .mpp files with their MSPDI twins")
    parser.add_argument("--no-mpxj", action="store_true",
                        help="skip scheduling the files with MPXJ's scheduler for comparison")
    args = parser.parse_args(argv)
    directory = args.directory or default_corpus()
    if not directory.is_dir():
        print(f"no corpus at {directory}", file=sys.stderr)
        return 2
    result = run_corpus(directory)
    print(report(result, files=args.files, diff=args.diff))
    if not args.no_mpxj:
        print(report_peer(result, run_mpxj(directory)))
    twins = TwinResult(skipped="--no-mpp") if args.no_mpp else run_mpp_twins(directory)
    print(report_twins(twins))
    return 1 if result.failures or twins.different else 0


if __name__ == "__main__":
    raise SystemExit(main())
