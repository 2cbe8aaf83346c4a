"""Each project's figures kept under its data version, so a roll-up over many projects reads
the figures of the unchanged ones instead of computing them again (docs/architecture.md,
"Figures kept under the data version").

A project's data version is its latest committed audit entry (audit.models.ProjectVersion):
every write that changes what the figures read records an audit entry against the project
in the same transaction, so a kept figure whose version is still the project's is the figure
its data gives now. The figures depend on nothing else that changes: not on today's date,
not on office-wide settings (exchange rates and sums are applied at request time, outside
the kept figures), and the figure's own parameter (a status date) is part of the key.
``FORMAT`` is part of the version: a release that computes the figures differently bumps it.

One roll-up reads the versions of all its projects in one query and their kept figures in
one more, computes the missing ones in one batch (their inputs read in a fixed number of
queries) and keeps them in one write: a fixed number of queries, whatever the number of
projects. The versions are read before the inputs, so figures kept under a version are never
older than the data that version names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from projectoffice import __version__
from projectoffice.audit.models import ProjectVersion
from projectoffice.portfolio.models import Project

from .models import FiguresMemo

T = TypeVar("T")

# Part of every version: bumped (with the release) whenever the kept figures change shape
# or meaning, so figures kept by an older release are not read.
FORMAT = f"{__version__}/2"


def versions(project_ids: Iterable[int]) -> dict[int, str]:
    """The data version of each project (one query); a project written to by nothing that
    records an audit entry since versions were kept is at version 0."""
    ids = list(project_ids)
    found = dict(ProjectVersion.objects.filter(project_id__in=ids)
                 .values_list("project_id", "entry_id"))
    return {pk: f"{FORMAT}:{found.get(pk, 0)}" for pk in ids}


def memoised(kind: str, param: str, projects: list[Project],
             compute: Callable[[list[Project]], dict[int, T]],
             encode: Callable[[T], Any], decode: Callable[[Any], T]) -> dict[int, T]:
    """``compute(projects)``, by project pk, computing only the projects whose figures of
    ``kind`` at ``param`` are not kept under their current version, and keeping those."""
    if not projects:
        return {}
    current = versions(p.pk for p in projects)
    out: dict[int, T] = {}
    for pk, version, data in FiguresMemo.objects.filter(
            project_id__in=list(current), kind=kind, param=param).values_list(
            "project_id", "version", "data"):
        if version == current[pk]:
            out[pk] = decode(data["value"])
    missing = [p for p in projects if p.pk not in out]
    if missing:
        computed = {pk: encode(value) for pk, value in compute(missing).items()}
        keep(kind, param, {pk: (current[pk], data) for pk, data in computed.items()})
        # Read back as kept: a page shows the same figures whether they were kept or not.
        out.update({pk: decode(data) for pk, data in computed.items()})
    return out


def keep(kind: str, param: str, figures: dict[int, tuple[str, Any]]) -> None:
    """Keeps each project's figures (version, encoded data) in one write, replacing what was
    kept for the same kind and parameter."""
    FiguresMemo.objects.bulk_create(
        [FiguresMemo(project_id=pk, kind=kind, param=param, version=version,
                     data={"value": data})
         for pk, (version, data) in sorted(figures.items())],
        update_conflicts=True, unique_fields=["project", "kind", "param"],
        update_fields=["version", "data"])


def forget_outdated(project_ids: Iterable[int]) -> int:
    """Removes the kept figures of these projects that are not at their current version
    (never read again); returns how many."""
    current = versions(project_ids)
    old = [pk for pk, project_id, version in FiguresMemo.objects.filter(
        project_id__in=list(current)).values_list("pk", "project_id", "version")
        if version != current[project_id]]
    if old:
        FiguresMemo.objects.filter(pk__in=old).delete()
    return len(old)


def to_json(value: Any) -> Any:
    """A JSON form of figures made of decimals, dates, text, numbers, lists and dicts that
    ``from_json`` turns back into the same values."""
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$t": value.isoformat()}
    if isinstance(value, Enum):
        return to_json(value.value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def from_json(value: Any) -> Any:
    # Read for every kept figure of a roll-up (a thousand projects' worth), hence the exact
    # type tests and the decimal tag tried first: it is by far the most common.
    kind = type(value)
    if kind is dict:
        if len(value) == 1:
            raw = value.get("$d")
            if raw is not None:
                return Decimal(raw)
            raw = value.get("$t")
            if raw is not None:
                return dt.date.fromisoformat(raw)
            raw = value.get("$dt")
            if raw is not None:
                return dt.datetime.fromisoformat(raw)
        return {k: from_json(v) for k, v in value.items()}
    if kind is list:
        return [from_json(v) for v in value]
    return value
