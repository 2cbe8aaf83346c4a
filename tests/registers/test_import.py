"""CSV/XLSX import of any register: all rows or none, errors by row and field."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from projectoffice.audit.models import AuditEntry
from projectoffice.controls.models import Risk
from tests.conftest import PASSWORD

GOOD_AND_BAD = (b"Title,Owner,Inherent probability,Inherent impact on cost,Category\n"
                b"Key supplier fails,project_manager,3,4,Commercial\n"
                b"Data centre flood,project_manager,9,2,technical\n"
                b"Staff turnover,nobody,2,2,people\n")


def upload(api: Any, path: str, name: str, data: bytes) -> Any:
    return api.client.post(f"/api/v1{path}", {"file": SimpleUploadedFile(name, data)},
                           HTTP_AUTHORIZATION=f"Bearer {api.token}")


def test_one_bad_row_changes_nothing_and_names_row_and_field(office: Any, api_as: Any) -> None:
    pm = api_as(office.pm)
    before = (Risk.objects.count(), AuditEntry.objects.count())
    r = upload(pm, "/projects/MTX/risks/import", "risks.csv", GOOD_AND_BAD)
    assert r.status_code == 422
    assert r.json()["errors"] == {"row 3.inherent_probability": ["must be between 1 and 5"],
                                  "row 4.owner": ["no active user 'nobody'"]}
    assert (Risk.objects.count(), AuditEntry.objects.count()) == before


def test_a_good_file_imports_every_row_and_the_page_lists_errors(office: Any,
                                                                 api_as: Any) -> None:
    pm = api_as(office.pm)
    good = GOOD_AND_BAD.replace(b",9,", b",5,").replace(b"nobody", b"")
    r = upload(pm, "/projects/MTX/risks/import", "risks.csv", good)
    assert r.status_code == 201, r.content
    assert r.json()["created"] == 3
    risk = Risk.objects.get(reference=r.json()["references"][0])
    assert (risk.category, risk.inherent_score, risk.owner) == ("commercial", 12, office.pm)
    # An export imports back (its reference/status columns are skipped).
    exported = pm.get("/projects/MTX/risks/export?format=xlsx").content
    r = upload(pm, "/projects/MTX/risks/import", "export.xlsx", exported)
    assert r.status_code == 201 and r.json()["created"] == 4

    wb = Workbook()
    ws = wb.active
    ws.append(["Title", "Validate by"])
    ws.append(["Budget confirmed", "not a date"])
    buffer = io.BytesIO()
    wb.save(buffer)
    pm.client.login(username="project_manager", password=PASSWORD)
    page = pm.client.post("/projects/MTX/assumptions/import/", {
        "file": SimpleUploadedFile("a.xlsx", buffer.getvalue())}).content.decode()
    assert "Nothing was imported" in page and "validate_by" in page and "Row 2" in page
