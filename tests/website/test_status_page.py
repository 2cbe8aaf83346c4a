"""The project's status page: its content is chosen by the project manager, it is published
under an unguessable link readable signed out, the link can be revoked (404 afterwards) and
the public page shows its chosen content and nothing else of the office."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from projectoffice.accounts.models import User
from projectoffice.architecture.registers import COMPONENTS
from projectoffice.errors import Forbidden, InvalidInput, StaleVersion
from projectoffice.registers import actions as kernel
from projectoffice.registers.spec import all_specs
from projectoffice.website import actions
from tests.conftest import Api, Office
from tests.planning.helpers import make_plan


def _component(office: Office, title: str, project: object = None, **extra: object) -> object:
    return kernel.create_item(actor=office.pmo, spec=COMPONENTS,
                              project=project or office.project,  # type: ignore[arg-type]
                              data={"title": title, **extra})


def _published(office: Office) -> tuple[object, str]:
    shown = _component(office, "Customer portal", technology="Hidden-Tech-Stack",
                       description="Internal design notes")
    page = actions.update_status_page(
        actor=office.pm, project=office.project, version=None,
        changes={"headline": "On track for the spring go-live",
                 "message": "Testing started this week.", "show_rag": True,
                 "show_milestones": True},
        components=[shown.reference])  # type: ignore[attr-defined]
    page = actions.publish_status_page(actor=office.pm, project=office.project)
    return page, f"/status/{page.token}/"


def test_the_public_page_leaks_nothing_beyond_its_content(office: Office) -> None:
    make_plan(office)
    _component(office, "Billing engine")  # not chosen
    _component(office, "Other portal", project=office.other)
    page, url = _published(office)
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    # What was chosen is there…
    for shown in ("Matrix project", "On track for the spring go-live", "Testing started",
                  "Customer portal", "Release", "Green"):
        assert shown in text, shown
    # …and nothing else: no other project, register item, document or person.
    forbidden = {"MTX", "OTHER", "Other project", "Billing engine", "Other portal",
                 "Hidden-Tech-Stack", "Internal design notes", "Portfolio P", "PRG"}
    for spec in all_specs():
        for item in spec.model.objects.all():
            if item.title != "Customer portal":
                forbidden |= {item.title, item.reference}
    for user in User.objects.all():
        forbidden |= {user.username, user.display_name}
        if user.email:
            forbidden.add(user.email)
    leaks = sorted(word for word in forbidden if word and re.search(
        rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE))
    assert leaks == []
    # No way further into the office: no links, forms or scripts on the page.
    assert re.findall(r"<a\s", html) == [] and "<form" not in html and "<script" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert len(page.token) >= 40  # type: ignore[attr-defined]


def test_publish_revoke_and_who_may(office: Office) -> None:
    with pytest.raises(Forbidden):
        actions.publish_status_page(actor=office.members["team_member"], project=office.project)
    _, url = _published(office)
    assert Client().get(url).status_code == 200
    assert Client().get(url[:-5] + "x/").status_code == 404
    # The web master may publish too; members read the page inside the office.
    member = Api(office.members["stakeholder"]).get("/projects/MTX/status-page").json()
    assert member["published"] is True and member["public_path"] is None
    web = Api(office.members["web_master"]).get("/projects/MTX/status-page").json()
    assert web["public_path"] == url
    revoked = Api(office.members["web_master"]).post("/projects/MTX/status-page/revoke")
    assert revoked.status_code == 200 and revoked.json()["published"] is False
    assert Client().get(url).status_code == 404
    with pytest.raises(InvalidInput):
        actions.revoke_status_page(actor=office.pm, project=office.project)
    again = actions.publish_status_page(actor=office.pm, project=office.project)
    assert f"/status/{again.token}/" != url and Client().get(url).status_code == 404


def test_bad_content_is_refused_with_nothing_written(office: Office) -> None:
    foreign = _component(office, "Other portal", project=office.other)
    api = Api(office.pm)
    response = api.patch("/projects/MTX/status-page", {
        "headline": "New", "components": [foreign.reference]})  # type: ignore[attr-defined]
    assert response.status_code == 422 and "components" in response.json()["errors"]
    assert api.get("/projects/MTX/status-page").json()["headline"] == ""
    ok = api.patch("/projects/MTX/status-page", {"headline": "Fine"})
    assert ok.status_code == 200
    stale = api.patch("/projects/MTX/status-page", {"version": 1, "headline": "Late"})
    assert stale.status_code == 409
    with pytest.raises(StaleVersion):
        actions.update_status_page(actor=office.pm, project=office.project, version=1,
                                   changes={"headline": "Late"})
    assert Api(office.members["team_member"]).patch(
        "/projects/MTX/status-page", {"headline": "Mine"}).status_code == 403
