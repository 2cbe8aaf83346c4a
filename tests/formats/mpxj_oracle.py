"""MPXJ's MicrosoftScheduler, run in process through JPype, as an outside oracle."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest


def java_available() -> bool:
    return shutil.which("java") is not None


@dataclass(frozen=True)
class OracleTask:
    uid: int
    summary: bool
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    total_float: int
    free_float: int
    critical: bool


class Mpxj:
    """Reads an MSPDI file with MPXJ and schedules it with MicrosoftScheduler."""

    def __init__(self) -> None:
        import jpype
        import mpxj  # noqa: F401  (puts the MPXJ jars on the class path)

        if not jpype.isJVMStarted():
            jpype.startJVM()
        from org.mpxj import TimeUnit
        from org.mpxj.cpm import MicrosoftScheduler
        from org.mpxj.reader import UniversalProjectReader

        self._reader = UniversalProjectReader
        self._scheduler = MicrosoftScheduler
        self._minutes = TimeUnit.MINUTES

    def read(self, path: Path) -> Any:
        return self._reader().read(str(path))

    def schedule_file(self, path: Path) -> dict[int, OracleTask]:
        project = self.read(path)
        self._scheduler().schedule(project, project.getProjectProperties().getStartDate())
        properties = project.getProjectProperties()
        found: dict[int, OracleTask] = {}
        for task in project.getTasks():
            uid = int(task.getUniqueID())
            if uid == 0 or task.getEarlyStart() is None:
                continue
            found[uid] = OracleTask(
                uid=uid,
                summary=bool(task.getSummary()),
                early_start=_date(task.getEarlyStart()),
                early_finish=_date(task.getEarlyFinish()),
                late_start=_date(task.getLateStart()),
                late_finish=_date(task.getLateFinish()),
                total_float=self._minutes_of(task.getTotalSlack(), properties),
                free_float=self._minutes_of(task.getFreeSlack(), properties),
                critical=bool(task.getCritical()),
            )
        return found

    def _minutes_of(self, duration: Any, properties: Any) -> int:
        if duration is None:
            return 0
        return round(float(duration.convertUnits(self._minutes, properties).getDuration()))


def _date(value: Any) -> datetime:
    return datetime.fromisoformat(str(value.toString()))


_instance: Mpxj | None = None


def mpxj_oracle() -> Mpxj:
    global _instance
    if not java_available():
        pytest.skip("java is not installed")
    if _instance is None:
        _instance = Mpxj()
    return _instance
