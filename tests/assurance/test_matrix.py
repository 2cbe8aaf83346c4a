"""The traceability matrix: links in either direction, gaps, CSV, and a query count that
does not grow with the project."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectoffice.assurance import actions, queries
from projectoffice.assurance.registers import DELIVERABLES, REQUIREMENTS, TEST_CASES
from projectoffice.registers import actions as kernel
from tests.conftest import Api, Office

pytestmark = pytest.mark.django_db


def world(office: Office, n: int) -> list[Any]:
    reqs = [kernel.create_item(actor=office.pm, spec=REQUIREMENTS, project=office.project,
                               data={"title": f"Requirement {i}"}) for i in range(n)]
    run = actions.create_run(actor=office.pm, project=office.project, name=f"Run {n}")
    for i, req in enumerate(reqs[:-1]):  # the last requirement has no test
        item = kernel.create_item(actor=office.pm, spec=TEST_CASES, project=office.project,
                                  data={"title": f"Case {i}",
                                        "requirement_references": req.reference})
        actions.record_execution(actor=office.pm, run=run, case=item,  # type: ignore[arg-type]
                                 result="passed" if i % 2 == 0 else "failed")
        deliverable = kernel.create_item(actor=office.pm, spec=DELIVERABLES,
                                         project=office.project, data={"title": f"D{i}"})
        if i % 2:  # either direction of the link counts
            kernel.link_items(actor=office.pm, item=deliverable, target_reference=req.reference)
        else:
            kernel.link_items(actor=office.pm, item=req, target_reference=deliverable.reference)
    kernel.create_item(actor=office.pm, spec=TEST_CASES, project=office.project,
                       data={"title": "Checks nothing in particular"})
    return reqs


def count_queries(office: Office) -> int:
    queries.traceability(office.project)  # content types cached
    with CaptureQueriesContext(connection) as ctx:
        queries.traceability(office.project)
    return len(ctx.captured_queries)


def test_matrix_rows_gaps_and_constant_queries(office: Office) -> None:
    reqs = world(office, 3)
    small = count_queries(office)
    matrix = queries.traceability(office.project)
    rows = {r.requirement.reference: r for r in matrix.rows}
    first, second, last = (rows[r.reference] for r in reqs)
    assert first.coverage == 1 and second.coverage == 0 and last.untested
    assert len(first.deliverables) == 1 and len(second.deliverables) == 1
    assert [d.reference for d in second.defects] == ["ISS-0002"] and not first.defects
    assert [c.title for c in matrix.orphan_cases] == ["Checks nothing in particular"]
    assert matrix.untested == 1 and matrix.fully_covered == 1
    world(office, 6)
    assert count_queries(office) == small


def test_matrix_page_api_and_csv(office: Office, client: Any) -> None:
    reqs = world(office, 3)
    client.force_login(office.members["quality_manager"])
    page = client.get("/projects/MTX/traceability/").content.decode()
    assert f'data-requirement="{reqs[-1].reference}" class="assurance-gap"' in page
    assert "Tests with no requirement" in page
    gaps = client.get("/projects/MTX/traceability/?gaps=1").content.decode()
    assert reqs[0].reference not in gaps.split('id="matrix"')[1].split("</table>")[0]
    response = client.get("/projects/MTX/traceability.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Requirement" and rows[1][0] == reqs[0].reference
    assert rows[1][7] == "100" and rows[3][9] == "no test"
    assert rows[-1][9] == "test with no requirement"
    body = Api(office.members["stakeholder"]).get("/projects/MTX/traceability").json()
    assert [r["untested"] for r in body["requirements"]] == [False, False, True]
    assert body["requirements"][0]["coverage"] == 100
    assert Api(office.outsider).get("/projects/MTX/traceability").status_code == 404
