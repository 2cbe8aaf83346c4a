from hypothesis import given, settings
from hypothesis import strategies as st

from projectoffice.engine.levelling import (
    Assignment,
    CapacityPeriod,
    LevellingOptions,
    LevellingOrder,
    LevelResource,
    LevelTask,
    level_plan,
)
from projectoffice.engine.unit_network import Link, LinkType, earliest_start_from

ALICE, BOB = "alice", "bob"
PEOPLE = (LevelResource(ALICE), LevelResource(BOB))


def two_people_plan(**priorities: int) -> tuple[list[LevelTask], list[Link]]:
    """Alice has two parallel tasks, Bob has two; all four feed the release."""

    def task(name: str, days: int, who: str | None) -> LevelTask:
        assignments = (Assignment(who),) if who else ()
        return LevelTask(name, days, assignments, priority=priorities.get(name, 500))

    tasks = [task("spec", 3, ALICE), task("ui", 2, ALICE), task("api", 4, BOB),
             task("tests", 2, BOB), task("release", 1, None)]
    links = [Link(name, "release") for name in ("spec", "ui", "api", "tests")]
    return tasks, links


def test_two_overallocated_people_are_levelled_like_ms_project() -> None:
    tasks, links = two_people_plan()
    result = level_plan(tasks, links, PEOPLE)
    starts = {t: r.start for t, r in result.tasks.items()}
    # Least float first (standard order): api (0 days) and spec (1) keep their dates,
    # ui and tests (2 days of float each) wait for their person.
    assert starts == {"spec": 0, "ui": 3, "api": 0, "tests": 4, "release": 6}
    assert result.tasks["ui"].levelling_delay == 3
    assert result.tasks["tests"].levelling_delay == 4
    assert result.tasks["api"].levelling_delay == 0
    assert result.tasks["release"].levelling_delay == 0  # pushed by links, not levelled
    assert (result.finish_before, result.finish) == (5, 7)
    assert result.critical_path == ("tests", "release")
    assert result.overallocations == ()


def test_within_float_never_delays_past_float_and_reports_what_is_left() -> None:
    tasks, links = two_people_plan()
    result = level_plan(tasks, links, PEOPLE, LevellingOptions(within_float=True))
    assert result.finish == result.finish_before == 5
    for task in result.tasks.values():
        assert task.levelling_delay <= {"spec": 1, "ui": 2, "api": 0, "tests": 2,
                                        "release": 0}[task.id]
    left = {(o.resource, o.start, o.finish, o.peak_units) for o in result.overallocations}
    assert left == {(ALICE, 0, 2, 200), (BOB, 0, 2, 200)}


def test_priority_decides_who_waits() -> None:
    tasks, links = two_people_plan(tests=800)
    result = level_plan(tasks, links, PEOPLE,
                        LevellingOptions(order=LevellingOrder.PRIORITY_STANDARD))
    assert result.tasks["tests"].start == 0
    assert result.tasks["api"].start == 2
    assert result.finish == 7


def test_priority_1000_is_never_delayed() -> None:
    tasks, links = two_people_plan(ui=1000)
    result = level_plan(tasks, links, PEOPLE)
    assert result.tasks["ui"].start == 0 and result.tasks["ui"].levelling_delay == 0
    assert result.tasks["spec"].start == 2


def test_id_order_levels_later_tasks_first() -> None:
    tasks, links = two_people_plan()
    result = level_plan(tasks, links, PEOPLE, LevellingOptions(order=LevellingOrder.ID))
    # By ID, spec precedes ui and api precedes tests whatever their float.
    assert (result.tasks["ui"].start, result.tasks["tests"].start) == (3, 4)
    assert result.tasks["api"].start == 0


def test_splitting_works_around_a_holiday() -> None:
    holiday = LevelResource(ALICE, periods=(CapacityPeriod(1, 2, 0),))
    tasks = [LevelTask("spec", 3, (Assignment(ALICE),))]
    whole = level_plan(tasks, [], [holiday])
    assert (whole.tasks["spec"].start, whole.tasks["spec"].finish) == (2, 5)
    split = level_plan(tasks, [], [holiday], LevellingOptions(allow_splitting=True))
    assert split.tasks["spec"].segments == ((0, 1), (2, 4))
    assert split.finish == 4


def test_previous_delay_is_kept_unless_cleared() -> None:
    tasks = [LevelTask("a", 2, (Assignment(ALICE),), levelling_delay=3)]
    kept = level_plan(tasks, [], PEOPLE, LevellingOptions(clear_previous=False))
    cleared = level_plan(tasks, [], PEOPLE, LevellingOptions(clear_previous=True))
    assert kept.tasks["a"].start == 3
    assert cleared.tasks["a"].start == 0


def test_link_types_and_lags_are_respected() -> None:
    tasks = [LevelTask("a", 4, (Assignment(ALICE),)), LevelTask("b", 2, (Assignment(ALICE),)),
             LevelTask("c", 3)]
    links = [Link("a", "c", LinkType.SS, 1), Link("a", "b", LinkType.FF, 1)]
    result = level_plan(tasks, links, PEOPLE)
    assert result.tasks["c"].start == 1
    assert result.tasks["b"].finish >= result.tasks["a"].finish + 1
    assert result.overallocations == ()


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[LevelTask], list[Link]]:
    n = draw(st.integers(1, 8))
    names = [f"t{i}" for i in range(n)]
    tasks = []
    for name in names:
        who = draw(st.sampled_from([(), (ALICE,), (BOB,), (ALICE, BOB)]))
        units = draw(st.sampled_from([50, 100]))
        tasks.append(LevelTask(name, draw(st.integers(0, 5)),
                               tuple(Assignment(w, units) for w in who),
                               priority=draw(st.integers(0, 999))))
    links = []
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.booleans()) and draw(st.booleans()):
                links.append(Link(names[i], names[j], draw(st.sampled_from(list(LinkType))),
                                  draw(st.integers(-2, 3))))
    return tasks, links


@settings(max_examples=150, deadline=None)
@given(plans(), st.sampled_from(list(LevellingOrder)), st.booleans(), st.booleans())
def test_levelled_plans_respect_links_capacity_and_float(
    plan: tuple[list[LevelTask], list[Link]], order: LevellingOrder, split: bool,
    within: bool,
) -> None:
    tasks, links = plan
    options = LevellingOptions(order=order, allow_splitting=split, within_float=within)
    result = level_plan(tasks, links, PEOPLE, options)
    again = level_plan(tasks, links, PEOPLE, options)
    assert result == again  # deterministic
    durations = {t.id: t.duration for t in tasks}
    for link in links:
        p, s = result.tasks[link.predecessor], result.tasks[link.successor]
        assert s.start >= earliest_start_from(link, p.start, p.finish, durations[s.id])
    for task in tasks:
        r = result.tasks[task.id]
        assert sum(b - a for a, b in r.segments) == task.duration
        assert r.levelling_delay >= 0
    if within:
        unlevelled = level_plan(tasks, links, (LevelResource(ALICE, 10**6),
                                               LevelResource(BOB, 10**6)))
        assert result.finish == unlevelled.finish
    else:
        assert result.overallocations == ()


def test_kept_delay_counts_after_links_as_in_ms_project() -> None:
    tasks = [LevelTask("a", 2, (Assignment(ALICE),)),
             LevelTask("b", 1, (Assignment(BOB),), levelling_delay=2)]
    result = level_plan(tasks, [Link("a", "b")], PEOPLE, LevellingOptions(clear_previous=False))
    assert result.tasks["b"].start == 4  # a finishes at 2, then the kept 2-unit delay
    assert result.finish_before == result.finish == 5


period_lists = st.lists(
    st.builds(lambda start, length, units: CapacityPeriod(start, start + length, units),
              st.integers(0, 60), st.integers(0, 12), st.integers(0, 150)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(period_lists, st.integers(1, 200))
def test_capacity_is_the_first_period_covering_the_time(
        periods: list[CapacityPeriod], max_units: int) -> None:
    resource = LevelResource(ALICE, max_units, tuple(periods))
    for t in range(-2, 80):
        first = next((p.units for p in periods if p.start <= t < p.finish), max_units)
        assert resource.capacity(t) == first


def test_capacity_lookup_stays_cheap_with_many_periods() -> None:
    """A calendar of absences and other work becomes thousands of periods; looking one up
    is a bisection, not a scan (a scan here takes some 20 s)."""
    import time

    periods = tuple(CapacityPeriod(3 * i, 3 * i + 2, i % 2 * 50) for i in range(20_000))
    resource = LevelResource(ALICE, 100, periods)
    began = time.perf_counter()
    total = sum(resource.capacity(t) for t in range(60_000))
    assert time.perf_counter() - began < 2.0
    assert total == 20_000 * 100 + 10_000 * 2 * 50  # the gaps at 100, half the periods at 50


def test_absence_and_part_time_periods_move_work_and_report_what_is_left() -> None:
    # Alice is away on units 2–4 and half-time on 7–9; a fixed task inside the absence
    # stays and is reported against the capacity she has then.
    alice = LevelResource(ALICE, 100, (CapacityPeriod(2, 5, 0), CapacityPeriod(7, 10, 50)))
    tasks = [LevelTask("a", 2, (Assignment(ALICE),), release=1),
             LevelTask("b", 2, (Assignment(ALICE, 50),), release=6),
             LevelTask("fixed", 1, (Assignment(ALICE),), priority=1000, release=3)]
    result = level_plan(tasks, [], [alice], LevellingOptions(order=LevellingOrder.ID))
    assert (result.tasks["a"].start, result.tasks["a"].finish) == (5, 7)
    # b at 50 % waits for a, then fits in Alice's half-time days.
    assert (result.tasks["b"].start, result.tasks["b"].finish) == (7, 9)
    # a whole day's task does not fit a half-time day: after the part-time weeks.
    late = level_plan([LevelTask("c", 1, (Assignment(ALICE),), release=7)], [], [alice])
    assert late.tasks["c"].start == 10
    [left] = result.overallocations
    assert (left.start, left.finish, left.peak_units, left.max_units, left.available) == (
        3, 4, 100, 100, 0)
