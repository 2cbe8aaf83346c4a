"""Invariants of the scheduler on generated networks (hypothesis)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from projectoffice.engine.calendars import WorkingTime, standard_calendar, to_minutes
from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import Link as NetLink
from projectoffice.engine.network import LinkType, Project, Task

START = datetime(2026, 1, 5, 8)
CALENDAR = WorkingTime(standard_calendar())


@st.composite
def networks(draw: st.DrawFn, link_types: tuple[LinkType, ...], leads: bool) -> Project:
    count = draw(st.integers(1, 12))
    tasks = tuple(
        Task(uid, f"T{uid}", duration=draw(st.sampled_from([0, 60, 240, 480, 960, 2400])))
        for uid in range(1, count + 1)
    )
    tasks = tuple(
        Task(t.uid, t.name, duration=t.duration, milestone=t.duration == 0) for t in tasks
    )
    links: list[NetLink] = []
    seen: set[tuple[int, int]] = set()
    for successor in range(2, count + 1):
        for _ in range(draw(st.integers(0, 2))):
            predecessor = draw(st.integers(1, successor - 1))
            if (predecessor, successor) in seen:
                continue
            seen.add((predecessor, successor))
            lags = [0, 120, 480] + ([-240, -480] if leads else [])
            links.append(
                NetLink(
                    predecessor,
                    successor,
                    draw(st.sampled_from(link_types)),
                    draw(st.sampled_from(lags)),
                )
            )
    return Project(start=START, tasks=tasks, links=tuple(links))


ALL_TYPES = (LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF)


def _after(earlier: int, later: int, lag: float) -> bool:
    """``later`` is no earlier than ``earlier`` moved by ``lag`` working minutes."""
    return (
        later >= CALENDAR.add(earlier, round(lag))
        or CALENDAR.work_between(CALENDAR.add(earlier, round(lag)), later) >= 0
    )


@settings(max_examples=150, deadline=None)
@given(networks(ALL_TYPES, leads=True))
def test_every_link_is_satisfied(project: Project) -> None:
    result = schedule(project)
    for link in project.links:
        pred, succ = result.task(link.predecessor), result.task(link.successor)
        own = pred.early_start_minute if link.type in (LinkType.SS, LinkType.SF) else None
        own = pred.early_finish_minute if own is None else own
        other = (
            succ.early_start_minute
            if link.type in (LinkType.FS, LinkType.SS)
            else succ.early_finish_minute
        )
        assert _after(own, other, link.lag), (link, pred, succ)


@settings(max_examples=150, deadline=None)
@given(networks(ALL_TYPES, leads=True))
def test_without_constraints_no_float_is_negative(project: Project) -> None:
    result = schedule(project)
    for task in result.tasks:
        assert task.total_float >= 0 and task.free_float >= 0, task


@settings(max_examples=150, deadline=None)
@given(networks((LinkType.FS, LinkType.SS, LinkType.FF), leads=False))
def test_a_critical_chain_runs_from_start_to_finish(project: Project) -> None:
    result = schedule(project)
    critical = [task for task in result.tasks if task.critical]
    assert any(task.early_finish_minute == result.finish_minute for task in critical)
    start = CALENDAR.next_start(to_minutes(START))
    assert any(task.early_start_minute == start for task in critical)
    # Walk back from a task that finishes the project along critical, driving links.
    drivers = {link.successor: [] for link in project.links}  # type: dict[int, list[int]]
    for link in project.links:
        if result.task(link.predecessor).critical:
            drivers[link.successor].append(link.predecessor)
    current = next(t for t in critical if t.early_finish_minute == result.finish_minute)
    steps = 0
    while current.early_start_minute != start and steps <= len(result.tasks):
        assert drivers.get(current.uid), f"critical task {current.uid} has no critical driver"
        current = result.task(min(drivers[current.uid]))
        steps += 1


@settings(max_examples=100, deadline=None)
@given(networks(ALL_TYPES, leads=True), st.randoms(use_true_random=False))
def test_scheduling_is_deterministic_and_ignores_task_order(project: Project, rng: object) -> None:
    first = schedule(project)
    assert schedule(project) == first
    shuffled = list(project.tasks)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    again = schedule(Project(start=project.start, tasks=tuple(shuffled), links=project.links))
    for task in first.tasks:
        assert again.task(task.uid) == task
