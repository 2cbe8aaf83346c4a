"""Configuration: versions of items, baselines frozen from them, new versions of a
baselined item only through an approved change, status accounting, comparison and the
configuration audit of a release."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from projectoffice.assurance import configuration
from projectoffice.assurance.config_models import BaselineEntry, ConfigurationBaseline
from projectoffice.assurance.quality_registers import CONFIGURATION_ITEMS
from projectoffice.assurance.registers import DELIVERABLES
from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import ItemLink
from tests.conftest import PASSWORD, Api, Office

pytestmark = pytest.mark.django_db


def ci(office: Office, identifier: str, **data: Any) -> Any:
    return kernel.create_item(actor=office.pm, spec=CONFIGURATION_ITEMS,
                              project=office.project,
                              data={"title": identifier.title(), "identifier": identifier,
                                    **data})


def test_a_baselined_item_changes_only_through_an_approved_change(office: Office) -> None:
    cm = office.members["configuration_manager"]
    web = ci(office, "portal-web")
    configuration.record_version(actor=cm, item=web, label="1.0",
                                 location="https://git.example.org/portal", revision="a1b2c3")
    with pytest.raises(InvalidInput) as exc:
        configuration.record_version(actor=cm, item=web, label="1.0")
    assert "label" in exc.value.errors
    with pytest.raises(Forbidden):
        configuration.record_version(actor=office.members["team_member"], item=web,
                                     label="1.1")
    baseline = configuration.create_baseline(actor=cm, project=office.project,
                                             name="Design baseline")
    with pytest.raises(InvalidInput) as exc:
        configuration.record_version(actor=cm, item=web, label="1.1")
    assert "change" in exc.value.errors
    change = office.raid["changes"]
    with pytest.raises(InvalidInput, match="not approved"):
        configuration.record_version(actor=cm, item=web, label="1.1",
                                     change_reference=change.reference)
    type(change).objects.filter(pk=change.pk).update(status="approved")
    version = configuration.record_version(actor=cm, item=web, label="1.1",
                                           change_reference=change.reference)
    assert version.change_id == change.pk
    assert ItemLink.objects.filter(object_id=change.pk, target_id=web.pk).exists()
    rows = configuration.status_accounting(baseline)
    assert [(r.item.identifier, r.baseline_version.label if r.baseline_version else None,
             r.current_version.label if r.current_version else None, r.state)
            for r in rows] == [("portal-web", "1.0", "1.1", "changed")]
    assert [v.label for v in rows[0].since] == ["1.1"]


def test_a_baseline_is_all_or_nothing_and_names_what_is_wrong(office: Office) -> None:
    cm = office.members["configuration_manager"]
    web = ci(office, "portal-web")
    configuration.record_version(actor=cm, item=web, label="1.0")
    with pytest.raises(InvalidInput) as exc:
        configuration.create_baseline(actor=cm, project=office.project, name="R1",
                                      entries=[("portal-web", "1.0"), ("portal-web", "9.9")])
    assert "entries.2.version" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        configuration.create_baseline(actor=cm, project=office.project, name="R1",
                                      entries=[("nothing", "1.0")])
    assert "entries.1.item" in exc.value.errors
    assert not ConfigurationBaseline.objects.exists() and not BaselineEntry.objects.exists()
    empty = ci(office, "unversioned")
    assert empty.current_version is None
    configuration.create_baseline(actor=cm, project=office.project, name="R1")
    with pytest.raises(InvalidInput) as exc:
        configuration.create_baseline(actor=cm, project=office.project, name="R1")
    assert "name" in exc.value.errors


def test_compare_and_audit_a_release(office: Office) -> None:
    cm = office.members["configuration_manager"]
    accepted = kernel.create_item(actor=office.pm, spec=DELIVERABLES, project=office.project,
                                  data={"title": "Portal", "acceptance_criteria": "Works"})
    web = ci(office, "portal-web", deliverable_reference=accepted.reference)
    api = ci(office, "portal-api")
    configuration.record_version(actor=cm, item=web, label="1.0")
    configuration.record_version(actor=cm, item=api, label="3.0")
    first = configuration.create_baseline(actor=cm, project=office.project, name="B1")
    release = configuration.create_baseline(actor=cm, project=office.project, name="R1",
                                            kind="release",
                                            entries=[("portal-api", "3.0")])
    rows = configuration.compare(first, release)
    assert [(r.item.identifier, r.differs) for r in rows] == [("portal-web", True),
                                                               ("portal-api", False)]
    for move in ("submit", "accept"):
        accepted = kernel.transition_item(actor=office.pm, item=accepted, transition=move,
                                          version=accepted.version)
    problems = configuration.configuration_audit(release)
    assert [(d.name, "not in the release" in d.problem) for d in problems] == [
        ("portal-web", True)]
    problems = configuration.configuration_audit(first)
    assert problems == []
    with pytest.raises(InvalidInput) as exc:
        ci(office, "portal-web")
    assert "identifier" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        ci(office, "db", component_reference="CMP-0042")
    assert "component_reference" in exc.value.errors


def test_configuration_api(office: Office) -> None:
    client = Api(office.members["configuration_manager"])
    web = ci(office, "portal-web")
    response = client.post(f"/projects/MTX/config-items/{web.reference}/versions",
                           {"label": "1.0", "revision": "abc123"})
    assert response.status_code == 201, response.content
    response = client.post("/projects/MTX/configuration/baselines",
                           {"name": "R1", "kind": "release",
                            "entries": [{"item": "portal-web", "version": "2.0"}]})
    assert response.status_code == 422 and "entries.1.version" in response.json()["errors"]
    response = client.post("/projects/MTX/configuration/baselines",
                           {"name": "R1", "kind": "release"})
    assert response.status_code == 201
    baseline_id = response.json()["id"]
    response = client.post(f"/projects/MTX/config-items/{web.reference}/versions",
                           {"label": "1.1"})
    assert response.status_code == 422 and "change" in response.json()["errors"]
    body = client.get(f"/projects/MTX/configuration/baselines/{baseline_id}").json()
    assert body["entries"] == [{"item": web.reference, "identifier": "portal-web",
                                "version": "1.0"}]
    assert body["status_accounting"][0]["state"] == "unchanged"
    assert Api(office.outsider).get("/projects/MTX/configuration/baselines").status_code \
        == 404


def test_export_a_baseline_as_csv_and_xlsx(office: Office) -> None:
    cm = office.members["configuration_manager"]
    web = ci(office, "portal-web")
    configuration.record_version(actor=cm, item=web, label="1.0", location="=cmd|calc",
                                 revision="a1b2c3")
    baseline = configuration.create_baseline(actor=cm, project=office.project, name="Release 1")
    url = f"/projects/MTX/configuration/baselines/{baseline.pk}/export"
    page = Client()
    page.login(username="team_member", password=PASSWORD)
    answer = page.get(f"{url}.csv")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="MTX-release-1.csv"'
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Item", "Title", "Type", "Version"]
    assert rows[1][0] == web.reference and rows[1][3] == "1.0"
    assert rows[1][5] == "'=cmd|calc" and rows[1][6] == "a1b2c3"
    sheet = load_workbook(io.BytesIO(page.get(f"{url}.xlsx").content)).active
    assert sheet.cell(2, 4).value == "1.0"
    assert page.get(f"{url}.pdf").status_code == 404
    page.login(username="outsider", password=PASSWORD)
    assert page.get(f"{url}.csv").status_code in (403, 404)
