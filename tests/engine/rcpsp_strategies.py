"""Random RCPSP instances for property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from projectoffice.engine.rcpsp import RcpspProblem


@st.composite
def problems(draw: st.DrawFn, max_activities: int = 10, max_resources: int = 3) -> RcpspProblem:
    n = draw(st.integers(1, max_activities))
    resources = draw(st.integers(0, max_resources))
    capacities = tuple(draw(st.integers(1, 6)) for _ in range(resources))
    durations = tuple(draw(st.integers(0, 6)) for _ in range(n))
    demands = tuple(
        tuple(draw(st.integers(0, capacities[r])) for r in range(resources)) for _ in range(n)
    )
    # Edges only from lower to higher index keep the network acyclic.
    successors = tuple(
        tuple(sorted(draw(st.sets(st.integers(j + 1, n - 1), max_size=3)))) if j < n - 1 else ()
        for j in range(n)
    )
    return RcpspProblem(durations, demands, capacities, successors)
