"""Skills arithmetic: what a person lacks for a role (each required skill against the level
they hold), and the gaps of many people summed by group and skill. Pure: no Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LEVELS = range(1, 6)


@dataclass(frozen=True)
class Gap:
    skill: str
    required: int
    held: int  # 0: not held at all

    @property
    def shortfall(self) -> int:
        return self.required - self.held


def gaps(required: Mapping[str, int], held: Mapping[str, int]) -> list[Gap]:
    """The required skills a person holds below the level asked, by skill name (case does
    not matter), in the order the requirements are given."""
    have = {name.casefold(): level for name, level in held.items()}
    found: list[Gap] = []
    for name, level in required.items():
        if level not in LEVELS:
            raise ValueError(f"{name}: a level runs from 1 to 5, not {level}")
        got = have.get(name.casefold(), 0)
        if got < level:
            found.append(Gap(name, level, got))
    return found


@dataclass(frozen=True)
class GroupGap:
    group: str
    skill: str
    people: int  # how many people fall short
    required: int  # the highest level asked of them


def by_group(rows: Iterable[tuple[str, Gap]]) -> list[GroupGap]:
    """(group, gap) rows summed to one line per group and skill, largest first."""
    count: dict[tuple[str, str], int] = {}
    level: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], str] = {}
    for group, gap in rows:
        key = (group, gap.skill.casefold())
        names.setdefault(key, gap.skill)
        count[key] = count.get(key, 0) + 1
        level[key] = max(level.get(key, 0), gap.required)
    out = [GroupGap(g, names[(g, s)], count[(g, s)], level[(g, s)]) for g, s in count]
    return sorted(out, key=lambda r: (-r.people, r.group, r.skill.casefold()))


def raised(current: int | None, taught: int) -> int | None:
    """The level a person holds after passing a course teaching `taught`: the course never
    lowers a level already higher. None when nothing changes."""
    if taught not in LEVELS:
        raise ValueError(f"a level runs from 1 to 5, not {taught}")
    if current is not None and current >= taught:
        return None
    return taught
