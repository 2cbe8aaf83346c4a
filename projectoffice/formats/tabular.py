"""CSV and XLSX tables, for exporting any register or list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from projectoffice.errors import InvalidInput

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _text(v) for v in row])
    # A byte-order mark lets spreadsheet programs detect UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode()


# A cell starting with one of these runs as a formula when a spreadsheet opens the file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text as a spreadsheet shows it and never runs it: a leading quote before a formula.
    Every export (CSV and XLSX) writes text through this one function."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _text(value: Any) -> str:
    return neutralise(value.isoformat() if isinstance(value, dt.date) else str(value))


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(value)
    return value


def write_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row in rows:
        values = [_xlsx_value(v) for v in row]
        ws.append(values)
        widths = [max(w, min(60, len(str(v or "")))) for w, v in zip(widths, values, strict=False)]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_response(
    name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(write_csv(headers, rows), content_type="text/csv; charset=utf-8")
        ext = "csv"
    elif fmt == "xlsx":
        response = HttpResponse(write_xlsx(name, headers, rows), content_type=XLSX_TYPE)
        ext = "xlsx"
    else:
        raise InvalidInput.field("format", "use csv or xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response


MAX_IMPORT_ROWS = 5000


def read_table(data: bytes, filename: str) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of an uploaded CSV (UTF-8, with or without BOM; comma or semicolon)
    or XLSX (first sheet). Fully blank rows are dropped; row numbers stay the caller's
    concern (row i of the result is line i + 2 of the file)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise InvalidInput.field("file", "is not a readable XLSX workbook") from exc
        ws = wb.worksheets[0]
        table = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
    elif name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput.field("file", "is not UTF-8 text") from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        table = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    else:
        raise InvalidInput.field("file", "send a .csv or .xlsx file")
    if not table:
        raise InvalidInput.field("file", "is empty")
    headers = [str(h or "").strip() for h in table[0]]
    rows = [r for r in table[1:] if any(v not in (None, "") for v in r)]
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidInput.field("file", f"has more than {MAX_IMPORT_ROWS} rows")
    return headers, rows
