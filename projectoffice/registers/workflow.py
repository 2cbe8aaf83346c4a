"""Declarative workflows: the states a register item moves through and who may move it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    key: str
    label: str
    closed: bool = False
    # A colour family for badges: neutral, info, progress, success, warning, danger, muted.
    tone: str = "neutral"


@dataclass(frozen=True)
class Transition:
    key: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str
    needs_comment: bool = False


@dataclass(frozen=True)
class Workflow:
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    initial: str

    def __post_init__(self) -> None:
        keys = {s.key for s in self.states}
        if self.initial not in keys:
            raise ValueError(f"initial state {self.initial!r} is not a state")
        for t in self.transitions:
            unknown = {*t.sources, t.target} - keys
            if unknown:
                raise ValueError(f"transition {t.key!r} names unknown states {sorted(unknown)}")

    def state(self, key: str) -> State:
        for s in self.states:
            if s.key == key:
                return s
        raise KeyError(key)

    def transition(self, key: str) -> Transition | None:
        return next((t for t in self.transitions if t.key == key), None)

    def available_from(self, state: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if state in t.sources)

    @property
    def open_states(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.states if not s.closed)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(s.key, s.label) for s in self.states]
