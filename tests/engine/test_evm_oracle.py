"""Second opinion from pmcontrols (PyPI), an independent EVM and earned schedule library.

Skipped where pmcontrols is not installed; it is a development-only oracle.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projectoffice.engine.evm import Node, TaskStatus, analyse

from .evm_fixtures import months, phased_task, usd

pm = pytest.importorskip("pmcontrols")

GRID = months(15)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 50_000), min_size=3, max_size=12).filter(lambda xs: sum(xs) > 0),
    st.integers(0, 10_000),
    st.integers(1, 1_000_000),
    st.integers(1, 15),
)
def test_matches_pmcontrols(increments: list[int], per_myriad: int, actual: int,
                            month: int) -> None:
    task = phased_task("W", [str(i) for i in increments], GRID)
    percent = Decimal(per_myriad) / 100
    status = TaskStatus("W", usd(actual), percent_complete=percent)
    ours = analyse(GRID, [Node("P", None)], [task], [status], GRID.ends[month - 1],
                   currency="USD").node("P")
    cumulative = [0]
    for value in increments + [0] * (15 - len(increments)):
        cumulative.append(cumulative[-1] + value)
    # pmcontrols wants a strictly meaningful curve from time 0; cut it at the plan's end.
    end = next(i for i, v in enumerate(cumulative) if v == cumulative[-1])
    start = max(i for i, v in enumerate(cumulative) if v == 0)
    if month <= start or ours.ev_minor == 0:
        return
    plan = pm.plan(list(range(0, end - start + 1)), [float(v) for v in cumulative[start:end + 1]])
    theirs = pm.evm(plan, ev=ours.ev_minor / 100, ac=float(actual), at=float(month - start)).stats
    assert float(ours.es or 0) == pytest.approx(theirs["es"], abs=1e-9)
    assert float(ours.spi_t or 0) == pytest.approx(theirs["spi_t"], rel=1e-9)
    assert float(ours.ieac_t or 0) == pytest.approx(theirs["ieac_t"], rel=1e-9)
    assert float(ours.cpi or 0) == pytest.approx(theirs["cpi"], rel=1e-9)
    assert float(ours.eac_cpi.amount) == pytest.approx(theirs["eac_cpi"], abs=0.005)  # type: ignore[union-attr]
    if month <= end:
        assert float(ours.pv.amount) == pytest.approx(theirs["pv"], abs=0.005)
        if ours.eac_cpi_spi is not None:
            assert float(ours.eac_cpi_spi.amount) == pytest.approx(theirs["eac_cpi_spi"],
                                                                   abs=0.005)


def test_example_3_matches_pmcontrols() -> None:
    from .test_evm_examples import es_analysis

    cumulative = [0, 100, 250, 450, 700, 1000, 1300, 1600, 1900, 2200, 2500, 2800, 3000]
    plan = pm.plan(list(range(13)), [v * 1000.0 for v in cumulative])
    ours = es_analysis(7)
    theirs = pm.evm(plan, ev=1_150_000.0, ac=1_150_000.0, at=7.0).stats
    assert theirs["es"] == pytest.approx(5.5)
    assert float(ours.es or 0) == pytest.approx(theirs["es"])
    assert float(ours.spi_t or 0) == pytest.approx(theirs["spi_t"])
    assert float(ours.ieac_t or 0) == pytest.approx(theirs["ieac_t"])
    assert float(ours.spi or 0) == pytest.approx(theirs["spi"])
