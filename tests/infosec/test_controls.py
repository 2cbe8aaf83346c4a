"""The security controls register: a catalogue imported from CSV (all or nothing), then
implemented with evidence and verified by a passed test."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from projectoffice.errors import Forbidden, InvalidInput
from projectoffice.infosec.demo import catalogue_csv
from projectoffice.infosec.models import SecurityControl
from projectoffice.infosec.registers import SECURITY_CONTROLS
from projectoffice.registers import actions as kernel
from tests.conftest import PASSWORD, Api, Office


def _import(office: Office, content: bytes, user: str = "security_manager") -> object:
    client = Api(office.members[user])
    return client.client.post("/api/v1/projects/MTX/security-controls/import",
                              {"file": SimpleUploadedFile("catalogue.csv", content)},
                              HTTP_AUTHORIZATION=f"Bearer {client.token}")


def test_a_catalogue_is_imported_all_or_nothing(office: Office) -> None:
    bad = b"ID,Title,Description\nA.1,Policies,Text\nA.2,,No title\n"
    response = _import(office, bad)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert not SecurityControl.objects.exists()
    response = _import(office, catalogue_csv().encode())
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    controls = {c.control_id: c for c in SecurityControl.objects.all()}
    assert len(controls) == 8
    assert controls["A.5.15"].title == "Access control"
    assert controls["A.5.15"].catalogue == "ISO/IEC 27001:2022 Annex A"
    assert controls["A.5.15"].status == "identified"
    assert _import(office, catalogue_csv().encode(), "team_member"
                   ).status_code == 403  # type: ignore[attr-defined]


def test_implemented_needs_evidence_and_verified_a_passed_test(office: Office) -> None:
    manager = office.members["security_manager"]
    control = kernel.create_item(actor=manager, spec=SECURITY_CONTROLS, project=office.project,
                                 data={"title": "Information backup", "control_id": "A.8.13"})
    with pytest.raises(InvalidInput) as caught:
        kernel.transition_item(actor=manager, item=control, transition="implement",
                               version=control.version)
    assert "evidence" in caught.value.errors
    control = kernel.update_item(actor=manager, item=control, version=control.version,
                                 changes={"evidence": "Restore test log", "owner": manager})
    with pytest.raises(Forbidden):
        kernel.transition_item(actor=office.members["team_member"], item=control,
                               transition="implement", version=control.version)
    control = kernel.transition_item(actor=manager, item=control, transition="implement",
                                     version=control.version)
    with pytest.raises(InvalidInput):
        kernel.transition_item(actor=manager, item=control, transition="verify",
                               version=control.version)
    control = kernel.update_item(actor=manager, item=control, version=control.version,
                                 changes={"test_result": "passed"})
    control = kernel.transition_item(actor=manager, item=control, transition="verify",
                                     version=control.version)
    assert control.status == "verified"


def test_pages_render(office: Office) -> None:
    kernel.create_item(actor=office.members["security_manager"], spec=SECURITY_CONTROLS,
                       project=office.project, data={"title": "Logging", "control_id": "A.8.15"})
    client = Client()
    client.login(username="team_member", password=PASSWORD)
    for url in ("/projects/MTX/services/security/", "/projects/MTX/security-controls/",
                "/projects/MTX/security-controls/SEC-0001/"):
        assert client.get(url).status_code == 200, url


def test_the_demo_controls_load(office: Office) -> None:
    import datetime as dt

    from projectoffice.infosec.demo import demo_security

    demo_security({"marc": office.members["security_manager"]}, [office.project],
                  dt.date(2026, 3, 4))
    states = dict(SecurityControl.objects.values_list("control_id", "status"))
    assert states["A.5.1"] == "verified" and states["A.7.4"] == "not_applicable"
    assert states["A.8.13"] == "implemented"
    assert SecurityControl.objects.get(control_id="A.8.13").test_result == "failed"
