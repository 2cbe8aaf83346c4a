"""Reporting periods and the comparison of two status reports' snapshots.

A reporting period is a week (Monday to Sunday) or a calendar month. A snapshot is the
plain-data record a status report keeps of what was reported (see reports/snapshot.py);
``compare`` says what changed since the previous period's report: RAG moves, new and
closed risks and issues, and milestones that slipped further.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["RAG_ORDER", "Changes", "Period", "RagMove", "Slip", "compare", "milestone_lists",
           "period_containing", "trend_arrow"]

WEEKLY, MONTHLY = "weekly", "monthly"
RAG_ORDER = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True, slots=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == MONTHLY:
            return f"{self.start:%B %Y}"
        return f"Week of {self.start:%-d %b %Y}"

    def following(self) -> Period:
        return period_containing(self.end + dt.timedelta(days=1), self.kind)

    def preceding(self) -> Period:
        return period_containing(self.start - dt.timedelta(days=1), self.kind)


def period_containing(day: dt.date, kind: str) -> Period:
    """The week (Monday first) or calendar month that holds ``day``."""
    if kind == MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(kind, day.replace(day=1), day.replace(day=last))
    if kind != WEEKLY:
        raise ValueError(f"unknown period kind {kind!r}")
    start = day - dt.timedelta(days=day.weekday())
    return Period(kind, start, start + dt.timedelta(days=6))


def trend_arrow(before: str | None, after: str | None) -> str:
    """"up" when the RAG improved, "down" when it worsened, "same" or "" when unknown."""
    if before not in RAG_ORDER or after not in RAG_ORDER:
        return ""
    b, a = RAG_ORDER[str(before)], RAG_ORDER[str(after)]
    return "same" if a == b else ("up" if a < b else "down")


@dataclass(frozen=True, slots=True)
class RagMove:
    key: str
    label: str
    kind: str  # "declared" or "computed"
    before: str | None
    after: str | None

    @property
    def direction(self) -> str:
        return trend_arrow(self.before, self.after)


@dataclass(frozen=True, slots=True)
class Slip:
    name: str
    before: str  # ISO dates
    after: str
    days: int


@dataclass(frozen=True, slots=True)
class Changes:
    previous_period: str
    rag_moves: tuple[RagMove, ...]
    new_risks: tuple[str, ...]
    closed_risks: tuple[str, ...]
    new_issues: tuple[str, ...]
    closed_issues: tuple[str, ...]
    slips: tuple[Slip, ...]

    @property
    def nothing(self) -> bool:
        return not (self.rag_moves or self.new_risks or self.closed_risks or self.new_issues
                    or self.closed_issues or self.slips)


def _rags(snapshot: Mapping[str, Any]) -> dict[tuple[str, str], tuple[str, str | None]]:
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    health = snapshot.get("health") or {}
    out[("computed", "overall")] = ("Overall", health.get("computed"))
    for dim in health.get("dimensions") or ():
        out[("computed", dim["key"])] = (dim["label"], dim.get("rag"))
    for dim in snapshot.get("declared") or ():
        out[("declared", dim["key"])] = (dim["label"], dim.get("rag"))
    return out


def _refs(snapshot: Mapping[str, Any], key: str) -> dict[str, str]:
    return {r["ref"]: r["title"] for r in (snapshot.get(key) or {}).get("open", ())}


def _milestones(snapshot: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    return {m["uid"]: m for m in (snapshot.get("milestones") or {}).get("all", ())}


def compare(previous: Mapping[str, Any], current: Mapping[str, Any],
            previous_label: str) -> Changes:
    """What changed between the previous period's snapshot and this one."""
    before, after = _rags(previous), _rags(current)
    moves = []
    for key, (label, rag) in after.items():
        old = before.get(key, (label, None))[1]
        if old != rag and (old is not None or rag is not None):
            moves.append(RagMove(key[1], label, key[0], old, rag))
    moves.sort(key=lambda m: (m.kind != "declared", m.key))

    def diff(key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        old, new = _refs(previous, key), _refs(current, key)
        return (tuple(f"{r} {new[r]}" for r in sorted(set(new) - set(old))),
                tuple(f"{r} {old[r]}" for r in sorted(set(old) - set(new))))

    new_risks, closed_risks = diff("risks")
    new_issues, closed_issues = diff("issues")
    slips = []
    old_ms = _milestones(previous)
    for uid, m in _milestones(current).items():
        was = old_ms.get(uid)
        if was and was.get("finish") and m.get("finish") and m["finish"] > was["finish"]:
            days = (dt.date.fromisoformat(m["finish"])
                    - dt.date.fromisoformat(was["finish"])).days
            slips.append(Slip(str(m["name"]), str(was["finish"]), str(m["finish"]), days))
    return Changes(previous_label, tuple(moves), new_risks, closed_risks, new_issues,
                   closed_issues, tuple(sorted(slips, key=lambda s: -s.days)))


def milestone_lists(milestones: Sequence[Mapping[str, Any]], period: Period,
                    horizon: Period) -> dict[str, list[Mapping[str, Any]]]:
    """Milestones done in the period, due next (by the end of ``horizon``, not done) and
    the other slipped ones (forecast or done later than the baseline), each list by date."""
    start, end = period.start.isoformat(), period.end.isoformat()
    done = [m for m in milestones if m.get("done_on") and start <= m["done_on"] <= end]
    upcoming = [m for m in milestones if not m.get("done_on") and m.get("finish")
                and m["finish"] <= horizon.end.isoformat()]
    listed = {id(m) for m in upcoming}  # a slipped milestone due next is listed once
    slipped = [m for m in milestones if (m.get("slip_days") or 0) > 0 and id(m) not in listed]

    def by_date(rows: list[Mapping[str, Any]], key: str) -> list[Mapping[str, Any]]:
        return sorted(rows, key=lambda m: str(m.get(key) or ""))

    return {"done": by_date(done, "done_on"), "next": by_date(upcoming, "finish"),
            "slipped": sorted(slipped, key=lambda m: -int(m["slip_days"]))}
