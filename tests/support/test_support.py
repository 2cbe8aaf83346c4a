"""The support desk and asset register: raising and routing tickets, service-level clocks
and their warnings, internal notes kept from the requester, closing with a rating, the
knowledge base, check-outs within seats and licence alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import Comment, Notification, NotificationKind
from projectoffice.support import actions, queries
from projectoffice.support.models import Asset, AssetCheckout, Ticket, TicketNote
from projectoffice.support.registers import ASSETS
from tests.conftest import PASSWORD, Api, Office

# A Wednesday mid-morning, local time: the standard calendar's working hours are 8-12, 13-17.
WEDNESDAY = timezone.make_aware(dt.datetime(2026, 3, 4, 9, 0))


def _asset(office: Office, project: Any = None, **data: Any) -> Asset:
    asset = kernel.create_item(actor=office.pmo, spec=ASSETS, project=project or office.project,
                               data={"title": "Jira licences", "asset_type": "licence",
                                     "seats": 2, "owner": office.pm, **data})
    assert isinstance(asset, Asset)
    return asset


def _ticket(office: Office, **data: Any) -> Ticket:
    ticket = actions.raise_ticket(actor=office.members["team_member"], project=office.project,
                                  data={"title": "Cannot log in", "priority": "high", **data})
    Ticket.objects.filter(pk=ticket.pk).update(opened_at=WEDNESDAY)
    return Ticket.objects.get(pk=ticket.pk)


def test_a_ticket_is_routed_to_the_support_team(office: Office) -> None:
    ticket = _ticket(office, category="access")
    assert ticket.reference == "TKT-0001" and ticket.status == "new"
    told = Notification.objects.filter(object_id=ticket.pk, kind=NotificationKind.ASSIGNED,
                                       content_type=ContentType.objects.get_for_model(Ticket))
    assert [n.recipient.username for n in told] == ["support"]


def test_an_asset_of_another_project_is_refused_and_nothing_is_written(office: Office) -> None:
    elsewhere = _asset(office, project=office.other, title="Other project's server",
                       owner=None)
    with pytest.raises(InvalidInput) as caught:
        actions.raise_ticket(actor=office.members["team_member"], project=office.project,
                             data={"title": "Broken", "asset": elsewhere})
    assert "asset" in caught.value.errors
    assert "Other project" not in str(caught.value.errors)
    assert not Ticket.objects.exists()
    mine = _asset(office)
    ticket = _ticket(office, asset=mine)
    assert ticket.asset == mine


def test_the_first_reply_of_the_support_team_stops_the_response_clock(office: Office) -> None:
    ticket = _ticket(office)
    requester, support = office.members["team_member"], office.members["support"]
    actions.reply_to_ticket(actor=requester, ticket=ticket, body="It says my account is locked")
    assert queries.first_response(ticket) is None
    actions.reply_to_ticket(actor=support, ticket=ticket, body="Unlocked: try again")
    Comment.objects.filter(author=support).update(
        created_at=WEDNESDAY + dt.timedelta(minutes=45))
    clocks = queries.clocks(ticket, now=WEDNESDAY + dt.timedelta(days=1))
    assert clocks.response.state == "met" and clocks.response.used == 45
    assert clocks.resolution.state == "running"  # 8 working hours of 16 (high) used
    assert Notification.objects.filter(recipient=requester, kind=NotificationKind.REQUEST,
                                       object_id=ticket.pk,
                                       content_type__model="ticket").exists()


def test_clocks_warn_before_a_breach_then_flag_it_once(office: Office) -> None:
    ticket = _ticket(office)  # high: respond within 4 working hours, resolve within 16
    at_risk = actions.check_service_levels(now=WEDNESDAY + dt.timedelta(hours=3, minutes=30))
    assert at_risk == {"warnings": 1, "breaches": 0}
    assert actions.check_service_levels(
        now=WEDNESDAY + dt.timedelta(hours=3, minutes=40)) == {"warnings": 0, "breaches": 0}
    # 09:00 + 4 working hours with lunch = 14:00.
    breached = actions.check_service_levels(now=WEDNESDAY + dt.timedelta(hours=5, minutes=1))
    assert breached == {"warnings": 0, "breaches": 1}
    ticket.refresh_from_db()
    assert ticket.response_warned and ticket.response_breached
    assert not ticket.resolution_breached
    support = office.members["support"]
    kinds = sorted(Notification.objects.filter(recipient=support, object_id=ticket.pk,
                                               content_type__model="ticket")
                   .values_list("kind", flat=True))
    assert kinds == ["assigned", "due", "overdue"]
    assert actions.check_service_levels(
        now=WEDNESDAY + dt.timedelta(hours=6)) == {"warnings": 0, "breaches": 0}


def test_internal_notes_are_for_the_support_team_only(office: Office) -> None:
    ticket = _ticket(office)
    with pytest.raises(Forbidden):
        actions.add_ticket_note(actor=office.members["team_member"], ticket=ticket,
                                body="Let me see")
    actions.add_ticket_note(actor=office.members["support"], ticket=ticket,
                            body="Known fault with this laptop model")
    assert TicketNote.objects.count() == 1
    url = f"/projects/MTX/tickets/{ticket.reference}/"
    requester = Client()
    requester.login(username="team_member", password=PASSWORD)
    page = requester.get(url).content.decode()
    assert "Cannot log in" in page and "Known fault" not in page
    assert "Internal notes" not in page
    helper = Client()
    helper.login(username="support", password=PASSWORD)
    assert "Known fault" in helper.get(url).content.decode()
    # Nor through the API, nor the audit trail's words.
    assert Api(office.members["team_member"]).get(
        f"/projects/MTX/tickets/{ticket.reference}/notes").status_code == 403
    history = Api(office.pm).get(f"/projects/MTX/tickets/{ticket.reference}/history")
    assert "Known fault" not in history.content.decode()


def test_the_requester_closes_a_resolved_ticket_with_a_rating(office: Office) -> None:
    ticket = _ticket(office)
    support, requester = office.members["support"], office.members["team_member"]
    with pytest.raises(Conflict):
        actions.close_ticket(actor=requester, ticket=ticket, version=ticket.version, rating=4)
    ticket = kernel.transition_item(actor=support, item=ticket, transition="resolve",
                                    version=ticket.version, comment="Unlocked")
    assert Ticket.objects.get(pk=ticket.pk).resolved_at is not None
    ticket = Ticket.objects.get(pk=ticket.pk)
    with pytest.raises(InvalidInput):  # the plain move needs the rating first
        kernel.transition_item(actor=requester, item=ticket, transition="close",
                               version=ticket.version)
    with pytest.raises(Forbidden):
        actions.close_ticket(actor=office.members["planner"], ticket=ticket,
                             version=ticket.version, rating=5)
    with pytest.raises(InvalidInput):
        actions.close_ticket(actor=requester, ticket=ticket, version=ticket.version, rating=6)
    closed = actions.close_ticket(actor=requester, ticket=ticket, version=ticket.version,
                                  rating=4, comment="Quick")
    assert (closed.status, closed.satisfaction, closed.satisfaction_comment) == (
        "closed", 4, "Quick")
    with pytest.raises(NotFound):  # somebody else's ticket is not theirs to see or withdraw
        other = _ticket(office)
        kernel.transition_item(actor=office.members["planner"], item=other,
                               transition="withdraw", version=other.version, comment="No")


def test_check_out_within_seats_and_return(office: Office) -> None:
    asset = _asset(office)
    today = dt.date(2026, 3, 4)
    team, tester, planner = (office.members[r] for r in ("team_member", "testing_manager",
                                                         "planner"))
    actions.check_out_asset(actor=office.pmo, asset=asset, holder=team, today=today)
    with pytest.raises(InvalidInput):  # holds it already
        actions.check_out_asset(actor=office.pmo, asset=asset, holder=team, today=today)
    actions.check_out_asset(actor=office.pmo, asset=asset, holder=tester, today=today)
    # Every seat is taken: the owner hears of it.
    assert Notification.objects.filter(recipient=office.pm, kind=NotificationKind.DUE,
                                       object_id=asset.pk, content_type__model="asset").exists()
    with pytest.raises(InvalidInput) as caught:
        actions.check_out_asset(actor=office.pmo, asset=asset, holder=planner, today=today)
    assert "all 2 seats" in caught.value.errors["holder"][0]
    with pytest.raises(InvalidInput):  # not a member of MTX
        actions.check_out_asset(actor=office.pmo, asset=asset, holder=office.outsider,
                                today=today)
    with pytest.raises(Forbidden):
        actions.check_out_asset(actor=team, asset=asset, holder=planner, today=today)
    assert AssetCheckout.objects.count() == 2
    with pytest.raises(InvalidInput):  # still held
        kernel.transition_item(actor=office.pmo, item=asset, transition="retire",
                               version=asset.version, comment="Gone")
    first = AssetCheckout.objects.get(holder=team)
    actions.return_asset(actor=office.pmo, checkout=first, today=today)
    with pytest.raises(Conflict):
        actions.return_asset(actor=office.pmo, checkout=first, today=today)
    actions.check_out_asset(actor=office.pmo, asset=asset, holder=planner, today=today)
    assert queries.seats_used(asset) == 2


def test_licence_expiry_alerts_once_per_stage(office: Office) -> None:
    today = dt.date(2026, 3, 4)
    asset = _asset(office, expires_on=today + dt.timedelta(days=10))
    _asset(office, title="Far off", expires_on=today + dt.timedelta(days=200))
    assert actions.alert_assets(today=today) == 1
    assert actions.alert_assets(today=today + dt.timedelta(days=1)) == 0
    assert actions.alert_assets(today=today + dt.timedelta(days=11)) == 1  # now ended
    assert actions.alert_assets(today=today + dt.timedelta(days=12)) == 0
    kinds = list(Notification.objects.filter(object_id=asset.pk, recipient=office.pm,
                                             content_type__model="asset")
                 .exclude(kind="assigned")
                 .order_by("pk").values_list("kind", flat=True))
    assert kinds == ["due", "overdue"]


def test_knowledge_base_and_service_levels_are_kept_by_those_allowed(office: Office) -> None:
    with pytest.raises(Forbidden):
        actions.create_article(actor=office.members["team_member"], title="T", body="B")
    article = actions.create_article(actor=office.members["support"], title="Reset a password",
                                     body="Use the link", category="access")
    ticket = _ticket(office)
    actions.link_article(actor=office.members["support"], ticket=ticket, article=article)
    with pytest.raises(InvalidInput):
        actions.link_article(actor=office.members["support"], ticket=ticket, article=article)
    with pytest.raises(Forbidden):
        actions.set_service_level(actor=office.staff, priority="high", version=0,
                                  response_minutes=60, resolution_minutes=120)
    with pytest.raises(InvalidInput):
        actions.set_service_level(actor=office.pmo, priority="high", version=0,
                                  response_minutes=600, resolution_minutes=120)
    level = actions.set_service_level(actor=office.pmo, priority="high", version=0,
                                      response_minutes=60, resolution_minutes=120)
    assert queries.targets()["high"] == (60, 120)
    with pytest.raises(Conflict):
        actions.set_service_level(actor=office.pmo, priority="high", version=0,
                                  response_minutes=60, resolution_minutes=240)
    actions.set_service_level(actor=office.pmo, priority="high", version=level.version,
                              response_minutes=60, resolution_minutes=240)
    assert queries.targets()["high"] == (60, 240)


def test_api_desk_clock_close_and_checkouts(office: Office) -> None:
    requester = Api(office.members["team_member"])
    made = requester.post("/projects/MTX/tickets", {"title": "Printer", "priority": "low",
                                                    "category": "hardware"})
    assert made.status_code == 201, made.content
    ref = made.json()["reference"]
    clock = requester.get(f"/projects/MTX/tickets/{ref}/service-level").json()
    assert clock["response"]["target_minutes"] == 960 and clock["requester"] == "team_member"
    assert [t["reference"] for t in requester.get("/support/desk?scope=mine").json()] == [ref]
    queue = Api(office.members["support"]).get("/support/desk?scope=queue").json()
    assert [t["reference"] for t in queue] == [ref]
    assert Api(office.outsider).get("/support/desk?scope=queue").json() == []
    helper = Api(office.members["support"])
    version = made.json()["version"]
    moved = helper.post(f"/projects/MTX/tickets/{ref}/transitions",
                        {"version": version, "transition": "resolve", "comment": "Cleared"})
    assert moved.status_code == 200, moved.content
    closed = requester.post(f"/projects/MTX/tickets/{ref}/close",
                            {"version": moved.json()["version"], "rating": 5})
    assert closed.status_code == 200 and closed.json()["satisfaction"] == 5
    asset = _asset(office, seats=1)
    out = helper.post(f"/projects/MTX/assets/{asset.reference}/checkouts",
                      {"holder": "team_member"})
    assert out.status_code == 201
    again = helper.post(f"/projects/MTX/assets/{asset.reference}/checkouts",
                        {"holder": "planner"})
    assert again.status_code == 422 and "holder" in again.json()["errors"]
    back = helper.post(f"/projects/MTX/assets/{asset.reference}/checkouts/"
                       f"{out.json()['id']}/return")
    assert back.status_code == 200 and back.json()["returned_on"]


@pytest.mark.parametrize("user", ["team_member", "support", "pmo_manager"])
def test_pages_render(office: Office, user: str) -> None:
    asset = _asset(office)
    ticket = _ticket(office, asset=asset)
    actions.create_article(actor=office.members["support"], title="Reset a password",
                           body="Use the link")
    client = Client()
    client.login(username=user, password=PASSWORD)
    for url in ("/support/", "/support/?scope=mine", "/support/new/", "/support/articles/",
                "/support/service-levels/", "/projects/MTX/support/",
                "/projects/MTX/services/support/",
                f"/projects/MTX/tickets/{ticket.reference}/",
                f"/projects/MTX/assets/{asset.reference}/", "/projects/MTX/tickets/"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    desk = client.get("/support/").content.decode()
    assert ticket.reference in desk


def test_the_raise_form_refuses_an_asset_of_another_project(office: Office) -> None:
    elsewhere = _asset(office, project=office.other, title="Secret server", owner=None)
    client = Client()
    client.login(username="team_member", password=PASSWORD)
    page = client.get("/support/new/").content.decode()
    assert "Secret server" not in page
    response = client.post("/support/new/", {"project": "MTX", "title": "Help",
                                              "priority": "low", "category": "other",
                                              "asset": str(elsewhere.pk)})
    assert response.status_code == 200 and not Ticket.objects.exists()
    response = client.post("/support/new/", {"project": "MTX", "title": "Help",
                                              "priority": "low", "category": "other"})
    assert response.status_code == 302 and Ticket.objects.count() == 1
