"""Training arithmetic: how an enrolment is split between the places left and the waiting
list, who on the waiting list moves up when places free, and the share of a group trained.
Pure: no Django, no clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def allocate(capacity: int, taken: int, seats: int) -> tuple[int, int]:
    """(places given, places waiting) for `seats` more people on a session of `capacity`
    with `taken` places already given. Never an error: what does not fit waits."""
    if seats < 0 or capacity < 0 or taken < 0:
        raise ValueError("capacity, places taken and seats cannot be negative")
    free = max(capacity - taken, 0)
    given = min(free, seats)
    return given, seats - given


@dataclass(frozen=True)
class Waiting:
    key: int
    seats: int


def promote(free: int, waiting: Sequence[Waiting]) -> list[tuple[int, int]]:
    """(key, seats moved up) for the waiting list, first come first served, until the free
    places are used. A group larger than what is free moves up in part; nobody behind it
    jumps the queue."""
    moved: list[tuple[int, int]] = []
    for entry in waiting:
        if free <= 0:
            break
        take = min(free, entry.seats)
        if take > 0:
            moved.append((entry.key, take))
            free -= take
    return moved


def coverage(affected: int, trained: int) -> float | None:
    """The share of the affected people trained, 0–1; None when nobody is affected."""
    if affected <= 0:
        return None
    return min(max(trained, 0), affected) / affected
