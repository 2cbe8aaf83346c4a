"""The architect adds an interface between two components and sees it on the component
diagram; a decision record is superseded from its page — in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projectoffice.architecture.registers import COMPONENTS, DECISION_RECORDS
from projectoffice.registers import actions as kernel
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_interface_on_the_diagram_and_a_supersession(page, live_server):
    office = Office()
    architect = office.members["architect"]
    for title, kind in (("Customer portal", "application"), ("Customer API", "service"),
                        ("Customer database", "data_store")):
        kernel.create_item(actor=architect, spec=COMPONENTS, project=office.project,
                           data={"title": title, "component_type": kind})
    old = kernel.create_item(actor=architect, spec=DECISION_RECORDS, project=office.project,
                             data={"title": "One shared database"})
    kernel.transition_item(actor=architect, item=old, transition="accept", version=1)
    kernel.create_item(actor=architect, spec=DECISION_RECORDS, project=office.project,
                       data={"title": "A database per service"})

    sign_in(page, live_server, "architect")
    page.goto(f"{live_server.url}/projects/MTX/services/architecture/")
    page.get_by_role("link", name="Solution components").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Solution components")
    page.goto(f"{live_server.url}/projects/MTX/components/CMP-0001/")
    page.get_by_label("To", exact=True).select_option(label="CMP-0002 Customer API")
    page.get_by_label("Name").fill("Customer lookups")
    page.get_by_label("Protocol").fill("REST")
    page.get_by_role("button", name="Add interface").click()
    expect(page.locator("#interfaces")).to_contain_text("Customer lookups")
    page.get_by_role("link", name="See the component diagram").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Component diagram")
    diagram = page.locator(".arch-diagram svg")
    expect(diagram.locator("line")).to_have_count(1)
    expect(diagram).to_contain_text("Customer lookups · REST")
    expect(diagram).to_contain_text("Customer database")

    page.goto(f"{live_server.url}/projects/MTX/adrs/ADR-0001/")
    page.get_by_label("Superseded by").select_option(label="ADR-0002 A database per service")
    page.get_by_role("button", name="Record the supersession").click()
    expect(page.locator(".workflow .current")).to_have_text("Superseded")
    page.get_by_role("link", name="ADR-0002 A database per service").click()
    expect(page.locator("#supersession")).to_contain_text("Supersedes ADR-0001")
