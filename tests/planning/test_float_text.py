"""Floats are shown in the units MS Project shows them: an elapsed task's in elapsed days."""

from __future__ import annotations

from projectoffice.planning.columns import COLUMNS, float_text, text_of


def test_an_elapsed_task_shows_its_float_in_elapsed_days() -> None:
    total = COLUMNS["total_float"]
    # Three calendar days of float: 3 elapsed days, not 9 working days of 8 hours.
    assert text_of(total, {"total_float": 3 * 1440, "elapsed": True}, 480) == "3ed"
    assert text_of(total, {"total_float": 3 * 1440, "elapsed": False}, 480) == "9d"
    assert float_text(36 * 60, 480, True) == "1.5ed"
    assert float_text(None, 480, True) == ""
