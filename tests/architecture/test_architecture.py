"""Decision records superseded by later ones, components with their interfaces, and the
component diagram drawn from the register."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from projectoffice.architecture import actions, diagram
from projectoffice.architecture.models import Component, ComponentInterface, DecisionRecord
from projectoffice.architecture.registers import COMPONENTS, DECISION_RECORDS
from projectoffice.audit.models import AuditEntry
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.registers import actions as kernel
from tests.conftest import PASSWORD, Api, Office


def _adr(office: Office, title: str, accept: bool = True) -> DecisionRecord:
    architect = office.members["architect"]
    item = kernel.create_item(actor=architect, spec=DECISION_RECORDS, project=office.project,
                              data={"title": title, "context": "Why", "decision": "What"})
    if accept:
        item = kernel.transition_item(actor=architect, item=item, transition="accept",
                                      version=item.version)
    assert isinstance(item, DecisionRecord)
    return item


def _component(office: Office, title: str, kind: str = "service", project: Any = None
               ) -> Component:
    item = kernel.create_item(actor=office.pmo, spec=COMPONENTS,
                              project=project or office.project,
                              data={"title": title, "component_type": kind})
    assert isinstance(item, Component)
    return item


def test_a_decision_is_superseded_by_a_later_one(office: Office) -> None:
    architect = office.members["architect"]
    old, new = _adr(office, "Shared database"), _adr(office, "Database per service",
                                                       accept=False)
    with pytest.raises(InvalidInput) as caught:
        actions.supersede_decision(actor=architect, record=old, by=old, version=old.version)
    assert "itself" in caught.value.errors["by"][0]
    with pytest.raises(InvalidInput):  # the plain move needs the later record named
        kernel.transition_item(actor=architect, item=old, transition="supersede",
                               version=old.version)
    with pytest.raises(Forbidden):
        actions.supersede_decision(actor=office.members["team_member"], record=old, by=new,
                                   version=old.version)
    with pytest.raises(Conflict):  # only an accepted one is superseded
        actions.supersede_decision(actor=architect, record=new, by=old, version=new.version)
    assert DecisionRecord.objects.get(pk=old.pk).status == "accepted"
    moved = actions.supersede_decision(actor=architect, record=old, by=new,
                                       version=old.version, comment="Releases held back")
    assert moved.status == "superseded" and moved.superseded_by == new
    assert list(new.supersedes.all()) == [moved]
    verbs = set(AuditEntry.objects.filter(object_id__in=[str(old.pk), str(new.pk)],
                                          content_type__model="decisionrecord")
                .values_list("verb", flat=True))
    assert {"superseded by", "supersedes", "supersede"} <= verbs
    page = Client()
    page.login(username="team_member", password=PASSWORD)
    html = page.get(f"/projects/MTX/adrs/{new.reference}/").content.decode()
    assert "Supersedes" in html and old.reference in html


def test_supersession_never_loops_and_needs_a_live_record(office: Office) -> None:
    architect = office.members["architect"]
    a, b = _adr(office, "A"), _adr(office, "B")
    actions.supersede_decision(actor=architect, record=a, by=b, version=a.version)
    rejected = _adr(office, "C", accept=False)
    rejected = kernel.transition_item(actor=architect, item=rejected, transition="reject",
                                      version=rejected.version, comment="No")
    b = DecisionRecord.objects.get(pk=b.pk)
    with pytest.raises(InvalidInput):
        actions.supersede_decision(actor=architect, record=b,
                                   by=rejected, version=b.version)  # type: ignore[arg-type]
    superseded = DecisionRecord.objects.get(pk=a.pk)
    with pytest.raises(InvalidInput):  # a superseded record supersedes nothing
        actions.supersede_decision(actor=architect, record=b, by=superseded,
                                   version=b.version)


def test_interfaces_join_two_components_of_one_project(office: Office) -> None:
    portal, api = _component(office, "Portal", "application"), _component(office, "API")
    other = _component(office, "Elsewhere", project=office.other)
    made = actions.add_interface(actor=office.pm, source=portal, target=api, name="Lookups",
                                 protocol="REST")
    with pytest.raises(InvalidInput):
        actions.add_interface(actor=office.pm, source=portal, target=api, name="Lookups")
    with pytest.raises(InvalidInput):
        actions.add_interface(actor=office.pm, source=portal, target=portal, name="Self")
    with pytest.raises(InvalidInput) as caught:
        actions.add_interface(actor=office.pm, source=portal, target=other, name="Leak")
    assert "Elsewhere" not in str(caught.value.errors)
    with pytest.raises(Forbidden):
        actions.add_interface(actor=office.members["stakeholder"], source=api, target=portal,
                              name="Back")
    assert ComponentInterface.objects.count() == 1
    actions.remove_interface(actor=office.pm, interface=made)
    assert not ComponentInterface.objects.exists()


def test_the_diagram_is_drawn_from_the_register(office: Office) -> None:
    portal = _component(office, "Portal <beta>", "application")
    api, db = _component(office, "Customer API"), _component(office, "Customers", "data_store")
    gone = _component(office, "Old batch", "service")
    actions.add_interface(actor=office.pm, source=portal, target=api, name="Lookups")
    actions.add_interface(actor=office.pm, source=api, target=db, name="Records",
                          protocol="SQL")
    actions.add_interface(actor=office.pm, source=gone, target=db, name="Batch")
    kernel.transition_item(actor=office.pmo, item=gone, transition="retire",
                           version=gone.version, comment="Replaced")
    drawn = diagram.build(office.project)
    root = ET.fromstring(drawn.svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f".//{ns}line")) == 2  # the retired component is left out
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Portal <beta>" in texts and "Old batch" not in texts
    titles = [t.text or "" for t in root.iter(f"{ns}title")]
    assert any(t.endswith(": Records · SQL") for t in titles)
    boxes = {t.text: float(t.get("y", 0)) for t in root.iter(f"{ns}text")}
    assert boxes["Portal <beta>"] < boxes["Customer API"] < boxes["Customers"]
    client = Client()
    client.login(username="team_member", password=PASSWORD)
    page = client.get("/projects/MTX/architecture/diagram/")
    assert page.status_code == 200 and "Customer API" in page.content.decode()
    assert "New component" not in page.content.decode()
    svg = Api(office.members["team_member"]).get("/projects/MTX/architecture/diagram.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert Api(office.outsider).get("/projects/MTX/architecture/diagram.svg").status_code == 404


def test_api_supersede_and_interfaces(office: Office) -> None:
    old, new = _adr(office, "Old"), _adr(office, "New", accept=False)
    client = Api(office.members["architect"])
    self_made = client.post(f"/projects/MTX/adrs/{old.reference}/supersede",
                            {"version": old.version, "by": old.reference})
    assert self_made.status_code == 422 and "by" in self_made.json()["errors"]
    done = client.post(f"/projects/MTX/adrs/{old.reference}/supersede",
                       {"version": old.version, "by": new.reference})
    assert done.status_code == 200 and done.json()["superseded_by"] == new.reference
    portal, api = _component(office, "Portal", "application"), _component(office, "API")
    made = client.post(f"/projects/MTX/components/{portal.reference}/interfaces",
                       {"target": api.reference, "name": "Lookups"})
    assert made.status_code == 201
    listed = Api(office.members["team_member"]).get(
        f"/projects/MTX/components/{api.reference}/interfaces").json()
    assert [i["source"] for i in listed] == [portal.reference]


@pytest.mark.parametrize("user", ["architect", "team_member"])
def test_pages_render(office: Office, user: str) -> None:
    old = _adr(office, "Old")
    _component(office, "Portal", "application")
    client = Client()
    client.login(username=user, password=PASSWORD)
    for url in ("/projects/MTX/services/architecture/", "/projects/MTX/adrs/",
                f"/projects/MTX/adrs/{old.reference}/", "/projects/MTX/components/",
                "/projects/MTX/components/CMP-0001/", "/projects/MTX/standards/",
                "/projects/MTX/architecture/diagram/?format=svg"):
        assert client.get(url).status_code == 200, url
