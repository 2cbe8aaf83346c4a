"""The Gantt chart as PNG and PDF, converted on the server from the page's SVG."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from projectoffice.planning import chart_export, gantt, queries
from tests.conftest import PASSWORD

from .helpers import SIMPLE, build


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_png_from_the_page_and_the_api(office, api_as) -> None:
    build(office.pm, office.project, SIMPLE)
    page = client_for(office.members["stakeholder"]).get(
        "/projects/MTX/plan/export/png/?zoom=day")
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    assert page.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert 'filename="MTX-gantt.png"' in page["Content-Disposition"]
    image = Image.open(io.BytesIO(page.content))
    image.load()
    view = queries.plan_view(office.project)
    svg = gantt.render_svg(view, view.rows, "day")
    chart_width = int(svg.split('width="', 1)[1].split('"', 1)[0])
    # Twice the chart's size, plus the column of task names and the title.
    assert image.size == (2 * (chart_export.LABEL_WIDTH + chart_width),
                          2 * (chart_export.TITLE_HEIGHT + gantt.HEAD + 4 * gantt.ROW + 4))
    # The critical bars are drawn in the critical colour, the picture is not blank.
    colours = {c for _, c in image.convert("RGB").getcolors(1_000_000)}
    assert (214, 69, 69) in colours and len(colours) > 20
    api = api_as(office.members["team_member"])
    r = api.get("/projects/MTX/plan/export?format=png&zoom=week")
    assert r.status_code == 200 and r.content[:4] == b"\x89PNG"
    assert Image.open(io.BytesIO(r.content)).size[0] < image.size[0]


def test_pdf_pages_keep_the_task_names(office, api_as) -> None:
    rows = [{"name": f"Work package {n}", "duration": "2d",
             **({"predecessors": str(n - 1)} if n > 1 else {})} for n in range(1, 61)]
    build(office.pm, office.project, [*SIMPLE, *rows])
    pm = api_as(office.pm)
    r = pm.get("/projects/MTX/plan/export?format=pdf&paper=A4&zoom=month")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) >= 2  # 64 rows do not fit on one A4 page
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Design" in text and "Release" in text and "Work package 60" in text
    assert "MTX" in reader.pages[0].extract_text()
    assert f"page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    a3 = PdfReader(io.BytesIO(client_for(office.pm).get(
        "/projects/MTX/plan/export/pdf/?paper=A3").content))
    assert round(float(a3.pages[0].mediabox.width)) == 1191
    assert len(a3.pages) < len(reader.pages) or len(a3.pages) == 1
    bad = pm.get("/projects/MTX/plan/export?format=pdf&paper=A0")
    assert bad.status_code == 422


def test_collapsed_summaries_are_left_out_of_the_picture(office) -> None:
    build(office.pm, office.project, [
        {"name": "Phase one", "duration": "1d"},
        {"name": "Hidden step", "duration": "3d", "level": 2},
        {"name": "After", "duration": "1d", "level": 1}])
    client = client_for(office.pm)
    client.post("/projects/MTX/plan/toggle/", {"uid": 1})
    pdf = PdfReader(io.BytesIO(client.get("/projects/MTX/plan/export/pdf/").content))
    text = pdf.pages[0].extract_text()
    assert "Phase one" in text and "After" in text and "Hidden step" not in text


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_chart_of_a_project_without_plan(office, fmt) -> None:
    r = client_for(office.pm).get(f"/projects/MTX/plan/export/{fmt}/")
    assert r.status_code == 200 and len(r.content) > 100


def test_a_chart_too_large_for_a_picture_is_refused_with_advice(office, api_as) -> None:
    rows = [{"name": f"Long step {n}", "duration": "40d",
             **({"predecessors": str(n - 1)} if n > 1 else {})} for n in range(1, 121)]
    build(office.pm, office.project, rows)
    pm = api_as(office.pm)
    r = pm.get("/projects/MTX/plan/export?format=png&zoom=day")
    assert r.status_code == 422 and "PDF" in r.json()["errors"]["format"][0]
    small = pm.get("/projects/MTX/plan/export?format=png&zoom=quarter")
    assert small.status_code == 200
    width, height = Image.open(io.BytesIO(small.content)).size
    assert width * height <= chart_export.MAX_AREA * 1.01  # sides are rounded up
