"""Critical path scheduling compatible with MS Project.

:func:`schedule` takes a :class:`~projectoffice.engine.network.Project` and returns a
:class:`~projectoffice.engine.schedule_result.Schedule`.  The semantics — link types, lags,
constraints honoured over links, progress, summaries, float — and every known difference from
MS Project are written down in docs/scheduling.md; read that before changing a rule here.

The passes work on integer minutes and on lists indexed by task position, because this runs on
plans of 100k tasks and must stay well under a second.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import datetime
from types import MappingProxyType
from typing import NamedTuple

from projectoffice.engine.bulk import collector_paused
from projectoffice.engine.calendars import (
    CalendarIntersection,
    WorkingTime,
    from_minutes,
    to_minutes,
)
from projectoffice.engine.network import (
    ConstraintType,
    CycleError,
    LagKind,
    Link,
    LinkType,
    Project,
    ScheduleError,
    Task,
)
from projectoffice.engine.schedule_result import ConstraintConflict, Schedule, TaskSchedule

ASAP = ConstraintType.ASAP
ALAP = ConstraintType.ALAP
SNET = ConstraintType.SNET
SNLT = ConstraintType.SNLT
FNET = ConstraintType.FNET
FNLT = ConstraintType.FNLT
MSO = ConstraintType.MSO
MFO = ConstraintType.MFO
FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF

_NONE = -(1 << 62)  # "no date" in the integer arrays


def _opt(moment: datetime | None) -> int:
    return _NONE if moment is None else to_minutes(moment)


class _Edge:
    """A link between two leaf tasks, with its lag resolved to minutes."""

    __slots__ = ("elapsed", "kind", "lag", "pred", "succ")

    def __init__(self, pred: int, succ: int, kind: LinkType, lag: int, elapsed: bool) -> None:
        self.pred = pred
        self.succ = succ
        self.kind = kind
        self.lag = lag
        self.elapsed = elapsed


def schedule(project: Project, *, free_float: bool = True) -> Schedule:
    """Schedule ``project``: forward and backward pass, float, critical path, summary roll-up.

    Raises :class:`ScheduleError` (or its :class:`CycleError`) when the plan cannot be
    scheduled; a constraint that fights the logic is honoured and reported in
    ``Schedule.warnings``.  See docs/scheduling.md.

    ``free_float=False`` skips working out the free float of leaf tasks (left at 0), for
    callers that only read dates, total float and the critical path.
    """
    with collector_paused():
        return _Scheduler(project, free_float=free_float).run()


class _Scheduler:
    def __init__(self, project: Project, *, free_float: bool = True) -> None:
        self.project = project
        self.with_free_float = free_float
        self.tasks = project.tasks
        self.warnings: list[str] = []
        self.conflicts: list[ConstraintConflict] = []
        self.index: dict[int, int] = {}
        for position, task in enumerate(self.tasks):
            if task.uid in self.index:
                raise ScheduleError(f"task UID {task.uid} appears twice")
            self.index[task.uid] = position
        self._check_references()
        self.children: list[list[int]] = [[] for _ in self.tasks]
        for position, task in enumerate(self.tasks):
            if task.parent is not None:
                self.children[self.index[task.parent]].append(position)
        self.is_summary = [bool(kids) for kids in self.children]
        self._compile_calendars()
        self.start = to_minutes(project.start)
        status = project.status_date
        self.status = (
            _NONE if status is None else self.project_calendar.next_start(to_minutes(status))
        )

    # --- preparation -----------------------------------------------------------------

    def _check_references(self) -> None:
        calendar_uids = {calendar.uid for calendar in self.project.calendars}
        if self.project.calendar_uid not in calendar_uids:
            raise ScheduleError(f"project calendar UID {self.project.calendar_uid} is not defined")
        for task in self.tasks:
            if task.parent is not None and task.parent not in self.index:
                raise ScheduleError(f"task UID {task.uid}: parent UID {task.parent} not found")
            if task.calendar_uid is not None and task.calendar_uid not in calendar_uids:
                raise ScheduleError(
                    f"task UID {task.uid}: calendar UID {task.calendar_uid} is not defined"
                )
        for link in self.project.links:
            for uid in (link.predecessor, link.successor):
                if uid not in self.index:
                    raise ScheduleError(
                        f"link {link.predecessor}->{link.successor}: task UID {uid} not found"
                    )

    def _compile_calendars(self) -> None:
        compiled = {c.uid: WorkingTime(c) for c in self.project.calendars}
        self._compiled = compiled
        self._shared: dict[tuple[int, int], WorkingTime] = {}
        self.project_calendar = compiled[self.project.calendar_uid]
        self.calendar: list[WorkingTime] = [
            compiled[t.calendar_uid if t.calendar_uid is not None else self.project.calendar_uid]
            for t in self.tasks
        ]

    def _leaves_under(self, position: int) -> list[int]:
        found: list[int] = []
        stack = [position]
        while stack:
            current = stack.pop()
            for child in self.children[current]:
                if self.is_summary[child]:
                    stack.append(child)
                else:
                    found.append(child)
        return sorted(found)

    def _lag_minutes(self, link: Link, pred: int) -> tuple[int, bool]:
        if not link.lag:
            return 0, False  # no lag: its kind makes no difference
        if link.lag_kind is LagKind.PERCENT:
            # MS Project takes the percentage of the predecessor's duration, in its own kind.
            task = self.tasks[pred]
            return round(task.duration * link.lag / 100), task.elapsed
        return round(link.lag), link.lag_kind is LagKind.ELAPSED

    def _resolve_links(self) -> None:
        """Each link's tasks as positions and its lag in minutes, worked out once."""
        index, is_summary = self.index, self.is_summary
        self.resolved: list[tuple[Link, int, int, int, bool]] = []
        self.direct_out: list[list[tuple[int, LinkType, int, bool]]] = [
            [] for _ in self.tasks
        ]
        self.has_summary_links = False
        active = [t.active for t in self.tasks]
        for link in self.project.links:
            pred = index[link.predecessor]
            succ = index[link.successor]
            if not active[pred]:
                continue  # an inactive task drives nothing
            lag, elapsed = self._lag_minutes(link, pred)
            self.resolved.append((link, pred, succ, lag, elapsed))
            if is_summary[pred]:
                self.has_summary_links = True
            else:
                self.direct_out[pred].append((succ, link.type, lag, elapsed))
            if is_summary[succ]:
                self.has_summary_links = True

    def _edges(self, earliest_leaf: dict[int, int] | None) -> list[_Edge]:
        """Links between leaves; links on summaries spread to their leaves (as MS Project)."""
        edges: list[_Edge] = []
        is_summary = self.is_summary
        for link, pred, succ, lag, elapsed in self.resolved:
            if not is_summary[pred] and not is_summary[succ] and pred != succ:
                edges.append(_Edge(pred, succ, link.type, lag, elapsed))  # the common case
                continue
            if self.is_summary[pred]:
                if link.type in (SS, SF):
                    if earliest_leaf is None:
                        continue
                    preds = [earliest_leaf[pred]] if pred in earliest_leaf else []
                else:
                    preds = self._leaves_under(pred)
            else:
                preds = [pred]
            succs = self._leaves_under(succ) if self.is_summary[succ] else [succ]
            for p in preds:
                for s in succs:
                    if p == s:
                        raise ScheduleError(
                            f"link {link.predecessor}->{link.successor} links a summary task "
                            "to its own subtask"
                        )
                    edges.append(_Edge(p, s, link.type, lag, elapsed))
        return edges

    def _order(self, edges: Sequence[_Edge]) -> list[int]:
        """Leaves in topological order; a cycle raises CycleError naming its tasks."""
        count = len(self.tasks)
        indegree = [0] * count
        for edge in edges:
            indegree[edge.succ] += 1
        queue = deque(i for i in range(count) if not self.is_summary[i] and indegree[i] == 0)
        order: list[int] = []
        while queue:
            current = queue.popleft()
            order.append(current)
            for edge in self.out_edges[current]:
                indegree[edge.succ] -= 1
                if indegree[edge.succ] == 0:
                    queue.append(edge.succ)
        leaves = sum(1 for summary in self.is_summary if not summary)
        if len(order) != leaves:
            raise CycleError(self._find_cycle(set(range(count)) - set(order)))
        return order

    def _find_cycle(self, stuck: set[int]) -> tuple[Task, ...]:
        # Every stuck task has a stuck predecessor, so walking predecessors must revisit one.
        current = min(i for i in stuck if not self.is_summary[i])
        seen: dict[int, int] = {}
        path: list[int] = []
        while current not in seen:
            seen[current] = len(path)
            path.append(current)
            current = next(e.pred for e in self.in_edges[current] if e.pred in stuck)
        cycle = path[seen[current] :]
        cycle.reverse()
        return tuple(self.tasks[i] for i in cycle)

    # --- duration arithmetic in the task's calendar ----------------------------------------

    def _finish_from(self, i: int, start: int, minutes: int) -> int:
        if minutes == 0:
            return start
        if self.elapsed[i]:
            return start + minutes
        return self.calendar[i].finish_from_start(start, minutes)

    def _start_from(self, i: int, finish: int, minutes: int) -> int:
        if minutes == 0:
            return finish
        if self.elapsed[i]:
            return finish - minutes
        return self.calendar[i].start_from_finish(finish, minutes)

    def _next_start(self, i: int, instant: int) -> int:
        calendar = self.calendar[i]
        start = calendar.next_start(instant)
        # A milestone may sit at the end of a working period (after Friday's work, not Monday).
        if start > instant and self.milestone[i] and calendar.previous_finish(instant) == instant:
            return instant
        return start

    def _add_lag(self, edge: _Edge, instant: int) -> int:
        if edge.lag == 0:
            return instant
        if edge.elapsed:
            return instant + edge.lag
        return self.calendar[edge.succ].add(instant, edge.lag)

    def _remove_lag(self, edge: _Edge, instant: int) -> int:
        if edge.lag == 0:
            return instant
        if edge.elapsed:
            return instant - edge.lag
        return self.calendar[edge.succ].add(instant, -edge.lag)

    # --- the run ------------------------------------------------------------------------------

    def run(self) -> Schedule:
        tasks = self.tasks
        count = len(tasks)
        self.duration = [t.duration for t in tasks]
        self.work_durations: dict[int, int] = {}
        self._work_driven()
        self._progress_minutes()
        self.elapsed = [t.elapsed for t in tasks]
        self.milestone = [t.milestone for t in tasks]
        # A manual task stays where the user put it: its constraint does not apply.
        self.pinned = [t.manual and t.manual_start is not None for t in tasks]
        self.constraint = [
            ASAP if pin else t.constraint for t, pin in zip(tasks, self.pinned, strict=True)
        ]
        # Most tasks have none of these dates: test before calling _opt.
        self.constraint_at = [
            _NONE if t.constraint_date is None or pin else _opt(t.constraint_date)
            for t, pin in zip(tasks, self.pinned, strict=True)
        ]
        self.active = [t.active for t in tasks]
        self.violated: set[int] = set()
        self.actual_start = [
            _NONE if t.actual_start is None else _opt(t.actual_start) for t in tasks
        ]
        self.actual_finish = [
            _NONE if t.actual_finish is None else _opt(t.actual_finish) for t in tasks
        ]
        # Most tasks are "plain": not started, no dated constraint, no deadline, working time.
        # The passes handle those inline and send every other task through the general rules.
        self.plain = [
            t.actual_start is None
            and (t.constraint is ASAP or t.constraint is ALAP)
            and not t.elapsed
            and t.deadline is None
            and not t.levelling_delay
            and not t.manual
            for t in tasks
        ]
        self.levelling_delay = [t.levelling_delay for t in tasks]
        self._summary_constraints()
        self.es = [self.start] * count
        self.ef = [self.start] * count
        self.ls = [self.start] * count
        self.lf = [self.start] * count
        self.ls_calc = [self.start] * count

        self._resolve_links()
        has_summary_links = self.has_summary_links
        self._wire(self._edges(None))
        order = self._order(self.edges)
        self._forward(order, late_for_alap=False, warn=not has_summary_links)
        if has_summary_links:
            # SS and SF links from a summary hang on its earliest subtask, known only now.
            earliest = {
                i: min(self._leaves_under(i), key=lambda leaf: (self.es[leaf], leaf))
                for i in range(count)
                if self.is_summary[i] and self._leaves_under(i)
            }
            self._wire(self._edges(earliest))
            order = self._order(self.edges)
            self._forward(order, late_for_alap=False, warn=True)

        active = self.active
        self.finish = max((self.ef[i] for i in order if active[i]), default=self.start)
        self._backward(order)
        if any(self.constraint[i] is ALAP for i in order):
            # ALAP tasks sit on their late dates; successors follow them there.
            self._forward(order, late_for_alap=True, warn=False)
        return self._result(order)

    def _work_driven(self) -> None:
        """A work-driven task runs on its resources' calendar for as long as the longest
        assignment needs (work / units): its duration follows from its work.  A task with a
        calendar of its own runs where that calendar and the resource's both have working
        time (MS Project's rule), or on its own calendar alone when it ignores resource
        calendars.  Started, manual, elapsed and summary tasks and milestones keep their
        duration."""
        compiled = self._compiled
        for i, task in enumerate(self.tasks):
            if (not task.work or self.is_summary[i] or task.milestone or task.elapsed
                    or task.manual or task.actual_start is not None):
                continue
            longest, calendar_uid = -1, None
            for load in task.work:
                if load.units <= 0 or load.minutes <= 0:
                    continue
                minutes = round(load.minutes / load.units)
                if minutes > longest:
                    longest, calendar_uid = minutes, load.calendar_uid
            if longest <= 0:
                continue
            own = task.calendar_uid
            if calendar_uid is not None and calendar_uid in compiled and calendar_uid != own:
                if own is None:
                    self.calendar[i] = compiled[calendar_uid]
                elif not task.ignore_resource_calendar:
                    self.calendar[i] = self._shared_calendar(own, calendar_uid)
            self.duration[i] = longest
            self.work_durations[task.uid] = longest

    def _shared_calendar(self, own: int, resource: int) -> WorkingTime:
        """The working time a task's calendar and a resource's calendar share, compiled once
        per pair."""
        key = (own, resource)
        shared = self._shared.get(key)
        if shared is None:
            calendars = {c.uid: c for c in self.project.calendars}
            shared = WorkingTime(CalendarIntersection(calendars[own], calendars[resource]))
            self._shared[key] = shared
        return shared

    def _summary_constraints(self) -> None:
        """A summary's own Start No Earlier Than holds every task under it back, and its
        Finish No Later Than caps their late finish (as MS Project applies them)."""
        count = len(self.tasks)
        self.floor = [_NONE] * count  # earliest start from summaries above
        self.ceiling = [-_NONE] * count  # latest finish from summaries above
        for position, task in enumerate(self.tasks):
            if not self.is_summary[position] or task.constraint_date is None:
                continue
            at = to_minutes(task.constraint_date)
            if task.constraint is SNET:
                for leaf in self._leaves_under(position):
                    self.floor[leaf] = max(self.floor[leaf], at)
                    self.plain[leaf] = False
            elif task.constraint is FNLT:
                for leaf in self._leaves_under(position):
                    self.ceiling[leaf] = min(self.ceiling[leaf], at)
                    self.plain[leaf] = False

    def _progress_minutes(self) -> None:
        self.remaining: list[int] = []
        self.done: list[int] = []
        for t in self.tasks:
            started = t.actual_start is not None
            if not started and t.actual_duration is None and t.remaining_duration is None:
                # Not started: nothing done and all of it left, as the properties would say.
                self.remaining.append(t.duration)
                self.done.append(0)
            else:
                self.remaining.append(t.remaining_minutes)
                self.done.append(t.done_minutes)

    def _wire(self, edges: list[_Edge]) -> None:
        """Index the edges by task, finish-to-start ones also in bare form for the plain lanes.

        A finish-to-start link, most of any plan, passes a date on unchanged (no lag) or moved
        by its lag in the successor's calendar; the passes apply those inline instead of
        calling the general link rules.  Links into finished tasks are left out of the
        ``live_*_out`` lists: the backward pass ignores them.
        """
        self.edges = edges
        count = len(self.tasks)
        self.in_edges: list[list[_Edge]] = [[] for _ in range(count)]
        self.out_edges: list[list[_Edge]] = [[] for _ in range(count)]
        self.fs_in: list[list[int]] = [[] for _ in range(count)]
        self.lag_fs_in: list[list[tuple[int, int]]] = [[] for _ in range(count)]
        self.other_in: list[list[_Edge]] = [[] for _ in range(count)]
        self.live_fs_out: list[list[int]] = [[] for _ in range(count)]
        self.live_lag_fs_out: list[list[tuple[int, int]]] = [[] for _ in range(count)]
        self.live_other_out: list[list[_Edge]] = [[] for _ in range(count)]
        actual_finish, active = self.actual_finish, self.active
        for edge in edges:
            pred, succ, lag = edge.pred, edge.succ, edge.lag
            self.in_edges[succ].append(edge)
            self.out_edges[pred].append(edge)
            live = actual_finish[succ] == _NONE and active[succ]
            if edge.kind is not FS or (lag and edge.elapsed):
                self.other_in[succ].append(edge)
                if live:
                    self.live_other_out[pred].append(edge)
            elif lag:
                self.lag_fs_in[succ].append((pred, lag))
                if live:
                    self.live_lag_fs_out[pred].append((succ, lag))
            else:
                self.fs_in[succ].append(pred)
                if live:
                    self.live_fs_out[pred].append(succ)

    def _forward(self, order: list[int], *, late_for_alap: bool, warn: bool) -> None:
        es, ef = self.es, self.ef
        project_start = self.start
        status = self.status
        plain = self.plain
        if late_for_alap:
            plain = [False] * len(plain)  # ALAP predecessors pass on late dates: general rules
        fs_in, lag_fs_in, other_in = self.fs_in, self.lag_fs_in, self.other_in
        early_start_by = self._early_start_by
        calendar, duration, milestone = self.calendar, self.duration, self.milestone
        for i in order:
            if plain[i]:
                # As the general branch below, for an unconstrained task in working time.
                work = calendar[i]
                start = _NONE
                for p in fs_in[i]:
                    if ef[p] > start:
                        start = ef[p]
                for p, lag in lag_fs_in[i]:  # _add_lag in this task's calendar
                    if lag > 0:
                        by_link = work.finish_from_start(ef[p], lag)
                    else:
                        by_link = work.start_from_finish(ef[p], -lag)
                    if by_link > start:
                        start = by_link
                for edge in other_in[i]:
                    by_link = early_start_by(edge, False)
                    if by_link > start:
                        start = by_link
                if start == _NONE:
                    start = project_start
                if start < status:
                    start = status  # _NONE when there is no status date, so never taken then
                start = self._next_start(i, start) if milestone[i] else work.next_start(start)
                es[i] = start
                minutes = duration[i]
                ef[i] = work.finish_from_start(start, minutes) if minutes else start
                continue
            if self.actual_start[i] != _NONE:
                self._forward_started(i)
                continue
            if self.pinned[i]:
                self._forward_manual(i, late_for_alap)
                continue
            kind = self.constraint[i]
            at = self.constraint_at[i]
            early_finish = _NONE
            incoming = self.in_edges[i]
            if incoming:
                start = max(self._early_start_by(edge, late_for_alap) for edge in incoming)
            elif kind is SNET:
                start = at
            elif kind is FNET:
                start = self._start_from(i, at, self.duration[i])
                early_finish = at
            else:
                start = project_start
            if status != _NONE and start < status:
                start = status  # nothing unstarted is scheduled in the past of the status date
            if self.floor[i] > start:
                start = self.floor[i]  # a summary above starts no earlier than this
            start = self._next_start(i, start)
            logic_start = start
            if kind is SNET:
                start = max(start, at)
            elif kind is FNET:
                start = max(start, self._start_from(i, at, self.duration[i]))
            elif kind is SNLT:
                start = min(start, at)
            elif kind is FNLT:
                start = min(start, self._start_from(i, at, self.duration[i]))
            elif kind is MSO:
                start = at
            elif kind is MFO:
                early_finish = at
                start = self._start_from(i, at, self.duration[i])
            if warn and start < logic_start and incoming:
                self._warn_conflict(i, logic_start)
            delay = self.levelling_delay[i]
            if delay and kind is not MSO and kind is not MFO:
                # Levelling delays the task after its links and constraint are met.
                start = self._next_start(i, self._finish_from(i, start, delay))
                early_finish = _NONE
            if kind is MFO:
                early_finish = at
            elif early_finish == _NONE:
                early_finish = self._finish_from(i, start, self.duration[i])
            es[i] = start
            ef[i] = early_finish

    def _forward_manual(self, i: int, late_for_alap: bool) -> None:
        """A manual task keeps its given dates; links that want it later flag it."""
        task = self.tasks[i]
        assert task.manual_start is not None
        start = to_minutes(task.manual_start)
        if task.manual_finish is not None:
            finish = to_minutes(task.manual_finish)
        else:
            finish = self._finish_from(i, start, self.duration[i])
        self.es[i] = start
        self.ef[i] = finish
        incoming = self.in_edges[i]
        if incoming:
            logic = self._next_start(
                i, max(self._early_start_by(edge, late_for_alap) for edge in incoming)
            )
            if start < logic:
                self.violated.add(i)
            else:
                self.violated.discard(i)

    def _forward_started(self, i: int) -> None:
        start = self.actual_start[i]
        self.es[i] = start
        if self.actual_finish[i] != _NONE:
            self.ef[i] = self.actual_finish[i]
            return
        # Done work stays where it happened; the rest resumes after it, and not before the
        # status date when one is given.
        resume = self._finish_from(i, start, self.done[i])
        split = self.tasks[i].resume
        if split is not None and to_minutes(split) > resume:
            resume = to_minutes(split)  # the task was split: the gap is not work
        if self.status != _NONE and resume < self.status:
            resume = self.status
        remaining = self.remaining[i]
        if remaining:
            resume = self.calendar[i].next_start(resume) if not self.elapsed[i] else resume
        finish = self._finish_from(i, resume, remaining)
        if self.constraint[i] is FNET and finish < self.constraint_at[i]:
            finish = self.constraint_at[i]
        self.ef[i] = finish

    def _early_start_by(self, edge: _Edge, late_for_alap: bool) -> int:
        p = edge.pred
        use_late = (
            late_for_alap
            and self.constraint[p] is ALAP
            and (self.constraint[edge.succ] is not ALAP)
        )
        kind = edge.kind
        if kind is FS:
            return self._add_lag(edge, self.lf[p] if use_late else self.ef[p])
        if kind is SS:
            if self.actual_finish[p] != _NONE:
                return self._add_lag(edge, self.actual_start[p])
            return self._add_lag(edge, self.ls[p] if use_late else self.es[p])
        if kind is FF:
            finish = self.lf[p] if use_late else self.ef[p]
            s = edge.succ
            start = self._add_lag(edge, self._start_from(s, finish, self.remaining_or_all(s)))
            # MS Project never lets a finish-to-finish link pull a task before the project start.
            return max(start, self.start)
        start_p = self.ls[p] if use_late else self.es[p]
        return self._add_lag(edge, self._start_from(edge.succ, start_p, self.duration[edge.succ]))

    def remaining_or_all(self, i: int) -> int:
        return self.remaining[i] if self.actual_start[i] != _NONE else self.duration[i]

    def _warn_conflict(self, i: int, logic_start: int) -> None:
        task = self.tasks[i]
        at = self.constraint_at[i]
        self.conflicts.append(
            ConstraintConflict(task.uid, task.name, task.constraint.value, at, logic_start)
        )
        self.warnings.append(
            f"task {task.uid} {task.name!r}: {task.constraint.value} constraint on "
            f"{from_minutes(at).isoformat()} conflicts with its predecessors, which allow a start "
            f"no earlier than {from_minutes(logic_start).isoformat()}; the constraint is honoured"
        )

    def _backward(self, order: list[int]) -> None:
        finish = self.finish
        lf, ls, ls_calc = self.lf, self.ls, self.ls_calc
        plain, calendar, duration = self.plain, self.calendar, self.duration
        live_fs_out, live_other_out = self.live_fs_out, self.live_other_out
        live_lag_fs_out = self.live_lag_fs_out
        late_finish_by = self._late_finish_by
        for i in reversed(order):
            if plain[i]:
                # As the general branch below, for an unstarted, unconstrained task without a
                # deadline, in working time.
                late = finish
                for s in live_fs_out[i]:
                    if ls_calc[s] < late:
                        late = ls_calc[s]
                for s, lag in live_lag_fs_out[i]:  # _remove_lag in the successor's calendar
                    if lag > 0:
                        by_link = calendar[s].start_from_finish(ls_calc[s], lag)
                    else:
                        by_link = calendar[s].finish_from_start(ls_calc[s], -lag)
                    if by_link < late:
                        late = by_link
                for edge in live_other_out[i]:
                    by_link = late_finish_by(edge)
                    if by_link < late:
                        late = by_link
                work = calendar[i]
                late = work.previous_finish(late)
                lf[i] = late
                minutes = duration[i]
                ls[i] = ls_calc[i] = work.start_from_finish(late, minutes) if minutes else late
                continue
            if self.actual_finish[i] != _NONE:
                lf[i] = self.actual_finish[i]
                ls[i] = ls_calc[i] = self.actual_start[i]
                continue
            outgoing = [
                e
                for e in self.out_edges[i]
                if self.actual_finish[e.succ] == _NONE and self.active[e.succ]
            ]
            if not outgoing:
                late = finish
            elif self.milestone[i] and self.duration[i] == 0 and self.actual_start[i] != _NONE:
                late = self.actual_start[i]
            else:
                late = min(min(self._late_finish_by(edge), finish) for edge in outgoing)
            kind = self.constraint[i]
            at = self.constraint_at[i]
            if kind is MSO:
                # MS Project keeps successor pressure here, so a must-on date can show negative
                # float (MPXJ replaces it by the constraint); see docs/scheduling.md.
                late = min(late, self._finish_from(i, at, self.duration[i]))
            elif kind is MFO:
                late = min(late, at)
            elif kind is SNLT:
                late = min(late, self._finish_from(i, at, self.duration[i]))
            elif kind is FNLT:
                late = min(late, at)
            deadline = self.tasks[i].deadline
            if deadline is not None:
                late = min(late, to_minutes(deadline))
            if self.ceiling[i] < late:
                late = self.ceiling[i]  # a summary above finishes no later than this
            if not self.elapsed[i]:
                # A finish at the start of a working period is the end of the previous one.
                late = self.calendar[i].previous_finish(late)
            lf[i] = late
            ls_calc[i] = self._start_from(i, late, self.remaining_or_all(i))
            ls[i] = self.actual_start[i] if self.actual_start[i] != _NONE else ls_calc[i]

    def _late_finish_by(self, edge: _Edge) -> int:
        p, s = edge.pred, edge.succ
        kind = edge.kind
        if kind is FS:
            return self._remove_lag(edge, self.ls_calc[s])
        if kind is FF:
            return self._remove_lag(edge, self.lf[s])
        if kind is SS:
            if self.actual_start[p] != _NONE:
                return self.finish
            if self.actual_start[s] != _NONE:
                if not self.out_edges[s]:
                    return self.finish
                late_start = self._finish_from(s, self.actual_start[s], self.done[s])
                return self._finish_from(p, late_start, self.duration[p])
            late_start = self._remove_lag(edge, self.calendar[p].next_start(self.ls[s]))
            return self._finish_from(p, late_start, self.duration[p])
        return self._remove_lag(edge, self._finish_from(p, self.lf[s], self.duration[p]))

    # --- float and results ------------------------------------------------------------------

    def _result(self, order: list[int]) -> Schedule:
        tasks = self.tasks
        count = len(tasks)
        es, ef, ls, lf = self.es, self.ef, self.ls, self.lf
        start = [0] * count
        finish = [0] * count
        total = [0] * count
        free = [0] * count
        critical = [False] * count
        threshold = self.project.critical_threshold
        calendar, constraint, actual_start = self.calendar, self.constraint, self.actual_start
        actual_finish = self.actual_finish
        plain = self.plain
        active, pinned = self.active, self.pinned
        manual_text = [t.manual_text for t in tasks]
        for i in order:
            alap = constraint[i] is ALAP
            start[i] = ls[i] if alap else es[i]
            finish[i] = lf[i] if alap else ef[i]
            if actual_start[i] != _NONE:
                start[i] = actual_start[i]
            if actual_finish[i] != _NONE:
                finish[i] = actual_finish[i]
            # An elapsed task runs around the clock: its float is elapsed time too, as MS
            # Project reports it (in edays and the like).
            work = _elapsed_between if self.elapsed[i] else calendar[i].work_between
            if alap:
                total_float = 0
            elif plain[i]:
                # The passes placed a plain task's finish its duration of working time after its
                # start, both early and late, so start and finish float are the same.
                total_float = work(ef[i], lf[i])
            else:
                finish_float = work(ef[i], lf[i])
                if actual_start[i] != _NONE:
                    total_float = finish_float
                else:
                    start_float = work(es[i], ls[i])
                    total_float = start_float if start_float < finish_float else finish_float
            total[i] = total_float
            # Finished work can no longer delay anything: it is never critical.
            critical[i] = (
                total_float <= threshold
                and actual_finish[i] == _NONE
                and active[i]
                and not (manual_text[i] and pinned[i])
            )
        self._roll_up(start, finish, total, free, critical)
        if self.with_free_float:
            self._free_floats(order, start, finish, total, free)
        return self._assemble(order, start, finish, total, free, critical)

    def _free_floats(
        self,
        order: list[int],
        start: list[int],
        finish: list[int],
        total: list[int],
        free: list[int],
    ) -> None:
        """Each leaf's slack before its first successor moves, over the plan's own links.

        As in MS Project, links a summary's link spreads to a task do not count, and a link to
        a summary is measured against the summary's rolled-up dates.  Finished tasks have none;
        a task without live successors has its total float (never below zero).
        """
        actual_finish, direct_out, calendar = self.actual_finish, self.direct_out, self.calendar
        elapsed_task = self.elapsed
        for i in order:
            if actual_finish[i] != _NONE:
                continue  # free[i] stays 0
            elapsed = elapsed_task[i]
            work = _elapsed_between if elapsed else calendar[i].work_between
            free_float = total[i]
            first = True
            for s, kind, lag, elapsed_lag in direct_out[i]:
                if actual_finish[s] != _NONE or not self.active[s]:
                    continue
                own = start[i] if kind is SS or kind is SF else finish[i]
                other = start[s] if kind is FS or kind is SS else finish[s]
                if elapsed or elapsed_lag:
                    # Elapsed time on either side: the latest date of this task that keeps
                    # the successor where it is (the lag taken off in its own kind), measured
                    # in this task's time — elapsed for an elapsed task.
                    if not lag:
                        latest = other
                    elif elapsed_lag:
                        latest = other - lag
                    else:
                        latest = calendar[s].add(other, -lag)
                    slack = work(own, latest)
                else:
                    slack = work(own, other) - lag
                if first or slack < free_float:
                    free_float = slack
                    first = False
            free[i] = free_float if free_float > 0 else 0

    def _assemble(
        self,
        order: list[int],
        start: list[int],
        finish: list[int],
        total: list[int],
        free: list[int],
        critical: list[bool],
    ) -> Schedule:
        tasks = self.tasks
        es, ef, ls, lf = self.es, self.ef, self.ls, self.lf
        summary = self.is_summary
        results = tuple(
            TaskSchedule(  # uid, name, summary, milestone, ES, EF, LS, LF, start, finish, floats
                task.uid,
                task.name,
                summary[i],
                task.milestone,
                es[i],
                ef[i],
                ls[i],
                lf[i],
                start[i],
                finish[i],
                total[i],
                free[i],
                critical[i],
            )
            for i, task in enumerate(tasks)
        )
        leaves = [i for i in order if self.active[i]]
        project_start = min((start[i] for i in leaves), default=self.start)
        project_finish = max((finish[i] for i in leaves), default=self.start)
        return Schedule(
            start_minute=min(project_start, self.start) if not leaves else project_start,
            finish_minute=project_finish,
            tasks=results,
            warnings=tuple(self.warnings) + self._deadline_warnings(finish),
            violated=tuple(tasks[i].uid for i in sorted(self.violated)),
            durations=MappingProxyType(self.work_durations),
            conflicts=tuple(self.conflicts),
        )

    def _roll_up(
        self,
        start: list[int],
        finish: list[int],
        total: list[int],
        free: list[int],
        critical: list[bool],
    ) -> None:
        """Summary dates span their subtasks; float is measured on the spanned dates."""
        done: set[int] = set()
        for i in range(len(self.tasks)):
            if self.is_summary[i] and not self._roll_up_one(
                i, done, start, finish, total, free, critical
            ):
                es, ef, ls, lf = self.es, self.ef, self.ls, self.lf
                es[i] = ef[i] = ls[i] = lf[i] = start[i] = finish[i] = self.start

    def _roll_up_one(
        self,
        i: int,
        done: set[int],
        start: list[int],
        finish: list[int],
        total: list[int],
        free: list[int],
        critical: list[bool],
    ) -> bool:
        """Roll up ``i``; False when it has nothing under it to take dates from.

        A method rather than a nested function: a recursive closure refers to itself, and
        would keep the scheduler's lists (millions of objects on a big plan) alive after the
        run until the cycle collector found them, at the cost of a full traversal."""
        es, ef, ls, lf = self.es, self.ef, self.ls, self.lf
        if not self.is_summary[i]:
            return True
        if i in done:
            return True
        dated = [
            child
            for child in self.children[i]
            if self._roll_up_one(child, done, start, finish, total, free, critical)
        ]
        if not dated:
            return False
        live = [child for child in dated if self.active[child]]
        if live:
            dated = live  # inactive subtasks do not stretch their summary
        done.add(i)
        alap = [self.constraint[c] is ALAP for c in dated]
        es[i] = min(ls[c] if a else es[c] for c, a in zip(dated, alap, strict=True))
        ef[i] = max(lf[c] if a else ef[c] for c, a in zip(dated, alap, strict=True))
        ls[i] = min(ls[c] for c in dated)
        lf[i] = max(lf[c] for c in dated)
        start[i] = min(start[c] for c in dated)
        finish[i] = max(finish[c] for c in dated)
        work = self.calendar[i].work_between
        leaves = self._leaves_under(i)
        finish_float = work(ef[i], lf[i])
        if any(self.actual_start[leaf] != _NONE for leaf in leaves):
            total[i] = finish_float  # started work: only the finish can still move
        else:
            total[i] = min(work(es[i], ls[i]), finish_float)
        # MS Project measures a summary's free float from its own span to its subtasks'
        # successors: a summary without working time between start and finish gets none.
        leads = any(self.direct_out[c] for c in self.children[i])
        free[i] = 0 if leads and work(es[i], ef[i]) == 0 else max(total[i], 0)
        finished = all(self.actual_finish[leaf] != _NONE for leaf in leaves)
        critical[i] = total[i] <= self.project.critical_threshold and not finished
        return True

    def _deadline_warnings(self, finish: list[int]) -> tuple[str, ...]:
        found: list[str] = []
        for i, task in enumerate(self.tasks):
            if task.deadline is not None and finish[i] > to_minutes(task.deadline):
                found.append(
                    f"task {task.uid} {task.name!r} finishes {from_minutes(finish[i]).isoformat()},"
                    f" after its deadline {task.deadline.isoformat()}"
                )
        return tuple(found)


def _elapsed_between(start: int, finish: int) -> int:
    """Elapsed (24x7) minutes from ``start`` to ``finish``: an elapsed task's float."""
    return finish - start


class LeafNetwork(NamedTuple):
    """A plan as the passes saw it: the schedule, the leaf tasks (positions in
    ``project.tasks``) in topological order, and the links between leaves — links on
    summaries spread to their leaves, lags resolved to minutes — as ``(predecessor,
    successor, type, lag, elapsed)``.  Schedule risk re-runs the passes on this network."""

    schedule: Schedule
    order: tuple[int, ...]
    edges: tuple[tuple[int, int, LinkType, int, bool], ...]


def leaf_network(project: Project) -> LeafNetwork:
    """Schedule ``project`` and return the leaf network the passes used (see LeafNetwork)."""
    with collector_paused():
        scheduler = _Scheduler(project, free_float=False)
        result = scheduler.run()
        order = scheduler._order(scheduler.edges)
        edges = tuple((e.pred, e.succ, e.kind, e.lag, e.elapsed) for e in scheduler.edges)
    return LeafNetwork(result, tuple(order), edges)
