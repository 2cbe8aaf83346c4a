"""Demo security controls: a catalogue imported from CSV into the first project (as a
security manager would), then owners, evidence, tests and statuses recorded through the
actions — one control not applicable, one failing its test."""

from __future__ import annotations

import csv
import datetime as dt
import io

from projectoffice.accounts.models import User
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel

from .models import SecurityControl
from .registers import SECURITY_CONTROLS

CATALOGUE = "ISO/IEC 27001:2022 Annex A"
# ID, title, description — the catalogue file as a security manager would import it.
CONTROLS = [
    ("A.5.1", "Policies for information security",
     "Security policy defined, approved, published and reviewed."),
    ("A.5.15", "Access control",
     "Rules to control access to information and systems are set and applied."),
    ("A.5.23", "Information security for use of cloud services",
     "Acquiring and using cloud services follows the security requirements."),
    ("A.8.5", "Secure authentication",
     "Authentication uses secure technologies and procedures."),
    ("A.8.13", "Information backup",
     "Backups are kept and tested as agreed in the backup policy."),
    ("A.8.15", "Logging",
     "Logs of activities, exceptions and faults are produced, kept and analysed."),
    ("A.8.24", "Use of cryptography",
     "Rules for the effective use of cryptography are defined and applied."),
    ("A.7.4", "Physical security monitoring",
     "Premises are continuously monitored for unauthorised physical access."),
]


def catalogue_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ID", "Title", "Description", "Catalogue"])
    writer.writerows([(*row, CATALOGUE) for row in CONTROLS])
    return out.getvalue()

# ID → (moves, evidence, test result)
PROGRESS = {
    "A.5.1": (("implement", "verify"), "Information security policy v3, approved by the board.",
              "passed"),
    "A.5.15": (("implement",), "Role-based access matrix in the project office; quarterly "
               "access review.", "not_tested"),
    "A.8.5": (("start",), "", "not_tested"),
    "A.8.13": (("implement",), "Nightly database backups; restore test log.", "failed"),
    "A.8.15": (("start",), "", "not_tested"),
}


def demo_security(people: dict[str, User], projects: list[Project], today: dt.date) -> None:
    if not projects:
        return
    marc, project = people["marc"], projects[0]
    rows = list(csv.reader(io.StringIO(catalogue_csv())))
    kernel.import_items(actor=marc, spec=SECURITY_CONTROLS, project=project, headers=rows[0],
                        rows=rows[1:], today=today - dt.timedelta(days=40))
    for control in SecurityControl.objects.filter(project=project):
        moves, evidence, result = PROGRESS.get(control.control_id, ((), "", "not_tested"))
        changes: dict[str, object] = {"owner": marc}
        if evidence:
            changes |= {"evidence": evidence}
        if result != "not_tested":
            changes |= {"test_result": result, "tested_on": today - dt.timedelta(days=7)}
        item = kernel.update_item(actor=marc, item=control, version=control.version,
                                  changes=changes)
        if control.control_id == "A.7.4":
            kernel.transition_item(actor=marc, item=item, transition="exclude",
                                   version=item.version,
                                   comment="The project runs in the cloud provider's "
                                           "data centres; no premises of its own.")
            continue
        for move in moves:
            item = kernel.transition_item(actor=marc, item=item, transition=move,
                                          version=item.version)
