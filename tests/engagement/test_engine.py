from __future__ import annotations

from datetime import date

from projectoffice.engine import engagement as engine


def test_quadrants_split_above_the_middle() -> None:
    assert engine.quadrant(5, 5) == "Manage closely"
    assert engine.quadrant(4, 3) == "Keep satisfied"
    assert engine.quadrant(3, 4) == "Keep informed"
    assert engine.quadrant(3, 3) == "Monitor"


def test_attitude_gap_counts_steps() -> None:
    assert engine.attitude_gap("resistant", "supportive") == 2
    assert engine.attitude_gap("leading", "supportive") == -1


def test_occurrences_by_frequency_within_the_window() -> None:
    start = date(2026, 1, 31)
    assert engine.occurrences("monthly", start, None, date(2026, 1, 1), date(2026, 4, 30)) \
        == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    assert engine.occurrences("fortnightly", date(2026, 3, 2), date(2026, 3, 31),
                              date(2026, 3, 10), date(2026, 12, 31)) \
        == [date(2026, 3, 16), date(2026, 3, 30)]
    assert engine.occurrences("once", date(2026, 3, 2), None, date(2026, 3, 1),
                              date(2026, 3, 1)) == []
    assert engine.occurrences("weekly", None, None, date(2026, 1, 1), date(2026, 2, 1)) == []


def test_reception_rates() -> None:
    r = engine.reception(4, 3, [5, 3])
    assert (r.acknowledged_rate, r.response_rate, r.mean_rating) == (0.75, 0.5, 4.0)
    assert engine.reception(0, 0, []).response_rate is None
