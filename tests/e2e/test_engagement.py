"""Planning a communication, sending it by e-mail, and a recipient confirming reading it and
answering its survey through their signed link, signed out — in a real browser."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from projectoffice.engagement.registers import STAKEHOLDERS
from projectoffice.registers import actions as register_actions
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_send_acknowledge_and_answer(page, live_server):
    office = Office()
    for title, email, kind in (("Store managers", "stores@example.org", "group"),
                               ("Sales director", "sales@example.org", "person")):
        register_actions.create_item(actor=office.pm, spec=STAKEHOLDERS,
                                     project=office.project,
                                     data={"title": title, "email": email, "kind": kind,
                                           "power": 4, "interest": 5})
    mail.outbox.clear()

    sign_in(page, live_server, "communications")
    page.goto(f"{live_server.url}/projects/MTX/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Stakeholders & comms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stakeholders & comms")
    page.get_by_role("link", name="Stakeholder map").click()
    expect(page.locator("svg.engagement-grid g.stakeholder")).to_have_count(2)
    page.goto(f"{live_server.url}/projects/MTX/services/engagement/")
    page.get_by_role("link", name="Communication plan").click()
    page.get_by_role("link", name="New communication").click()
    page.get_by_label("Title").fill("Go-live briefing")
    page.get_by_label("Key message").fill("The new system arrives on Monday.")
    page.get_by_label("Channel").select_option("email")
    page.get_by_label("First on").fill("2026-03-02")
    page.get_by_role("button", name="Create communication").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Go-live briefing")

    page.get_by_text("Change the audience…").click()
    page.get_by_label("Store managers").check()
    page.get_by_label("Sales director").check()
    page.get_by_role("button", name="Save audience").click()
    expect(page.locator(".engagement-audience li")).to_have_count(2)

    page.get_by_text("Send by e-mail…").click()
    page.get_by_label("Question").fill("How clear was this briefing?")
    page.get_by_role("button", name="Send now").click()
    expect(page.locator(".alert.success")).to_contain_text("e-mailed to 2 recipients")
    assert sorted(m.to[0] for m in mail.outbox) == ["sales@example.org",
                                                    "stores@example.org"]
    link = re.search(r"(/reply/\S+/)", mail.outbox[0].body).group(1)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Go-live briefing")
    expect(page.locator(".engagement-message")).to_contain_text("arrives on Monday")
    page.get_by_role("button", name="I have read this").click()
    expect(page.get_by_role("status")).to_contain_text("confirmation is recorded")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".errorlist")).to_contain_text("choose a rating from 1 to 5")
    page.get_by_label("4 · Very useful").check()
    page.get_by_label("Comment (optional)").fill("Clear and short.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for your answer")
    expect(page.get_by_role("button", name="Send my answer")).to_have_count(0)

    sign_in(page, live_server, "communications")
    page.goto(f"{live_server.url}/projects/MTX/engagement/effectiveness/")
    expect(page.locator('[data-figure="response-rate"]')).to_have_text("50 %")
    expect(page.locator('[data-figure="mean-rating"]')).to_have_text("4.0")
    # Sent today: the calendar shows it sent, and its planned date in March no longer waits.
    page.goto(f"{live_server.url}/projects/MTX/engagement/calendar/")
    expect(page.locator('.engagement-entry[data-kind="sent"]')).to_contain_text(
        "Go-live briefing")
    page.goto(f"{live_server.url}/projects/MTX/engagement/calendar/?month=2026-03")
    expect(page.locator(".engagement-entry")).to_have_count(0)
