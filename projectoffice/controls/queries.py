from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.kept import digest, kept
from projectoffice.audit.models import AuditEntry
from projectoffice.finance.models import CostCategory
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio.access import visible_projects
from projectoffice.portfolio.models import Programme, Project
from projectoffice.registers.spec import get_spec
from projectoffice.registers.views import item_url

from .charts import MapEdge
from .models import (
    ASSESSMENT,
    Action,
    Dependency,
    Issue,
    ProjectControls,
    Risk,
    default_risk_scale,
    score_band,
)
from .workflows import ACTION_WORKFLOW, DEPENDENCY_WORKFLOW, ISSUE_WORKFLOW, RISK_WORKFLOW

T = TypeVar("T")


def share_controls(items: Iterable[Any]) -> None:
    """Reads the control settings of the items' projects once (risk severity depends on the
    project's scale) instead of once per item."""
    items = list(items)
    ids = {item.project_id for item in items}
    found = {c.project_id: c for c in ProjectControls.objects.filter(project_id__in=ids)}
    for item in items:
        item.project.__dict__["_controls"] = found.get(item.project_id) or ProjectControls(
            project_id=item.project_id)


def my_open_actions(user: Any) -> QuerySet[Action]:
    return (Action.objects.filter(Q(assignee=user) | Q(owner=user),
                                  status__in=ACTION_WORKFLOW.open_states,
                                  project__in=visible_projects(user))
            .select_related("project", "owner", "assignee")
            .order_by("due_date", "project__code", "number"))


def overdue_actions(user: Any, today: date) -> QuerySet[Action]:
    return (Action.objects.filter(project__in=visible_projects(user), due_date__lt=today,
                                  status__in=ACTION_WORKFLOW.open_states)
            .select_related("project", "owner", "assignee")
            .order_by("due_date", "project__code", "number"))


def open_risks(project: Project) -> QuerySet[Risk]:
    return (Risk.objects.filter(project=project, status__in=RISK_WORKFLOW.open_states)
            .select_related("owner", "project"))


def risk_cells(risks: Iterable[Risk], stage: str) -> dict[tuple[int, int], list[str]]:
    """Where each risk sits on the grid: (probability, impact) → references."""
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in risks:
        p, i = risk.assessment(stage)
        if p is not None and i is not None:
            cells.setdefault((p, i), []).append(risk.reference)
    return cells


def top_risks(risks: Iterable[Risk], n: int = 5) -> list[Risk]:
    return sorted(risks, key=lambda r: (-r.current_score, -r.inherent_score, r.number))[:n]


SCORED_FIELDS = tuple(f"{stage}_{name}" for stage in ("inherent", "residual")
                      for name in ASSESSMENT)


def _score_reversals(risks: list[Risk]) -> dict[int, list[tuple[date, dict[str, Any]]]]:
    """Per risk, newest first: the day of each recorded change to its assessment and the
    values it had before that change (from the audit trail)."""
    from django.contrib.contenttypes.models import ContentType

    found: dict[int, list[tuple[date, dict[str, Any]]]] = {}
    entries = (AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Risk),
                                         object_id__in=[str(r.pk) for r in risks])
               .exclude(verb="created").order_by("-at", "-pk")
               .values_list("object_id", "at", "changes"))
    for object_id, at, changes in entries:
        before = {name: change[0] for name, change in (changes or {}).items()
                  if name in SCORED_FIELDS and isinstance(change, list) and len(change) == 2}
        if before:
            found.setdefault(int(object_id), []).append((timezone.localdate(at), before))
    return found


def _scores_on(risk: Risk, day: date, reversals: list[tuple[date, dict[str, Any]]]
               ) -> tuple[int, int]:
    """(inherent, current) score of the risk as it was assessed at the end of `day`."""
    values = {name: getattr(risk, name) for name in SCORED_FIELDS}
    for changed_on, before in reversals:  # newest first: undo what came after `day`
        if changed_on <= day:
            break
        values.update({k: None if v in (None, "") else int(v) for k, v in before.items()})
    then = Risk(**values)
    inherent = then.score_of("inherent") or 0
    residual = then.score_of("residual")
    return inherent, residual if residual is not None else inherent


def risk_burn_down(project: Project, today: date, weeks: int = 12
                   ) -> list[tuple[date, int, int]]:
    """Open inherent and current score totals at the end of each of the last `weeks` weeks,
    counting each risk from the day it was raised until the day it was closed, with the
    scores it had on that day (assessment changes are undone from the audit trail)."""
    risks = list(Risk.objects.filter(project=project))
    reversals = _score_reversals(risks)
    points = []
    for k in range(weeks, -1, -1):
        day = today - timedelta(days=7 * k)
        live = [r for r in risks if r.raised_on <= day
                and (r.closed_on is None or r.closed_on > day)]
        scores = [_scores_on(r, day, reversals.get(r.pk, [])) for r in live]
        points.append((day, sum(s[0] for s in scores), sum(s[1] for s in scores)))
    return points


# ---------------------------------------------------------------------------------------------
# The PMO's view of RAID across every project the user can see.

RAID_SPECS = ("risks", "assumptions", "issues", "dependencies")
SEVERITIES = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class RaidFilter:
    programme: str = ""  # a programme code, or "none" for projects outside programmes
    owner: str = ""  # a username
    severity: str = ""
    overdue: bool = False
    register: str = ""  # one of RAID_SPECS
    q: str = ""


@dataclass(frozen=True)
class RaidRow:
    item: Any
    register: str
    register_label: str
    severity: str
    escalated: str  # "", "programme" or "portfolio"


def _severities(key: str, rows: list[tuple[Any, ...]]) -> list[str]:
    """The severity of each row of ``key``'s register read by ``raid_page`` (its last
    columns): a risk's band of its current score on its project's scale (as
    ``Risk.severity``), an issue's severity, otherwise the priority."""
    if key == "risks":
        scales = dict(ProjectControls.objects.filter(
            project_id__in={row[4] for row in rows}).values_list("project_id", "risk_scale"))
        default = default_risk_scale()
        return [score_band(residual if residual is not None else inherent,
                           int(scales.get(project_id, default)))
                for *_, project_id, inherent, residual in rows]
    return [str(row[-1]) for row in rows]


SEVERITY_COLUMNS = {"risks": ("project_id", "inherent_score", "residual_score"),
                    "issues": ("severity",)}


def _raid_projects(user: Any, f: RaidFilter) -> list[int]:
    """The visible projects ``f``'s programme keeps, by pk."""
    projects = visible_projects(user)
    if f.programme == "none":
        projects = projects.filter(programme__isnull=True)
    elif f.programme:
        projects = projects.filter(programme__code=f.programme)
    return list(projects.values_list("pk", flat=True))


RaidKey = tuple[str, int, str]  # (register, item pk, severity)


def _raid_keys(project_ids: list[int], f: RaidFilter, owner: int | None, today: date,
               limit: int, offset: int) -> tuple[int, list[RaidKey]]:
    """How many open items of the projects match ``f``, and the ``limit`` from ``offset`` in
    the page's order. Every match is read as a row of its sort key (a portfolio holds some
    ten thousand open items)."""
    rank = {s: n for n, s in enumerate(SEVERITIES)}
    keys: list[tuple[int, date, str, int, str, int, str]] = []
    for key in RAID_SPECS:
        if f.register and f.register != key:
            continue
        spec = get_spec(key)
        assert spec is not None
        qs = spec.model.objects.filter(project__in=project_ids,
                                       status__in=spec.workflow.open_states)
        if f.owner:
            qs = qs.filter(owner=owner)
        if f.overdue:
            qs = qs.filter(due_date__lt=today)
        if f.q:
            qs = qs.filter(Q(title__icontains=f.q) | Q(reference__icontains=f.q))
        rows = list(qs.order_by("-number").values_list(
            "pk", "due_date", "project__code", "number",
            *SEVERITY_COLUMNS.get(key, ("priority",))))
        for row, severity in zip(rows, _severities(key, rows), strict=True):
            if f.severity and severity != f.severity:
                continue
            keys.append((rank.get(severity, 9), row[1] or date.max, row[2], row[3], key,
                         row[0], severity))
    keys.sort(key=lambda k: k[:4])
    return len(keys), [(k[4], k[5], k[6]) for k in keys[offset:offset + limit]]


def raid_page(user: Any, f: RaidFilter, today: date, limit: int = 100,
              offset: int = 0) -> tuple[int, list[RaidRow]]:
    """Open RAID items across the visible portfolio, most severe and soonest due first: how
    many match ``f``, and the ``limit`` from ``offset``.  Which items are on the page is kept
    under the projects' data versions (an item's fields, its severity's scale and its
    project's code are all project data); the page's items are read whole, as they are
    now."""
    ids = _raid_projects(user, f)
    # The owner chosen by sign-in name, told apart now: a renamed person is not project data.
    owner = (User.objects.filter(username=f.owner).values_list("pk", flat=True).first()
             if f.owner else None)
    count, page = kept("raid-page", (f, owner, today.isoformat(), limit, offset),
                       lambda: _raid_keys(ids, f, owner, today, limit, offset), projects=ids)
    items: dict[tuple[str, int], Any] = {}
    for key in RAID_SPECS:
        wanted = [pk for register, pk, _ in page if register == key]
        if not wanted:
            continue
        spec = get_spec(key)
        assert spec is not None
        qs = spec.model.objects.filter(pk__in=wanted).select_related("project", "owner")
        if key == "dependencies":
            qs = qs.select_related("other_task")
        found = list(qs)
        if key == "risks":
            share_controls(found)
        items.update(((key, item.pk), item) for item in found)
    out = []
    for register, pk, severity in page:
        item = items.get((register, pk))
        if item is None:  # deleted since the page was worked out, by a write still committing
            continue
        escalated = getattr(item, "escalation_level", "project")
        spec = get_spec(register)
        assert spec is not None
        out.append(RaidRow(item, register, spec.label, severity,
                           "" if escalated == "project" else str(escalated)))
    return count, out


def _raid_owner_ids(project_ids: list[int]) -> list[int]:
    owns = Q(pk__in=[])
    for key in RAID_SPECS:
        spec = get_spec(key)
        assert spec is not None
        owns |= Q(pk__in=spec.model.objects.filter(
            project__in=project_ids, status__in=spec.workflow.open_states).values("owner_id"))
    return list(User.objects.filter(owns).values_list("pk", flat=True))


def raid_owners(user: Any, chosen: str = "") -> QuerySet[User]:
    """The people who own an open RAID item in the projects the user can see (and the one
    chosen), for the view's owner filter. Who owns one is kept under the projects' data
    versions; their names and whether they can sign in are read now."""
    ids = list(visible_projects(user).values_list("pk", flat=True))
    owners = kept("raid-owners", (), lambda: _raid_owner_ids(ids), projects=ids)
    owns = Q(pk__in=owners) | (Q(username=chosen) if chosen else Q(pk__in=[]))
    # Only what an option shows (str(user)): some hundreds of people in a large portfolio.
    return User.objects.filter(owns, is_active=True).order_by("display_name", "username").only(
        "username", "display_name", "first_name", "last_name")


def escalated_issues(user: Any) -> QuerySet[Issue]:
    return (Issue.objects.filter(project__in=visible_projects(user),
                                 status__in=ISSUE_WORKFLOW.open_states)
            .exclude(escalation_level="project")
            .select_related("project", "project__programme", "owner")
            .order_by("-escalation_level", "project__code", "number"))


def _expected_on(task_finish: Any, promised_on: date | None) -> date | None:
    """As ``Dependency.expected_on``, from the linked task's finish and the date promised."""
    return task_finish.date() if task_finish is not None else promised_on


def _late(needed_by: date | None, expected: date | None) -> bool:
    """As ``Dependency.late``: expected after the date needed."""
    return needed_by is not None and expected is not None and (needed_by - expected).days < 0


MapNode = tuple[str, str, str]  # (code, name, programme code)


def dependency_map(user: Any, draw: Callable[[list[MapNode], list[MapEdge]], T]
                   ) -> tuple[list[MapEdge], T]:
    """The dependency map between the projects the user can see: its needs → provides edges
    and ``draw(nodes, edges)``, kept under those projects' data versions and the programmes'
    codes (a programme's code is not project data)."""
    ids = list(visible_projects(user).values_list("pk", flat=True))
    programmes = digest(list(Programme.objects.order_by("pk").values_list("pk", "code")))

    def drawn() -> tuple[list[MapEdge], T]:
        nodes, edges = dependency_map_of(ids)
        return edges, draw(nodes, edges)

    return kept("raid-dependency-map", programmes, drawn, projects=ids)


def dependency_map_of(projects: list[int]) -> tuple[list[MapNode], list[MapEdge]]:
    """Projects joined by open internal dependencies (both ends among ``projects``), as
    (code, name, programme) nodes and needs → provides edges.  Read as rows: a portfolio
    holds some thousands of such dependencies."""
    deps = (Dependency.objects.filter(project__in=projects, other_project__in=projects,
                                      dependency_type="internal",
                                      status__in=DEPENDENCY_WORKFLOW.open_states)
            .values_list("direction", "status", "needed_by", "promised_on",
                         "other_task__finish", "project__code", "project__name",
                         "project__programme__code", "other_project__code",
                         "other_project__name", "other_project__programme__code"))
    edges: dict[tuple[str, str], list[int]] = {}
    nodes: dict[str, MapNode] = {}
    for direction, status, needed_by, promised_on, finish, *ends in deps:
        ours, theirs = tuple(ends[:3]), tuple(ends[3:])
        needs, gives = (ours, theirs) if direction == "inbound" else (theirs, ours)
        for code, name, programme in (needs, gives):
            nodes[code] = (code, name, programme or "")
        late = status == "at_risk" or _late(needed_by, _expected_on(finish, promised_on))
        counts = edges.setdefault((needs[0], gives[0]), [0, 0])
        counts[0] += 1
        counts[1] += int(late)
    ordered = sorted(nodes.values(), key=lambda n: (n[2] or "~", n[0]))
    return ordered, [MapEdge(s, t, c, late) for (s, t), (c, late) in sorted(edges.items())]


def raid_row_out(row: RaidRow) -> dict[str, Any]:
    item = row.item
    data = {"project": item.project.code, "kind": row.register, "register": row.register_label,
            "reference": item.reference, "title": item.title, "status": item.status,
            "owner": item.owner.username if item.owner else None, "due_date": item.due_date,
            "severity": row.severity, "escalated": row.escalated or None,
            "url": item_url(item)}
    if isinstance(item, Dependency):
        data.update(needed_by=item.needed_by, expected_on=item.expected_on, late=item.late)
    return data


def dependency_schedule(dep: Dependency) -> dict[str, Any]:
    """An internal dependency's linked task, read live from the other plan."""
    task = dep.other_task
    return {"reference": dep.reference,
            "other_project": dep.other_project.code if dep.other_project else None,
            "task": None if task is None else {
                "uid": task.uid, "row": task.position, "name": task.name,
                "milestone": task.milestone, "start": task.start, "finish": task.finish},
            "needed_by": dep.needed_by, "expected_on": dep.expected_on,
            "slack_days": dep.slack_days, "late": dep.late}


# ---------------------------------------------------------------------------------------------
# Change requests: their proposed plan edits in words.

OP_WORDS = {"update": "Change", "insert": "Add task", "delete": "Remove task",
            "indent": "Indent", "outdent": "Outdent", "move": "Move", "link": "Add link",
            "unlink": "Remove link"}


def describe_edits(change: Any, costs: bool = True) -> list[str]:
    """One line per proposed edit, naming tasks by their current row and name; without
    ``costs`` a budget edit is named without its amount."""
    tasks = {uid: (pos, name) for uid, pos, name in PlanTask.objects.filter(
        plan__project_id=change.project_id).values_list("uid", "position", "name")}

    per_day = Plan.objects.filter(project_id=change.project_id).values_list(
        "minutes_per_day", flat=True).first() or 480
    lines = []
    for edit in change.plan_edits:
        refs = edit.get("refs") or {}

        def task(uid: Any, refs: Any = refs) -> str:
            if isinstance(uid, dict):
                return f"new task {uid.get('new')}"
            if uid in tasks:
                pos, name = tasks[uid]
                return f"{pos} {name}"
            if str(uid) in refs:
                return f"“{refs[str(uid)]}” (deleted from the plan)"
            return f"task {uid} (not in the plan)"

        op = str(edit.get("op", "update"))
        if op == "budget":
            lines.append(describe_budget_edit(edit, task, change.project.currency) if costs
                         else "Change a budget line (the amount is shown to those who may "
                              "see costs)")
            continue
        words = OP_WORDS.get(op, op)
        shown = {**edit}
        if isinstance(edit.get("predecessors"), list):
            shown["predecessors"] = "; ".join(
                _describe_link(link, task, refs, per_day) for link in edit["predecessors"]
            ) or "none"
        fields = ", ".join(f"{k.replace('_', ' ')} → {v}" for k, v in shown.items()
                           if k not in ("op", "uid", "predecessor", "type", "lag", "before",
                                        "level", "refs"))
        if op in ("link", "unlink"):
            kind = edit.get("type") or "FS"
            lag = f" {edit['lag']}" if edit.get("lag") else ""
            text = (f"{words}: {task(edit.get('predecessor'))} → {task(edit.get('uid'))}"
                    + (f" ({kind}{lag})" if op == "link" else ""))
        elif op == "insert":
            text = f"{words}" + (f" before {task(edit['before'])}" if edit.get("before")
                                 else " at the end") + (f": {fields}" if fields else "")
        else:
            text = f"{words} {task(edit.get('uid'))}" + (f": {fields}" if fields else "")
        lines.append(text)
    return lines


def _describe_link(link: Any, task: Any, refs: Any, per_day: int) -> str:
    """One anchored predecessor in words: "3 Build FS+2d", "new task 1 SS"."""
    if link.get("project"):
        key = f"{link['project']}:{link.get('task')}"
        name = f"{link['project']} “{refs.get(key, 'task ' + str(link.get('task')))}”"
    elif link.get("new") is not None:
        name = f"new task {link['new']}"
    else:
        name = task(link.get("task"))
    lag = float(link.get("lag") or 0)
    if link.get("lag_kind") == "percent":
        lag_text = f"{lag:+g}%" if lag else ""
    else:  # lags are kept in minutes: in working days, or elapsed days ("ed")
        elapsed = link.get("lag_kind") == "elapsed"
        days = lag / (1440 if elapsed else max(per_day, 1))
        lag_text = f"{days:+.4g}{'ed' if elapsed else 'd'}" if lag else ""
    return f"{name} {link.get('type') or 'FS'}{lag_text}"


def describe_budget_edit(edit: Any, task: Any, currency: str) -> str:
    """"Budget: +1,200.00 EUR on Services, May 2026, 3 Build" in words."""
    import datetime as dt
    from decimal import Decimal

    amount = Decimal(str(edit.get("amount", "0")))
    try:
        month = dt.date.fromisoformat(f"{edit.get('period')}-01").strftime("%b %Y")
    except ValueError:
        month = str(edit.get("period"))
    category = dict(CostCategory.choices).get(edit.get("category"), edit.get("category"))
    where = task(edit["wbs"]) if edit.get("wbs") is not None else "the project as a whole"
    return f"Budget: {amount:+,.2f} {currency} on {category}, {month}, {where}"


def internal_dependencies_late(user: Any, limit: int | None = None) -> list[Dependency]:
    """Open internal dependencies linked to a task whose scheduled finish is after the date
    needed, in the projects the user can see (the first ``limit``).  Which are late is kept
    under every project's data version (the linked task can be in a project the user does
    not see); the late ones are read whole, as they are now."""
    ids = list(visible_projects(user).values_list("pk", flat=True))
    late = kept("late-dependencies", (ids, limit), lambda: _late_dependencies(ids, limit))
    found = {d.pk: d for d in Dependency.objects.filter(pk__in=late).select_related(
        "project", "other_project", "other_task")}
    return [found[pk] for pk in late if pk in found]


def _late_dependencies(project_ids: list[int], limit: int | None) -> list[int]:
    deps = Dependency.objects.filter(project__in=project_ids, dependency_type="internal",
                                     other_task__isnull=False,
                                     status__in=DEPENDENCY_WORKFLOW.open_states)
    return [pk for pk, needed_by, promised_on, finish in deps.values_list(
        "pk", "needed_by", "promised_on", "other_task__finish")
        if _late(needed_by, _expected_on(finish, promised_on))][:limit]
