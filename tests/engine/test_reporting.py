"""Reporting periods and the comparison of two status reports' snapshots (pure)."""

from __future__ import annotations

import datetime as dt

from projectoffice.engine.reporting import (
    compare,
    milestone_lists,
    period_containing,
    trend_arrow,
)


def test_periods_are_weeks_from_monday_or_calendar_months() -> None:
    week = period_containing(dt.date(2026, 1, 14), "weekly")
    assert (week.start, week.end) == (dt.date(2026, 1, 12), dt.date(2026, 1, 18))
    assert week.following().start == dt.date(2026, 1, 19)
    month = period_containing(dt.date(2026, 2, 14), "monthly")
    assert (month.start, month.end, month.label) == (dt.date(2026, 2, 1),
                                                     dt.date(2026, 2, 28), "February 2026")
    assert month.preceding().start == dt.date(2026, 1, 1)
    assert trend_arrow("amber", "green") == "up" and trend_arrow("green", "red") == "down"
    assert trend_arrow(None, "red") == ""


def test_compare_names_rag_moves_new_and_closed_risks_and_slips() -> None:
    before = {"health": {"computed": "green", "dimensions": [
        {"key": "risk", "label": "Risk", "rag": "green"}]},
        "declared": [{"key": "overall", "label": "Overall", "rag": "green"}],
        "risks": {"open": [{"ref": "RSK-0001", "title": "Old"}]}, "issues": {"open": []},
        "milestones": {"all": [{"uid": 4, "name": "Go live", "finish": "2026-02-01"}]}}
    after = {"health": {"computed": "amber", "dimensions": [
        {"key": "risk", "label": "Risk", "rag": "amber"}]},
        "declared": [{"key": "overall", "label": "Overall", "rag": "amber"}],
        "risks": {"open": [{"ref": "RSK-0002", "title": "New"}]}, "issues": {"open": []},
        "milestones": {"all": [{"uid": 4, "name": "Go live", "finish": "2026-02-06"}]}}
    ch = compare(before, after, "January 2026")
    assert [(m.kind, m.key, m.before, m.after) for m in ch.rag_moves] == [
        ("declared", "overall", "green", "amber"), ("computed", "overall", "green", "amber"),
        ("computed", "risk", "green", "amber")]
    assert ch.new_risks == ("RSK-0002 New",) and ch.closed_risks == ("RSK-0001 Old",)
    assert [(s.name, s.days) for s in ch.slips] == [("Go live", 5)]
    assert not ch.nothing and compare(after, after, "x").nothing


def test_milestone_lists_put_each_milestone_where_it_belongs() -> None:
    period = period_containing(dt.date(2026, 3, 4), "weekly")
    ms = [{"uid": 1, "name": "Done", "finish": "2026-03-03", "done_on": "2026-03-03",
           "slip_days": 2},
          {"uid": 2, "name": "Next", "finish": "2026-03-10", "done_on": None, "slip_days": 1},
          {"uid": 3, "name": "Later", "finish": "2026-05-01", "done_on": None, "slip_days": 9},
          {"uid": 4, "name": "On time", "finish": "2026-06-01", "done_on": None,
           "slip_days": 0}]
    lists = milestone_lists(ms, period, period.following())
    assert [m["name"] for m in lists["done"]] == ["Done"]
    assert [m["name"] for m in lists["next"]] == ["Next"]
    assert [m["name"] for m in lists["slipped"]] == ["Later", "Done"]
