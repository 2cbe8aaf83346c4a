"""The report builder's table rules: filters, sorting, groups and totals, and a definition
refused part by part."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from projectoffice.engine.tabulate import (
    ColumnDef,
    Condition,
    Definition,
    DefinitionError,
    tabulate,
)

COLUMNS = [ColumnDef("ref", "Reference"), ColumnDef("cost", "Cost", "number"),
           ColumnDef("due", "Due", "date"),
           ColumnDef("status", "Status", "choice", (("open", "Open"), ("done", "Done"))),
           ColumnDef("late", "Late", "bool")]
ROWS = [
    {"ref": "A-1", "cost": Decimal("10"), "due": dt.date(2026, 1, 5), "status": "Open",
     "late": True},
    {"ref": "A-2", "cost": 5, "due": dt.date(2026, 3, 1), "status": "Done", "late": False},
    {"ref": "B-1", "cost": None, "due": None, "status": "Open", "late": False},
    {"ref": "B-2", "cost": 2.5, "due": dt.date(2026, 2, 1), "status": "Open", "late": True},
]


def test_filters_keep_rows_where_every_condition_holds() -> None:
    table = tabulate(COLUMNS, ROWS, Definition(
        columns=("ref",), conditions=(Condition("status", "eq", "open"),
                                      Condition("due", "lt", "2026-02-15"))))
    assert [r[0] for g in table.groups for r in g.rows] == ["A-1", "B-2"]
    assert tabulate(COLUMNS, ROWS, Definition(
        columns=("ref",), conditions=(Condition("cost", "empty"),))).count == 1
    assert tabulate(COLUMNS, ROWS, Definition(
        columns=("ref",), conditions=(Condition("ref", "contains", "b-"),))).count == 2
    assert tabulate(COLUMNS, ROWS, Definition(
        columns=("ref",), conditions=(Condition("late", "eq", "yes"),))).count == 2


def test_groups_carry_subtotals_and_the_table_a_total() -> None:
    table = tabulate(COLUMNS, ROWS, Definition(columns=("ref", "cost"), group_by="status",
                                               totals=("cost",), sort="-cost"))
    assert [g.label for g in table.groups] == ["Done", "Open"]
    open_group = table.groups[1]
    assert [r[0] for r in open_group.rows] == ["A-1", "B-2", "B-1"]  # empty sorts last
    assert open_group.totals["cost"] == Decimal("12.5")
    assert table.totals["cost"] == Decimal("17.5")
    assert table.grouped_by is not None and table.grouped_by.label == "Status"


def test_a_definition_is_refused_at_each_part_that_is_wrong() -> None:
    with pytest.raises(DefinitionError) as caught:
        tabulate(COLUMNS, ROWS, Definition(
            columns=("ref", "colour"),
            conditions=(Condition("size", "eq", "1"), Condition("cost", "contains", "1"),
                        Condition("due", "lt", "next week"), Condition("status", "eq", "x")),
            group_by="owner", totals=("ref",), sort="-weight"), "Risks")
    errors = caught.value.errors
    assert errors["columns[1]"] == ["'colour' is not a column of Risks"]
    assert errors["filters[0].field"] == ["'size' is not a column of Risks"]
    assert "Cost can be filtered with" in errors["filters[1].op"][0]
    assert "YYYY-MM-DD" in errors["filters[2].value"][0]
    assert "is not one of Status's values (Open, Done)" in errors["filters[3].value"][0]
    assert errors["group_by"] == ["'owner' is not a column of Risks"]
    assert "not a number" in errors["totals[0]"][0]
    assert errors["sort"] == ["'weight' is not a column of Risks"]
    with pytest.raises(DefinitionError, match="choose at least one column"):
        tabulate(COLUMNS, ROWS, Definition(columns=()))
