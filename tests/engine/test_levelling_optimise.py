import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projectoffice.engine.levelling import (
    Assignment,
    LevellingError,
    LevelTask,
    level_plan,
)
from projectoffice.engine.levelling_optimise import optimise_plan
from projectoffice.engine.rcpsp_solve import OptimiseOptions
from projectoffice.engine.unit_network import Link, LinkType
from tests.engine.test_levelling import ALICE, BOB, PEOPLE, two_people_plan

QUICK = OptimiseOptions(time_limit=5.0)


def test_two_people_plan_reaches_the_shortest_finish() -> None:
    tasks, links = two_people_plan()
    result = optimise_plan(tasks, links, PEOPLE, QUICK)
    assert result.finish == 7  # Bob has six days of work, then the release
    assert result.overallocations == ()
    assert result.tasks["release"].start == 6


def test_plan_features_the_rcpsp_cannot_express_are_refused() -> None:
    tasks, _ = two_people_plan()
    with pytest.raises(LevellingError, match="FS links"):
        optimise_plan(tasks, [Link("spec", "ui", LinkType.SS)], PEOPLE, QUICK)
    with pytest.raises(LevellingError, match="priority"):
        optimise_plan([LevelTask("x", 1, priority=1000)], [], PEOPLE, QUICK)


@st.composite
def fs_plans(draw: st.DrawFn) -> tuple[list[LevelTask], list[Link]]:
    n = draw(st.integers(1, 7))
    names = [f"t{i}" for i in range(n)]
    tasks = [
        LevelTask(name, draw(st.integers(0, 4)),
                  tuple(Assignment(w, draw(st.sampled_from([50, 100])))
                        for w in draw(st.sampled_from([(), (ALICE,), (BOB,), (ALICE, BOB)]))),
                  release=draw(st.integers(0, 2)))
        for name in names
    ]
    links = [Link(names[i], names[j], LinkType.FS, draw(st.integers(0, 2)))
             for i in range(n) for j in range(i + 1, n) if draw(st.integers(0, 3)) == 0]
    return tasks, links


@settings(max_examples=40, deadline=None)
@given(fs_plans())
def test_optimised_plans_are_feasible_and_no_longer_than_ms_project_levelling(
    plan: tuple[list[LevelTask], list[Link]],
) -> None:
    tasks, links = plan
    result = optimise_plan(tasks, links, PEOPLE, QUICK)
    for link in links:
        before, after = result.tasks[link.predecessor], result.tasks[link.successor]
        assert after.start >= before.finish + link.lag
    for task in tasks:
        assert result.tasks[task.id].start >= task.release
        assert result.tasks[task.id].levelling_delay >= 0
    for resource in PEOPLE:
        for t in range(result.finish):
            used = sum(a.units for task in tasks for a in task.assignments
                       if a.resource == resource.id
                       and result.tasks[task.id].start <= t < result.tasks[task.id].finish)
            assert used <= resource.max_units
    assert result.finish <= level_plan(tasks, links, PEOPLE).finish
