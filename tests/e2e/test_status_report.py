"""A status report in a real browser: the project manager writes and submits it, the
Project Office returns it, accepts it and publishes it, and the PDF is downloaded and its
pages rendered as images and checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from projectoffice.planning import actions as plan_actions
from tests.conftest import PASSWORD, Office
from tests.planning.helpers import SIMPLE, build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good day")


def pdf_pages_as_images(pdf: Path, out: Path) -> list[Path]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    images = []
    for n in range(len(document)):
        image = document[n].render(scale=1.5).to_pil()
        path = out / f"{pdf.stem}-page-{n + 1}.png"
        image.save(path)
        images.append(path)
    return images


def test_write_submit_review_publish_and_read_the_pdf(page, live_server, tmp_path):
    office = Office()
    build(office.pm, office.project, SIMPLE)
    plan_actions.save_baseline(actor=office.pm, project=office.project, number=0)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/")
    page.get_by_role("link", name="Reporting").first.click()
    page.get_by_role("link", name="Status reports").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Status reports")
    page.get_by_role("button", name="Write the report for").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Status report:")

    page.get_by_label("Commentary: summary").fill("Design is done; see RSK-0042.")
    page.get_by_role("button", name="Save the report").click()
    # A section naming an item the project does not have: an error at the field.
    expect(page.locator("#commentary_summary-error")).to_contain_text("RSK-0042 is not an item")
    page.get_by_label("Commentary: summary").fill(
        "Design is complete and the build has started on time.")
    page.get_by_label("Declared RAG: Cost").select_option("amber")
    page.get_by_label("Commentary: risks and issues").fill(
        f"{office.raid['risks'].reference} is watched weekly with the supplier.")
    page.get_by_role("button", name="Save the report").click()
    expect(page.locator(".alert").first).to_contain_text("Report saved")
    page.get_by_role("button", name="Submit to the Project Office").click()
    expect(page.locator(".subtitle .badge")).to_have_text("Submitted for review")
    report_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "pmo_manager")
    page.goto(f"{live_server.url}/status-reports/")
    page.get_by_role("link", name="MTX · Matrix project").click()
    page.get_by_role("button", name="Return with comments").click()
    expect(page.locator(".alert").first).to_contain_text("say what the project manager")
    page.get_by_label("Review comments").fill("Good report.")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator(".subtitle .badge")).to_have_text("Accepted")
    page.get_by_role("button", name="Publish and e-mail").click()
    expect(page.locator(".subtitle .badge")).to_have_text("Published")
    assert page.url == report_url

    # The published report on the dashboard and the programme page (both checked by axe).
    page.get_by_role("link", name="Dashboard & reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio dashboard")
    expect(page.locator(".reports-matrix tbody tr").first).to_contain_text("MTX")
    expect(page.locator(".reports-matrix tbody tr").first.locator(".reports-rag").nth(2)) \
        .to_contain_text("Amber")
    page.get_by_role("link", name="PRG Programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    expect(page.locator("figure svg")).to_have_count(1)
    page.goto(report_url)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "status-report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    out = Path(os.environ.get("REPORT_PAGES_DIR", str(tmp_path)))
    out.mkdir(parents=True, exist_ok=True)
    images = pdf_pages_as_images(pdf, out)
    assert images
    from PIL import Image, ImageStat

    first = Image.open(images[0]).convert("L")
    assert first.width > 800 and first.height > first.width  # an A4 portrait page
    # The page is not blank: ink covers part of it, and its top carries the title.
    assert ImageStat.Stat(first).stddev[0] > 20
    top = first.crop((0, 0, first.width, first.height // 8))
    assert ImageStat.Stat(top).extrema[0][0] < 80  # dark text at the top
    # The RAG cells are coloured: the declared amber of the cost row is on the first page.
    colour = Image.open(images[0]).convert("RGB")
    amber = sum(1 for px in colour.get_flattened_data()
                if px[0] > 200 and 120 < px[1] < 170 and px[2] < 40)
    assert amber > 200
