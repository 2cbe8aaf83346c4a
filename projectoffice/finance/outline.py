"""The plan's outline as the earned value pages need it: each task's parent and the tasks
below each summary (WBS element)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from projectoffice.planning.models import PlanTask


@dataclass
class Outline:
    tasks: dict[int, PlanTask]
    parent: dict[int, int | None] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)

    def descendants(self, uid: int) -> list[int]:
        out: list[int] = []
        stack = list(reversed(self.children.get(uid, [])))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.children.get(node, [])))
        return out

    def ancestors(self, uid: int) -> list[int]:
        out = []
        node = self.parent.get(uid)
        while node is not None:
            out.append(node)
            node = self.parent.get(node)
        return out


def outline_of(tasks: Iterable[PlanTask]) -> Outline:
    ordered = sorted(tasks, key=lambda t: t.position)
    result = Outline({t.uid: t for t in ordered})
    stack: list[PlanTask] = []
    for task in ordered:
        while stack and stack[-1].outline_level >= task.outline_level:
            stack.pop()
        parent = stack[-1].uid if stack else None
        result.parent[task.uid] = parent
        if parent is not None:
            result.children.setdefault(parent, []).append(task.uid)
        stack.append(task)
    return result
