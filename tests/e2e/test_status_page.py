"""The project manager publishes the status page, it opens signed out through its link, and
after the link is revoked the same link answers 404 — in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_publish_open_signed_out_and_revoke(page, live_server):
    Office()
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/services/website/")
    page.get_by_role("link", name="Status page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Status page")
    expect(page.locator("#not-published")).to_be_visible()
    page.get_by_label("Headline").fill("Go-live on track")
    page.get_by_label("Status message").fill("Acceptance tests start on Monday.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert.success")).to_contain_text("saved")
    page.get_by_role("button", name="Publish").click()
    link = page.locator("#public-link")
    expect(link).to_be_visible()
    url = link.get_attribute("href")
    assert url and "/status/" in url

    page.context.clear_cookies()
    response = page.goto(url)
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Matrix project")
    expect(page.locator(".sp-headline")).to_have_text("Go-live on track")
    expect(page.get_by_text("Acceptance tests start on Monday.")).to_be_visible()
    expect(page.locator("a")).to_have_count(0)

    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/status-page/")
    page.get_by_role("button", name="Revoke the link").click()
    expect(page.locator(".alert.success")).to_contain_text("revoked")
    expect(page.locator("#not-published")).to_be_visible()

    page.context.clear_cookies()
    response = page.goto(url)
    assert response is not None and response.status == 404


def test_programme_page_with_announcement_and_document(page, live_server):
    from tests.website.test_status_page import approved_version

    office = Office()
    approved_version(office, "Quarterly newsletter", b"Quarter news for all")
    sign_in(page, live_server, "web_master")
    page.goto(f"{live_server.url}/programmes/PRG/status-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme status page")
    page.get_by_label("Headline").fill("The programme is on course")
    page.get_by_label("MTX Matrix project").check()
    page.get_by_label("Quarterly newsletter").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert.success")).to_contain_text("saved")
    page.get_by_label("Title", exact=True).fill("Open day on the 12th")
    page.get_by_label("Text", exact=True).fill("Come and see the new portal.")
    page.get_by_role("button", name="Post the announcement").click()
    expect(page.locator(".alert.success")).to_contain_text("posted")
    page.get_by_role("button", name="Publish").click()
    link = page.locator("#public-link")
    expect(link).to_be_visible()
    url = link.get_attribute("href")
    assert url and "/status/" in url

    page.context.clear_cookies()
    response = page.goto(url)
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    expect(page.locator(".sp-headline").first).to_have_text("The programme is on course")
    expect(page.get_by_text("Open day on the 12th")).to_be_visible()
    expect(page.locator(".sp-project")).to_have_count(1)
    expect(page.locator(".sp-project")).to_contain_text("Matrix project")
    document = page.get_by_role("link", name="Quarterly newsletter")
    expect(page.locator("a")).to_have_count(1)
    with page.expect_download() as got:
        document.click()
    with open(got.value.path(), "rb") as fh:
        assert fh.read() == b"Quarter news for all"

    sign_in(page, live_server, "web_master")
    page.goto(f"{live_server.url}/programmes/PRG/status-page/")
    page.get_by_role("button", name="Revoke the link").click()
    expect(page.locator(".alert.success")).to_contain_text("revoked")
    page.context.clear_cookies()
    response = page.goto(url)
    assert response is not None and response.status == 404
