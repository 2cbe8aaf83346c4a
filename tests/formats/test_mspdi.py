"""Reading and writing MS Project XML."""

import io
from datetime import datetime

import pytest

from benchmarks.networks import big_plan
from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import ConstraintType, LagKind, LinkType
from projectoffice.formats.mspdi import (
    MspdiError,
    MspdiPlan,
    _cut_tasks,
    _Reader,
    read_mspdi,
    write_mspdi,
)

from .mspdi_samples import TASKS, document


def test_reads_outline_links_constraints_calendars_and_extras() -> None:
    plan = read_mspdi(document())
    project = plan.project
    assert [task.uid for task in project.tasks] == [1, 2, 3, 4]
    assert [task.parent for task in project.tasks] == [None, 1, 1, None]
    build = project.tasks[2]
    assert build.duration == 1440
    assert build.constraint is ConstraintType.SNET
    assert build.constraint_date == datetime(2026, 1, 6, 8)
    assert build.deadline == datetime(2026, 1, 30, 17)
    link = project.links[0]
    assert (link.predecessor, link.successor, link.type) == (2, 3, LinkType.FS)
    assert (link.lag, link.lag_kind) == (240, LagKind.WORKING)
    # The milestone has no <Duration>: MS Project leaves zero out.
    assert project.tasks[3].duration == 0 and project.tasks[3].milestone
    calendar = project.calendars[0]
    assert calendar.exceptions[0].name == "Holiday"
    assert plan.extras[2].baselines[0].finish == datetime(2026, 1, 6, 17)
    assert plan.resources[0].name == "Ann"
    assert plan.assignments[0].work == 960


def test_schedules_the_sample_with_its_holiday() -> None:
    result = schedule(read_mspdi(document()).project)
    build = result.task(3)
    # Design Mon–Tue; half a day of lag; Wednesday is a holiday.
    assert build.early_start == datetime(2026, 1, 8, 13)
    assert build.early_finish == datetime(2026, 1, 13, 12)
    assert result.task(1).early_finish == build.early_finish


def test_round_trip_keeps_everything_the_scheduler_and_later_issues_use() -> None:
    plan = read_mspdi(document())
    result = schedule(plan.project)
    again = read_mspdi(write_mspdi(plan, result))
    assert again.project == plan.project
    assert again.extras == plan.extras
    assert again.resources == plan.resources
    assert again.assignments == plan.assignments
    assert schedule(again.project).tasks == result.tasks


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            "<Type>1</Type>\n    <LinkLag>2400",
            "Task UID 3 PredecessorLink from UID 2: unknown link Type 9",
        ),
        ("<ConstraintType>4</ConstraintType>", "Task UID 3: unknown ConstraintType 12"),
        ("<PredecessorUID>2</PredecessorUID>", "PredecessorUID 77 is not a task in this file"),
        ("<Duration>PT24H0M0S</Duration>", "Task UID 3: Duration is not a duration: 'soon'"),
        ("<LagFormat>5</LagFormat>", "unknown LagFormat 99"),
    ],
)
def test_bad_values_name_the_element_and_uid(broken: str, message: str) -> None:
    replacement = {
        "<Type>1</Type>\n    <LinkLag>2400": "<Type>9</Type>\n    <LinkLag>2400",
        "<ConstraintType>4</ConstraintType>": "<ConstraintType>12</ConstraintType>",
        "<PredecessorUID>2</PredecessorUID>": "<PredecessorUID>77</PredecessorUID>",
        "<Duration>PT24H0M0S</Duration>": "<Duration>soon</Duration>",
        "<LagFormat>5</LagFormat>": "<LagFormat>99</LagFormat>",
    }[broken]
    assert broken in TASKS
    with pytest.raises(MspdiError) as caught:
        read_mspdi(document(TASKS.replace(broken, replacement, 1)))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_malformed_xml() -> None:
    with pytest.raises(MspdiError, match="not well-formed XML"):
        read_mspdi(b"<Project><Tasks>")


def test_wrong_root() -> None:
    with pytest.raises(MspdiError, match="not an MSPDI <Project>"):
        read_mspdi(b"<html/>")


def test_dangling_assignment() -> None:
    broken = document().replace(b"<TaskUID>2</TaskUID>", b"<TaskUID>42</TaskUID>")
    with pytest.raises(MspdiError, match="Assignment UID 1: TaskUID 42 not found"):
        read_mspdi(broken)


def test_unknown_task_calendar() -> None:
    broken = document(
        TASKS.replace(
            "<OutlineLevel>1</OutlineLevel>\n   <Milestone>",
            "<OutlineLevel>1</OutlineLevel><CalendarUID>5</CalendarUID>\n   <Milestone>",
        )
    )
    with pytest.raises(MspdiError, match="Task UID 4: CalendarUID 5 is not a Calendar"):
        read_mspdi(broken)


def _streamed(data: bytes) -> MspdiPlan:
    return _Reader().read(io.BytesIO(data))


def test_batched_reading_matches_streaming() -> None:
    # Enough tasks for several slices, with lags, constraints and a second calendar.
    data = write_mspdi(MspdiPlan(big_plan(3000, seed=5)))
    assert _cut_tasks(data) is not None
    batched = read_mspdi(data)
    assert batched.project == _streamed(data).project
    assert batched.extras == _streamed(data).extras
    sample = document()
    assert _cut_tasks(sample) is not None
    assert read_mspdi(sample) == _streamed(sample)


@pytest.mark.parametrize(
    "change",
    [
        (b"<Tasks>", b"<!-- </Task> --><Tasks>"),  # a comment could hide markup
        (b"<Tasks>", b"<Tasks><![CDATA[]]>"),
        (b"<Project ", b"<?pi x?><Project "),
    ],
)
def test_documents_that_cannot_be_cut_are_streamed(change: tuple[bytes, bytes]) -> None:
    data = document().replace(*change, 1)
    assert _cut_tasks(data) is None
    assert read_mspdi(data).project == read_mspdi(document()).project


def test_a_slice_that_does_not_parse_falls_back_to_the_streaming_message() -> None:
    broken = document().replace(b"<Name>Design</Name>", b"<Name>Design</Nam>", 1)
    with pytest.raises(MspdiError, match="not well-formed XML: mismatched tag: line"):
        read_mspdi(broken)
