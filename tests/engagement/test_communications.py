"""Stakeholders, the communication plan, sending with signed links, acknowledgements and
surveys."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client

from projectoffice.engagement import actions, queries
from projectoffice.engagement.models import Recipient, SurveyResponse
from projectoffice.engagement.registers import COMMUNICATIONS, STAKEHOLDERS
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.registers import actions as register_actions
from tests.conftest import PASSWORD, Api
from tests.engagement.helpers import engagement_setup


@pytest.fixture
def world(office: Any) -> dict[str, Any]:
    return engagement_setup(office)


def _links(outbox: list[Any]) -> dict[str, str]:
    found = {}
    for message in outbox:
        match = re.search(r"(/reply/[^/\s]+/)", message.body)
        assert match, message.body
        found[message.to[0]] = match.group(1)
    return found


def test_scores_outside_the_scale_are_refused_at_the_field(office: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_actions.create_item(actor=office.pm, spec=STAKEHOLDERS,
                                     project=office.project,
                                     data={"title": "Board", "power": 6})
    assert "power" in caught.value.errors


def test_a_person_has_no_headcount(office: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        register_actions.create_item(actor=office.pm, spec=STAKEHOLDERS,
                                     project=office.project,
                                     data={"title": "Jo", "kind": "person", "headcount": 3})
    assert "headcount" in caught.value.errors


def test_the_audience_is_of_the_communications_own_project(office: Any,
                                                           world: dict[str, Any]) -> None:
    stranger = register_actions.create_item(actor=office.pmo, spec=STAKEHOLDERS,
                                            project=office.other, data={"title": "Elsewhere"})
    comm = world["communications"]
    with pytest.raises(InvalidInput) as caught:
        actions.set_audience(actor=office.pm, communication=comm, version=comm.version,
                             stakeholders=[stranger])
    assert "another project" in caught.value.errors["audience"][0]
    assert queries.audience_ids(comm) == {world["stakeholders"].pk, world["group"].pk}


def test_only_communications_roles_send(office: Any, world: dict[str, Any]) -> None:
    with pytest.raises(Forbidden):
        actions.send_communication(actor=office.members["team_member"],
                                   communication=world["communications"])
    sent = actions.send_communication(actor=office.members["communications"],
                                      communication=world["communications"])
    assert sent.recipients.count() == 2


def test_send_mails_each_recipient_a_link_that_works_signed_out(
        office: Any, world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = actions.send_communication(
            actor=office.pm, communication=world["communications"],
            addresses=["extra@example.org", "SALES@example.org"],
            survey_question="How useful was this?", today=dt.date(2026, 3, 2))
    assert sorted(m.to[0] for m in mail.outbox) == ["agents@example.org",
                                                    "extra@example.org", "sales@example.org"]
    links = _links(mail.outbox)
    anonymous = Client()
    page = anonymous.get(links["sales@example.org"])
    assert page.status_code == 200
    assert b"The new CRM arrives in May." in page.content
    assert b"Matrix project" in page.content and b"MTX" not in page.content
    assert anonymous.post(links["sales@example.org"], {"do": "ack"}).status_code == 200
    answered = anonymous.post(links["agents@example.org"],
                              {"do": "survey", "rating": "4", "comment": "Clear"})
    assert answered.status_code == 200 and b"Thank you" in answered.content
    row = queries.send_rows(office.project)[0]
    assert row.send.pk == sent.pk
    assert (row.reception.recipients, row.reception.acknowledged,
            row.reception.responses) == (3, 2, 1)
    assert row.reception.mean_rating == 4.0
    assert SurveyResponse.objects.get().recipient.email == "agents@example.org"


def test_a_second_answer_and_a_bad_rating_are_refused(office: Any,
                                                      world: dict[str, Any]) -> None:
    sent = actions.send_communication(actor=office.pm, communication=world["communications"],
                                      survey_question="Useful?", anonymous=True)
    recipient = sent.recipients.first()
    token = actions.link_token(recipient)
    with pytest.raises(InvalidInput) as caught:
        actions.answer_survey(token=token, rating="9")
    assert "rating" in caught.value.errors
    response = actions.answer_survey(token=token, rating=2, comment="Too long")
    assert response.recipient is None  # anonymous: kept apart from the recipient
    with pytest.raises(Conflict):
        actions.answer_survey(token=token, rating=5)
    assert SurveyResponse.objects.count() == 1
    assert Recipient.objects.get(pk=recipient.pk).acknowledged_at is not None


def test_a_tampered_link_is_not_found_and_shows_nothing(office: Any,
                                                        world: dict[str, Any]) -> None:
    sent = actions.send_communication(actor=office.pm, communication=world["communications"])
    token = actions.link_token(sent.recipients.first())
    with pytest.raises(NotFound):
        actions.recipient_of(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    forged = signing.dumps(sent.recipients.first().pk, salt="another-purpose")
    page = Client().get(f"/reply/{forged}/")
    assert page.status_code == 404 and b"not valid" in page.content
    assert b"CRM" not in page.content


def test_no_recipient_no_send_and_nothing_written(office: Any) -> None:
    comm = register_actions.create_item(actor=office.pm, spec=COMMUNICATIONS,
                                        project=office.project,
                                        data={"title": "Empty", "message": "Hello"})
    with pytest.raises(InvalidInput) as caught:
        actions.send_communication(actor=office.pm, communication=comm)
    assert "addresses" in caught.value.errors
    with pytest.raises(InvalidInput):
        actions.send_communication(actor=office.pm, communication=comm,
                                   addresses=["not an address"])
    assert not comm.sends.exists()


def test_recorded_elsewhere_reaches_the_audience_without_acknowledgements(
        office: Any, world: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        actions.record_sent_elsewhere(actor=office.pm, communication=world["communications"],
                                      sent_on=dt.date(2026, 3, 9), today=dt.date(2026, 3, 2))
    actions.record_sent_elsewhere(actor=office.pm, communication=world["communications"],
                                  sent_on=dt.date(2026, 3, 2), channel="briefing",
                                  note="Town hall", today=dt.date(2026, 3, 2))
    row = queries.send_rows(office.project)[0]
    assert (row.reception.recipients, row.reception.acknowledged) == (2, 0)
    assert row.send.get_channel_display() == "Briefing"


def test_calendar_marks_planned_dates_sent_and_late(office: Any,
                                                    world: dict[str, Any]) -> None:
    actions.record_sent_elsewhere(actor=office.pm, communication=world["communications"],
                                  sent_on=dt.date(2026, 3, 3), today=dt.date(2026, 3, 3))
    entries = queries.calendar(office.project, dt.date(2026, 3, 1), dt.date(2026, 5, 31),
                               today=dt.date(2026, 4, 10))
    planned = [(e.day, e.late) for e in entries if e.kind == "planned"]
    assert planned == [(dt.date(2026, 4, 2), True), (dt.date(2026, 5, 2), False)]
    assert [e.day for e in entries if e.kind == "sent"] == [dt.date(2026, 3, 3)]


def test_pages_and_api(office: Any, world: dict[str, Any]) -> None:
    client = Client()
    assert client.login(username="team_member", password=PASSWORD)
    for url in ("/projects/MTX/engagement/map/", "/projects/MTX/engagement/calendar/",
                "/projects/MTX/engagement/effectiveness/",
                "/projects/MTX/services/engagement/",
                f"/projects/MTX/communications/{world['communications'].reference}/",
                f"/projects/MTX/stakeholders/{world['stakeholders'].reference}/"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/projects/MTX/engagement/map/").content.decode()
    assert "Manage closely" in page and 'data-reference="STK-0001"' in page
    # A team member reads but does not send.
    assert b"Send by e-mail" not in client.get(
        f"/projects/MTX/communications/{world['communications'].reference}/").content
    outsider = Client()
    assert outsider.login(username="outsider", password=PASSWORD)
    assert outsider.get("/projects/MTX/engagement/map/").status_code == 404
    api = Api(office.members["communications"])
    ref = world["communications"].reference
    sent = api.post(f"/projects/MTX/communications/{ref}/send",
                    {"survey_question": "Useful?"})
    assert sent.status_code == 201, sent.content
    assert sent.json()["recipients"] == 2
    grid = api.get("/projects/MTX/stakeholder-map").json()["stakeholders"]
    assert {s["quadrant"] for s in grid} == {"Manage closely", "Keep informed"}
    bad = api.post(f"/projects/MTX/communications/{ref}/audience",
                   {"version": 1, "stakeholders": ["STK-0999"]})
    assert bad.status_code == 422 and "stakeholders" in bad.json()["errors"]


def test_sending_from_the_page_shows_errors_at_the_form(office: Any,
                                                        world: dict[str, Any]) -> None:
    client = Client()
    assert client.login(username="communications", password=PASSWORD)
    ref = world["communications"].reference
    bad = client.post(f"/projects/MTX/engagement/communications/{ref}/send/",
                      {"subject": "Hi", "body": "Text", "addresses": "nope"})
    assert bad.status_code == 422 and b"is not an e-mail address" in bad.content
    good = client.post(f"/projects/MTX/engagement/communications/{ref}/send/",
                       {"subject": "Hi", "body": "Text", "survey": "on",
                        "survey_question": "Useful?"})
    assert good.status_code == 302
    assert world["communications"].sends.get().has_survey
