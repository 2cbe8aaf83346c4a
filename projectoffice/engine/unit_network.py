"""Forward and backward passes over a precedence network in integer time units.

Small on purpose: plan levelling needs early and late dates before and after it delays
tasks, with the four link types. The full calendar-aware scheduler lives elsewhere; this
works in whole units (working days or minutes from the project start).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum


class LinkType(Enum):
    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


@dataclass(frozen=True)
class Link:
    predecessor: str
    successor: str
    type: LinkType = LinkType.FS
    lag: int = 0


class NetworkError(ValueError):
    """Unknown task in a link, or a cycle."""


def topological_order(ids: Sequence[str], links: Sequence[Link]) -> list[str]:
    """Tasks with every predecessor first; ties keep the given order (by ID)."""
    position = {task: i for i, task in enumerate(ids)}
    incoming = {task: 0 for task in ids}
    outgoing: dict[str, list[str]] = {task: [] for task in ids}
    for link in links:
        if link.predecessor not in position or link.successor not in position:
            raise NetworkError(f"link {link.predecessor}->{link.successor} names an unknown task")
        incoming[link.successor] += 1
        outgoing[link.predecessor].append(link.successor)
    ready = [(position[t], t) for t in ids if incoming[t] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, task = heapq.heappop(ready)
        order.append(task)
        for nxt in outgoing[task]:
            incoming[nxt] -= 1
            if incoming[nxt] == 0:
                heapq.heappush(ready, (position[nxt], nxt))
    if len(order) != len(ids):
        raise NetworkError("the links contain a cycle")
    return order


def earliest_start_from(
    link: Link, pred_start: int, pred_finish: int, duration: int
) -> int:
    """The start a single link allows its successor (of the given duration)."""
    if link.type is LinkType.FS:
        return pred_finish + link.lag
    if link.type is LinkType.SS:
        return pred_start + link.lag
    if link.type is LinkType.FF:
        return pred_finish + link.lag - duration
    return pred_start + link.lag - duration  # SF


def latest_finish_from(link: Link, succ_start: int, succ_finish: int, duration: int) -> int:
    """The finish a single link allows its predecessor (of the given duration)."""
    if link.type is LinkType.FS:
        return succ_start - link.lag
    if link.type is LinkType.SS:
        return succ_start - link.lag + duration
    if link.type is LinkType.FF:
        return succ_finish - link.lag
    return succ_finish - link.lag + duration  # SF


@dataclass(frozen=True)
class Dates:
    early_start: Mapping[str, int]
    early_finish: Mapping[str, int]
    late_start: Mapping[str, int]
    late_finish: Mapping[str, int]
    finish: int

    def total_float(self, task: str) -> int:
        return self.late_start[task] - self.early_start[task]


def passes(
    ids: Sequence[str],
    links: Sequence[Link],
    durations: Mapping[str, int],
    release: Mapping[str, int],
    delays: Mapping[str, int] | None = None,
) -> Dates:
    """Early dates no earlier than ``release`` (and 0), late dates against the latest
    early finish. ``durations`` are spans: a split task passes its whole span. A task's
    ``delays`` entry is added after its links and release are met, like MS Project's
    levelling delay."""
    order = topological_order(ids, links)
    into: dict[str, list[Link]] = {t: [] for t in ids}
    out_of: dict[str, list[Link]] = {t: [] for t in ids}
    for link in links:
        into[link.successor].append(link)
        out_of[link.predecessor].append(link)
    es: dict[str, int] = {}
    ef: dict[str, int] = {}
    for task in order:
        start = max(0, release.get(task, 0))
        for link in into[task]:
            p = link.predecessor
            start = max(start, earliest_start_from(link, es[p], ef[p], durations[task]))
        if delays:
            start += delays.get(task, 0)
        es[task] = start
        ef[task] = start + durations[task]
    finish = max(ef.values(), default=0)
    ls: dict[str, int] = {}
    lf: dict[str, int] = {}
    for task in reversed(order):
        late = finish
        for link in out_of[task]:
            s = link.successor
            late = min(late, latest_finish_from(link, ls[s], lf[s], durations[task]))
        lf[task] = late
        ls[task] = late - durations[task]
    return Dates(es, ef, ls, lf, finish)
