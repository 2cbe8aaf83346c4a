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


def test_assess_readiness_and_raise_a_change_activity(page, live_server):
    from tests.engagement.helpers import engagement_setup

    office = Office()
    world = engagement_setup(office)
    sign_in(page, live_server, "change_manager")
    page.goto(f"{live_server.url}/projects/MTX/services/orgchange/")
    page.get_by_role("link", name="Readiness", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness")
    page.get_by_label("Group *").select_option(label="Call-centre agents")
    for label, score in (("Awareness", "4"), ("Desire", "3"), ("Knowledge", "9"),
                         ("Ability", "2"), ("Reinforcement", "1")):
        page.get_by_label(f"{label} (1–5) *").fill(score)
    page.get_by_role("button", name="Record assessment").click()
    expect(page.locator(".field.has-error")).to_contain_text("must be from 1 to 5")
    page.get_by_label("Knowledge (1–5) *").fill("2")
    page.get_by_role("button", name="Record assessment").click()
    expect(page.locator(".alert.success")).to_contain_text("Readiness of Call-centre agents")
    cell = page.locator('g.heat-cell[data-dimension="ability"]')
    expect(cell).to_have_attribute("data-score", "2")

    page.goto(f"{live_server.url}/projects/MTX/change-impacts/"
              f"{world['change-impacts'].reference}/")
    page.get_by_text("Add a change activity…").click()
    page.locator("#activity-kind").select_option("champions")
    page.get_by_label("What *").fill("Name a champion per team")
    page.get_by_role("button", name="Raise the action").click()
    expect(page.locator(".alert.success")).to_contain_text("ACT-0002 raised")
    expect(page.locator("#activities li")).to_contain_text("Champions: Name a champion")

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("engagement/map/", "engagement/calendar/", "engagement/readiness/",
                 "engagement/effectiveness/"):
        page.goto(f"{live_server.url}/projects/MTX/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
