"""The report builder's table: rows already read from a source are filtered, sorted, grouped
and totalled here.  Pure: the rows are plain values (text, numbers, dates, booleans, None),
so the same rules serve the page, the API, the exports and the scheduled e-mails.

A definition is checked before anything is read or written: each problem names the part of
the definition it is in (``filters[1].field``) and says what is wrong in the reader's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

KINDS = ("text", "number", "date", "choice", "person", "bool")

OPERATORS: dict[str, str] = {
    "eq": "is", "ne": "is not", "contains": "contains", "lt": "is less than / before",
    "gt": "is more than / after", "empty": "is empty", "set": "is not empty",
}
OPERATORS_BY_KIND: dict[str, tuple[str, ...]] = {
    "text": ("eq", "ne", "contains", "empty", "set"),
    "person": ("eq", "ne", "contains", "empty", "set"),
    "choice": ("eq", "ne", "empty", "set"),
    "number": ("eq", "ne", "lt", "gt", "empty", "set"),
    "date": ("eq", "ne", "lt", "gt", "empty", "set"),
    "bool": ("eq", "ne"),
}
NO_VALUE = ("empty", "set")
MAX_COLUMNS = 30
MAX_FILTERS = 20


@dataclass(frozen=True)
class ColumnDef:
    key: str
    label: str
    kind: str = "text"
    # (stored value, label) for choice columns; rows carry the label.
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: str = ""


@dataclass(frozen=True)
class Definition:
    columns: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()
    group_by: str = ""
    totals: tuple[str, ...] = ()
    sort: str = ""  # a column key, "-" first for descending


@dataclass
class Group:
    label: str
    rows: list[list[Any]] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class Table:
    columns: list[ColumnDef]
    groups: list[Group]
    totals: dict[str, Decimal]
    grouped_by: ColumnDef | None
    count: int


class DefinitionError(Exception):
    """Problems with a definition, by the part they are in."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.items()))
        super().__init__(f"{first[0]}: {first[1][0]}")
        self.errors = errors


def parse_value(column: ColumnDef, raw: str) -> Any:
    """The filter value as the column holds it; ValueError says what was expected."""
    text = raw.strip()
    if column.kind == "number":
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"{column.label} holds numbers: {raw!r} is not one") from exc
    if column.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{column.label} holds dates: write {raw!r} as YYYY-MM-DD") from exc
    if column.kind == "bool":
        lowered = text.lower()
        if lowered in ("yes", "true", "1"):
            return True
        if lowered in ("no", "false", "0"):
            return False
        raise ValueError(f"{column.label} is yes or no")
    if column.kind == "choice" and column.choices:
        for stored, label in column.choices:
            if text.lower() in (stored.lower(), label.lower()):
                return label
        offered = ", ".join(label for _, label in column.choices)
        raise ValueError(f"{raw!r} is not one of {column.label}'s values ({offered})")
    return text


def check(definition: Definition, columns: Sequence[ColumnDef], source_label: str) -> None:
    """Raises DefinitionError naming every part of the definition that is wrong."""
    by_key = {c.key: c for c in columns}
    errors: dict[str, list[str]] = {}

    def unknown(where: str, name: str) -> None:
        errors.setdefault(where, []).append(
            f"{name!r} is not a column of {source_label}")

    if not definition.columns:
        errors["columns"] = ["choose at least one column"]
    elif len(definition.columns) > MAX_COLUMNS:
        errors["columns"] = [f"choose at most {MAX_COLUMNS} columns"]
    for i, name in enumerate(definition.columns):
        if name not in by_key:
            unknown(f"columns[{i}]", name)
    if len(definition.conditions) > MAX_FILTERS:
        errors["filters"] = [f"use at most {MAX_FILTERS} filters"]
    for i, cond in enumerate(definition.conditions):
        column = by_key.get(cond.field)
        if column is None:
            unknown(f"filters[{i}].field", cond.field)
            continue
        allowed = OPERATORS_BY_KIND[column.kind]
        if cond.op not in allowed:
            words = ", ".join(OPERATORS[o] for o in allowed)
            errors[f"filters[{i}].op"] = [
                f"{column.label} can be filtered with: {words}"]
            continue
        if cond.op in NO_VALUE:
            continue
        if not cond.value.strip():
            errors[f"filters[{i}].value"] = [f"say what {column.label} is compared with"]
            continue
        try:
            parse_value(column, cond.value)
        except ValueError as exc:
            errors[f"filters[{i}].value"] = [str(exc)]
    if definition.group_by and definition.group_by not in by_key:
        unknown("group_by", definition.group_by)
    for i, name in enumerate(definition.totals):
        column = by_key.get(name)
        if column is None:
            unknown(f"totals[{i}]", name)
        elif column.kind != "number":
            errors[f"totals[{i}]"] = [f"{column.label} is not a number: it cannot be totalled"]
        elif name not in definition.columns:
            errors[f"totals[{i}]"] = [f"add {column.label} to the columns to total it"]
    if definition.sort and definition.sort.lstrip("-") not in by_key:
        unknown("sort", definition.sort.lstrip("-"))
    if errors:
        raise DefinitionError(errors)


def _comparable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _matches(value: Any, op: str, wanted: Any) -> bool:
    if op == "empty":
        return value in (None, "")
    if op == "set":
        return value not in (None, "")
    value = _comparable(value)
    if isinstance(wanted, str):
        text = "" if value is None else str(value).lower()
        if op == "contains":
            return wanted.lower() in text
        return (text == wanted.lower()) == (op == "eq")
    if op == "eq":
        return bool(value == wanted)
    if op == "ne":
        return bool(value != wanted)
    if value is None:
        return False
    return bool(value < wanted) if op == "lt" else bool(value > wanted)


def _sort_key(value: Any) -> tuple[int, Any]:
    value = _comparable(value)
    if value is None or value == "":
        return (1, "")
    if isinstance(value, str):
        return (0, value.lower())
    return (0, value)


def tabulate(columns: Sequence[ColumnDef], rows: Sequence[Mapping[str, Any]],
             definition: Definition, source_label: str = "the source") -> Table:
    """Filters, sorts, groups and totals ``rows`` (each a mapping of column key to value)."""
    check(definition, columns, source_label)
    by_key = {c.key: c for c in columns}
    tests = [(c.field, c.op, None if c.op in NO_VALUE else parse_value(by_key[c.field], c.value))
             for c in definition.conditions]
    kept = [r for r in rows if all(_matches(r.get(f), op, v) for f, op, v in tests)]
    if definition.sort:
        key = definition.sort.lstrip("-")
        blank = [r for r in kept if r.get(key) in (None, "")]  # last either way
        kept = sorted((r for r in kept if r.get(key) not in (None, "")),
                      key=lambda r: _sort_key(r.get(key)),
                      reverse=definition.sort.startswith("-")) + blank
    grouped_by = by_key.get(definition.group_by) if definition.group_by else None
    groups: dict[str, Group] = {}
    if grouped_by is not None:
        for r in sorted(kept, key=lambda r: _sort_key(r.get(grouped_by.key))):
            value = r.get(grouped_by.key)
            label = "(none)" if value in (None, "") else _label(value)
            groups.setdefault(label, Group(label))
    totals = {name: Decimal(0) for name in definition.totals}
    for r in kept:
        if grouped_by is None:
            group = groups.setdefault("", Group(""))
        else:
            value = r.get(grouped_by.key)
            group = groups["(none)" if value in (None, "") else _label(value)]
        group.rows.append([r.get(name) for name in definition.columns])
        for name in definition.totals:
            amount = _comparable(r.get(name))
            if isinstance(amount, Decimal):
                group.totals[name] = group.totals.get(name, Decimal(0)) + amount
                totals[name] += amount
    for group in groups.values():
        for name in definition.totals:
            group.totals.setdefault(name, Decimal(0))
    return Table(columns=[by_key[name] for name in definition.columns],
                 groups=list(groups.values()), totals=totals, grouped_by=grouped_by,
                 count=len(kept))


def _label(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
