"""A report's table as XLSX, CSV (formats/tabular.py: text that would run as a formula is
neutralised there) or PDF (fpdf2, as the status reports)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectoffice.engine.tabulate import Table
from projectoffice.errors import InvalidInput
from projectoffice.formats.tabular import XLSX_TYPE, write_csv, write_xlsx
from projectoffice.reports.pdf import latin, new_pdf

from .models import SavedReport


def flat(table: Table) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows for a spreadsheet: the group as the first column, a subtotal row per
    group and a total row when totals were chosen."""
    headers = [c.label for c in table.columns]
    grouped = table.grouped_by is not None
    if grouped:
        headers = [table.grouped_by.label, *headers]  # type: ignore[union-attr]
    rows: list[list[Any]] = []
    keys = [c.key for c in table.columns]

    def total_row(label: str, totals: dict[str, Decimal]) -> list[Any]:
        cells: list[Any] = [totals.get(k) for k in keys]
        if grouped:
            return [label, *cells]
        if cells and cells[0] is None:  # the label where no total stands
            cells[0] = label
        return cells

    for group in table.groups:
        rows += [[group.label, *r] if grouped else list(r) for r in group.rows]
        if grouped and table.totals:
            rows.append(total_row(f"Subtotal {group.label} ({group.count})", group.totals))
    if table.totals:
        rows.append(total_row(f"Total ({table.count})", table.totals))
    return headers, rows


def _filename(report: SavedReport, ext: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", report.name).strip("-").lower() or "report"
    return f"{slug}.{ext}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.strftime("%d %b %Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return str(value)


def pdf_bytes(report: SavedReport, table: Table) -> bytes:
    pdf = new_pdf(report.name)
    pdf.add_page(orientation="L" if len(table.columns) > 5 else "P")
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(pdf.epw, 8, latin(report.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(90, 90, 90)
    stamp = timezone.localtime().strftime("%d %b %Y %H:%M")
    pdf.multi_cell(pdf.epw, 5, latin(f"{table.count} rows · produced {stamp}"
                               + (f" · {report.description}" if report.description else "")),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    numeric = [c.kind == "number" for c in table.columns]
    align = tuple("RIGHT" if n else "LEFT" for n in numeric)
    for group in table.groups:
        if table.grouped_by is not None:
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(pdf.epw, 7, latin(f"{table.grouped_by.label}: {group.label} "
                                       f"({group.count})"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        with pdf.table(text_align=align, first_row_as_headings=True,
                       line_height=5) as grid:
            heading = grid.row()
            for c in table.columns:
                heading.cell(latin(c.label))
            for r in group.rows:
                row = grid.row()
                for value in r:
                    row.cell(latin(_cell(value)))
            if table.totals and table.grouped_by is not None:
                row = grid.row()
                for i, c in enumerate(table.columns):
                    row.cell("Subtotal" if i == 0 and c.key not in group.totals
                             else latin(_cell(group.totals.get(c.key))))
        pdf.ln(3)
    if table.totals:
        pdf.set_font("Helvetica", "B", 10)
        words = ", ".join(f"{c.label} {_cell(table.totals[c.key])}"
                          for c in table.columns if c.key in table.totals)
        pdf.multi_cell(pdf.epw, 6, latin(f"Total of {table.count} rows: {words}"),
                       new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render(report: SavedReport, table: Table, fmt: str) -> tuple[bytes, str, str]:
    """(content, MIME type, file name) of the table in ``fmt``."""
    if fmt == "pdf":
        return pdf_bytes(report, table), "application/pdf", _filename(report, "pdf")
    headers, rows = flat(table)
    if fmt == "csv":
        return write_csv(headers, rows), "text/csv; charset=utf-8", _filename(report, "csv")
    if fmt == "xlsx":
        return write_xlsx(report.name, headers, rows), XLSX_TYPE, _filename(report, "xlsx")
    raise InvalidInput.field("format", "use xlsx, csv or pdf")
