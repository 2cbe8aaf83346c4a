"""Work-driven scheduling: a task with assignments lasts as long as its resources' work
takes at their units on their calendars, as MS Project schedules it."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.mspdi_corpus import compare_file, default_corpus
from projectoffice.engine.calendars import Calendar, WorkingPeriod
from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import Project, Task, Work
from projectoffice.formats.mspdi import read_mspdi

D = datetime
HOUR = 60
MORNINGS = (WorkingPeriod(8 * 60, 12 * 60),)


def corpus_file(name: str) -> Path:
    path = default_corpus() / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} is absent")
    return path


@pytest.mark.parametrize("name", [
    "assignment-text-project2003-mspdi.xml",
    "assignment-flags-project2007-mspdi.xml",
])
def test_durations_follow_from_work_to_the_dates_ms_project_saved(name: str,
                                                                  tmp_path: Path) -> None:
    source = corpus_file(name)
    data = source.read_text(encoding="utf-8")
    # Every task's own Duration (and RemainingDuration) set to nothing: only the assignments'
    # Work and Units are left to say how long the tasks last.
    blanked = re.sub(r"<(Duration|RemainingDuration)>PT[0-9HMS.]+</\1>",
                     r"<\1>PT0H0M0S</\1>", data)
    assert blanked != data
    path = tmp_path / name
    path.write_text(blanked, encoding="utf-8")
    plan = read_mspdi(str(path))
    working = [t for t in plan.project.tasks if t.work]
    assert len(working) >= 10 and all(t.duration == 0 for t in working)
    result = schedule(plan.project)
    assert {t.uid for t in working} <= set(result.durations)
    tally = compare_file(path)
    assert tally.compared["start_finish"] >= len(working)
    assert tally.share("start_finish") == 1.0, tally.differences[:5]
    assert tally.share("late_finish") == 1.0, tally.differences[:5]


def part_time_project(*work: Work, calendar_uid: int | None = None) -> Project:
    standard = Calendar(1, "Standard")
    mornings = Calendar(2, "Mornings only", week=(MORNINGS, MORNINGS, MORNINGS, MORNINGS,
                                                  MORNINGS, (), ()), base=standard)
    return Project(start=D(2026, 3, 2, 8), calendars=(standard, mornings),
                   tasks=(Task(1, "Survey", duration=8 * HOUR, work=work,
                               calendar_uid=calendar_uid),))


def test_a_part_time_resource_stretches_the_task_over_its_own_calendar() -> None:
    result = schedule(part_time_project(Work(16 * HOUR, 1.0, calendar_uid=2)))
    survey = result.task(1)
    # 16 h of mornings: Monday to Thursday, 08:00-12:00.
    assert (survey.start, survey.finish) == (D(2026, 3, 2, 8), D(2026, 3, 5, 12))
    assert result.durations[1] == 16 * HOUR


def test_half_units_double_the_duration_and_effort_is_shared_between_resources() -> None:
    half = schedule(part_time_project(Work(16 * HOUR, 0.5)))
    assert half.task(1).finish == D(2026, 3, 5, 17)  # 32 working hours
    # Effort-driven: the 16 h were shared between two full-time people, 8 h each.
    shared = schedule(part_time_project(Work(8 * HOUR, 1.0), Work(8 * HOUR, 1.0)))
    assert shared.task(1).finish == D(2026, 3, 2, 17)


def test_fixed_duration_tasks_in_a_file_keep_their_duration() -> None:
    data = corpus_file("assignment-text-project2003-mspdi.xml").read_bytes()
    plan = read_mspdi(data.replace(b"<Type>0</Type>", b"<Type>1</Type>"))
    assert not any(t.work for t in plan.project.tasks)


def tuesday_to_thursday_project(*, ignore: bool) -> Project:
    standard = Calendar(1, "Standard")
    mornings = Calendar(2, "Mornings only", week=(MORNINGS, MORNINGS, MORNINGS, MORNINGS,
                                                  MORNINGS, (), ()), base=standard)
    midweek = Calendar(3, "Tuesday to Thursday", week=((), None, None, None, (), (), ()),
                       base=standard)
    return Project(start=D(2026, 3, 2, 8), calendars=(standard, mornings, midweek),
                   tasks=(Task(1, "Survey", duration=8 * HOUR, calendar_uid=3,
                               work=(Work(16 * HOUR, 1.0, calendar_uid=2),),
                               ignore_resource_calendar=ignore),))


def test_a_task_calendar_and_a_resource_calendar_share_their_working_time() -> None:
    # The task works Tuesday to Thursday, its resource mornings only: the 16 h of work are
    # done on Tuesday, Wednesday and Thursday mornings (12 h), then the next Tuesday morning.
    result = schedule(tuesday_to_thursday_project(ignore=False))
    survey = result.task(1)
    assert (survey.start, survey.finish) == (D(2026, 3, 3, 8), D(2026, 3, 10, 12))
    assert result.durations[1] == 16 * HOUR


def test_a_task_that_ignores_resource_calendars_works_on_its_own_calendar() -> None:
    # 16 h on the task's calendar alone: Tuesday and Wednesday, full days.
    result = schedule(tuesday_to_thursday_project(ignore=True))
    survey = result.task(1)
    assert (survey.start, survey.finish) == (D(2026, 3, 3, 8), D(2026, 3, 4, 17))


def test_ignoring_resource_calendars_is_read_from_and_written_to_the_file() -> None:
    from projectoffice.formats.mspdi import MspdiPlan, write_mspdi

    plan = MspdiPlan(tuesday_to_thursday_project(ignore=True))
    data = write_mspdi(plan, schedule(plan.project))
    assert b"<IgnoreResourceCalendar>1</IgnoreResourceCalendar>" in data
    assert read_mspdi(data).project.tasks[0].ignore_resource_calendar
    plain = MspdiPlan(tuesday_to_thursday_project(ignore=False))
    assert not read_mspdi(write_mspdi(plain)).project.tasks[0].ignore_resource_calendar
