"""Single features against the dates MS Project saved in real files of the corpus."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.mspdi_corpus import default_corpus
from projectoffice.engine.cpm import schedule
from projectoffice.formats.mspdi import MspdiPlan, read_mspdi, write_mspdi


def corpus_file(name: str) -> Path:
    path = default_corpus() / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} is absent")
    return path


def test_manual_tasks_stay_on_the_dates_saved_before_the_project_start() -> None:
    # Project 2010 file: StartDate 2016-03-10, three manual tasks put on 2016-01-04.
    plan = read_mspdi(str(corpus_file("assignment-assignments-project2010-mspdi.xml")))
    assert plan.project.start == datetime(2016, 3, 10, 8)
    result = schedule(plan.project)
    for uid in (1, 2, 3):
        task = plan.project.tasks[[t.uid for t in plan.project.tasks].index(uid)]
        assert task.manual and not task.manual_text
        scheduled = result.task(uid)
        assert (scheduled.start, scheduled.finish) == (
            datetime(2016, 1, 4, 8),
            datetime(2016, 1, 15, 17),
        )
        assert scheduled.late_finish == datetime(2016, 1, 15, 17)
        assert scheduled.total_float == 0
        assert scheduled.critical  # saved Critical=1


def test_manual_tasks_with_text_placeholders_are_not_critical_as_saved() -> None:
    plan = read_mspdi(str(corpus_file("task-baselines-project2010-mspdi.xml")))
    result = schedule(plan.project)
    manual = [t for t in plan.project.tasks if t.manual]
    assert len(manual) == 110
    for task in manual:
        assert task.manual_text
        scheduled = result.task(task.uid)
        assert scheduled.total_float == 0
        assert not scheduled.critical  # saved Critical=0


def test_manual_and_inactive_tasks_survive_a_round_trip(tmp_path: Path) -> None:
    plan = read_mspdi(str(corpus_file("task-textvalues-project2010-mspdi.xml")))
    tasks = list(plan.project.tasks)
    tasks[0] = replace(tasks[0], active=False)
    plan = MspdiPlan(replace(plan.project, tasks=tuple(tasks)), extras=plan.extras)
    again = read_mspdi(write_mspdi(plan, schedule(plan.project)))
    assert [
        (t.uid, t.manual, t.manual_start, t.manual_finish, t.manual_text, t.active)
        for t in again.project.tasks
    ] == [
        (t.uid, t.manual, t.manual_start, t.manual_finish, t.manual_text, t.active)
        for t in plan.project.tasks
    ]
    assert not again.project.tasks[0].active
