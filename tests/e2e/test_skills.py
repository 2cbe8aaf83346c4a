"""From a skills gap to a skill on the profile, in a real browser: a position requires a
skill its holder lacks, the gap proposes a training need for the holder's group, a course
teaching the skill answers it, the holder passes, and the skill shows on their profile at
the level the course teaches — and the gap is gone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projectoffice.orgdesign.registers import POSITIONS
from projectoffice.people import actions as people_actions
from projectoffice.registers import actions as register_actions
from projectoffice.training import actions as training_actions
from projectoffice.training.models import Course, TrainingSession
from tests.conftest import Office
from tests.e2e.test_issue_workflow import sign_in
from tests.engagement.helpers import engagement_setup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_gap_to_need_to_training_passed_to_skill_on_profile(page, live_server):
    office = Office()
    engaged = engagement_setup(office)
    holder = office.members["team_member"]
    position = register_actions.create_item(
        actor=office.members["org_designer"], spec=POSITIONS, project=office.project,
        data={"title": "CRM agent", "design": "future", "person": holder, "holder": "Tess",
              "impact": engaged["change-impacts"]})
    people_actions.create_skill(actor=office.pmo, name="CRM case handling", category="CRM")

    sign_in(page, live_server, "org_designer")
    page.goto(f"{live_server.url}/projects/MTX/positions/{position.reference}/")
    skills = page.locator("#skills")
    skills.get_by_label("Skill").select_option("CRM case handling")
    skills.get_by_label("Level").select_option("3")
    skills.get_by_role("button", name="Require skill").click()
    expect(page.locator("#skills .skill-list")).to_contain_text("CRM case handling")

    page.goto(f"{live_server.url}/projects/MTX/services/orgdesign/")
    page.get_by_role("link", name="Skills gaps").click()
    expect(page.locator("#by-person")).to_contain_text("CRM case handling 0 → 3")
    row = page.locator("#by-group tbody tr", has_text="CRM case handling")
    expect(row).to_contain_text("Call-centre agents")
    row.get_by_role("button", name="Propose training need").click()
    expect(page.locator(".alert.success")).to_contain_text("CRM case handling for "
                                                           "Call-centre agents")
    need = row.locator("a.ref")
    expect(need).to_have_text("TNE-0002")

    page.context.clear_cookies()
    sign_in(page, live_server, "training_manager")
    page.goto(f"{live_server.url}/projects/MTX/courses/new/")
    page.get_by_label("Title").fill("CRM basics")
    page.get_by_label("Training need").select_option(
        label="TNE-0002 CRM case handling for Call-centre agents")
    page.get_by_label("Skill taught").select_option(label="CRM case handling")
    page.get_by_label("Level taught").fill("3")
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CRM basics")
    expect(page.locator("#materials")).to_contain_text("Passing it gives CRM case handling")

    # A session the holder is enrolled on, which has begun (time passing is arranged,
    # whatever the time of day the test runs).
    course = Course.objects.get(title="CRM basics")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    session = training_actions.schedule_session(
        actor=office.members["training_manager"], course=course, starts_at=start,
        ends_at=start + dt.timedelta(hours=2), capacity=4, venue="Vendor's office")
    training_actions.enrol(actor=office.members["training_manager"], session=session,
                           person=holder)
    begun = timezone.now() - dt.timedelta(minutes=30)
    TrainingSession.objects.update(starts_at=begun, ends_at=begun + dt.timedelta(hours=2))
    page.goto(f"{live_server.url}/projects/MTX/training/sessions/{session.pk}/")
    page.get_by_label(f"Attended of 1: {holder}").fill("1")
    page.get_by_label(f"Result: {holder}").select_option("passed")
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator(".alert.success")).to_contain_text("Attendance recorded")

    page.context.clear_cookies()
    sign_in(page, live_server, "team_member")
    page.goto(f"{live_server.url}/people/team_member/")
    mine = page.locator("#skills .skill-list li", has_text="CRM case handling")
    expect(mine).to_contain_text("3 · Working")
    expect(mine).to_contain_text("training passed")
    page.goto(f"{live_server.url}/projects/MTX/organisation/skills/")
    expect(page.locator("#by-person")).to_contain_text("No gap")
    expect(page.locator("#by-group")).to_contain_text("No group is short of a skill")
