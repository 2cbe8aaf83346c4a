"""The architecture and security services' part of the permission matrix: a decision record, a
component and a standard in the registers, an accepted record with a later one to
supersede it, a second component and an interface to remove."""

from __future__ import annotations

from typing import Any

from projectoffice.architecture import actions
from projectoffice.architecture.registers import COMPONENTS, DECISION_RECORDS, STANDARDS
from projectoffice.infosec.registers import SECURITY_CONTROLS
from projectoffice.registers import actions as kernel


def architecture_setup(office: Any) -> dict[str, Any]:
    def make(spec: Any, **data: Any) -> Any:
        return kernel.create_item(actor=office.pmo, spec=spec, project=office.project,
                                  data=data)

    office.raid["adrs"] = make(DECISION_RECORDS, title="Use PostgreSQL")
    office.raid["components"] = portal = make(COMPONENTS, title="Portal",
                                              component_type="application")
    office.raid["standards"] = make(STANDARDS, title="Python 3.11", category="language")
    office.raid["security-controls"] = make(SECURITY_CONTROLS, title="Access control",
                                            control_id="A.5.15")
    accepted = make(DECISION_RECORDS, title="Host on one server")
    accepted = kernel.transition_item(actor=office.pmo, item=accepted, transition="accept",
                                      version=accepted.version)
    later = make(DECISION_RECORDS, title="Host on a cluster")
    api = make(COMPONENTS, title="Customer API", component_type="service")
    interface = actions.add_interface(actor=office.pmo, source=portal, target=api,
                                      name="Lookups")
    return {"adr_accepted": accepted.reference, "adr_accepted_version": accepted.version,
            "adr_later": later.reference, "component_other": api.reference,
            "interface": interface.pk}


def architecture_bodies(ids: dict[str, Any]) -> dict[str, Any]:
    if "interface" not in ids:
        return {}
    return {
        "POST /projects/{code}/adrs/{ref}/supersede": {"version": ids["adr_accepted_version"],
                                                       "by": ids["adr_later"]},
        "POST /projects/{code}/components/{ref}/interfaces": {
            "target": ids["component_other"], "name": "Orders", "protocol": "REST"},
        "POST /projects/{code}/components/{ref}/interfaces/{interface_id}/remove": {},
    }


def architecture_path(path: str, ids: dict[str, Any]) -> str:
    if "interface" not in ids:
        return path
    if path.startswith("/projects/{code}/adrs/{ref}/supersede"):
        path = path.replace("{ref}", ids["adr_accepted"])
    return path.replace("{interface_id}", str(ids["interface"]))
