from hypothesis import given, settings

from projectoffice.engine.rcpsp import RcpspProblem, makespan, schedule_violations
from projectoffice.engine.rcpsp_solve import Improvement, OptimiseOptions, optimise_schedule
from tests.engine.rcpsp_strategies import problems
from tests.engine.test_rcpsp_core import brute_force_optimum

# A j30-like instance small enough to reason about: resource 0 forces a sequence.
TIGHT = RcpspProblem(
    durations=(0, 4, 3, 2, 5, 2, 0),
    demands=((0, 0), (2, 1), (2, 0), (1, 2), (2, 2), (1, 1), (0, 0)),
    capacities=(3, 2),
    successors=((1, 2, 3), (4,), (5,), (5,), (6,), (6,), ()),
)


@settings(max_examples=40, deadline=None)
@given(problems(max_activities=7))
def test_optimising_mode_matches_brute_force(problem: RcpspProblem) -> None:
    result = optimise_schedule(problem, OptimiseOptions(time_limit=5.0))
    assert schedule_violations(problem, result.starts) == []
    assert result.optimal
    assert result.makespan == brute_force_optimum(problem) == result.lower_bound
    assert makespan(problem, result.starts) == result.makespan


def test_cpsat_alone_proves_the_same_optimum() -> None:
    result = optimise_schedule(TIGHT, OptimiseOptions(time_limit=5.0, heuristic_share=0.0))
    assert result.optimal and result.makespan == brute_force_optimum(TIGHT)


def test_progress_reports_each_improvement() -> None:
    seen: list[Improvement] = []
    result = optimise_schedule(TIGHT, OptimiseOptions(time_limit=2.0), seen.append)
    assert seen, "at least the first schedule is reported"
    spans = [i.makespan for i in seen]
    assert spans == sorted(spans, reverse=True) and len(set(spans)) == len(spans)
    assert spans[-1] == result.makespan


def test_heuristic_with_schedule_limit_is_reproducible() -> None:
    options = OptimiseOptions(time_limit=30.0, use_cpsat=False, max_schedules=300, seed=3)
    first = optimise_schedule(TIGHT, options)
    second = optimise_schedule(TIGHT, options)
    assert first.starts == second.starts
    assert first.lower_bound <= first.makespan
