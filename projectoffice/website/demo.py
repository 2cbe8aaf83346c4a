"""Demo technical services beyond the support desk and architecture: security incidents and
an access review in progress, the data register with a migration rehearsed and one run
that did not reconcile, components and decisions linked to the requirements they serve,
and a published status page — all through the actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.architecture.models import Component, DecisionRecord
from projectoffice.assurance.models import Requirement
from projectoffice.datamgmt import actions as data_actions
from projectoffice.datamgmt.models import DataMigration
from projectoffice.datamgmt.registers import DATA_ASSETS, DATA_MIGRATIONS
from projectoffice.documents.models import DocumentVersion, VersionState
from projectoffice.infosec import actions as infosec_actions
from projectoffice.infosec.registers import SECURITY_INCIDENTS
from projectoffice.portfolio.access import has_perm
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import LinkKind

from . import actions

# title, kind, classification, personal data, environments, location, retention
DATA_DEMO = [
    ("Customer master data", "database", "confidential", True, "production, test",
     "Azure SQL, West Europe", "7 years after the customer relationship ends"),
    ("Order history", "database", "internal", False, "production",
     "Azure SQL, West Europe", "10 years (tax law)"),
    ("Marketing consent records", "dataset", "restricted", True, "production",
     "CRM workspace", "Until consent is withdrawn, then 2 years"),
    ("Legacy CRM extract files", "filestore", "confidential", True, "migration",
     "SFTP server in the data centre", "Deleted 3 months after cutover"),
]

# title, source, target, runs as (days ago, source, loaded, rejected, note)
MIGRATIONS_DEMO = [
    ("Customers", "Legacy CRM · CUSTOMER", "CRM workspace · Account",
     [(30, 184_220, 183_950, 112, "First rehearsal: duplicate accounts not yet merged"),
      (9, 184_515, 184_403, 112, "")]),
    ("Open orders", "Legacy CRM · ORDERS", "Order service",
     [(12, 9_874, 9_874, 0, "")]),
    ("Marketing consents", "Legacy CRM · OPTIN", "Consent records", []),
]

INCIDENTS_DEMO = [
    ("Phishing e-mail opened by a project member", "high", "omar", "contain",
     "Reported by the recipient to the service desk twenty minutes after opening it.",
     "Password reset, sessions revoked, mailbox rule removed.", "", ""),
    ("Test data extract left on a shared drive", "moderate", "paula", "resolve",
     "Found during the weekly review of shared folders.",
     "Folder access limited to the test team.",
     "Extract deleted; test data masked from now on.",
     "Mask personal data in every extract for testing; check shared drives weekly."),
    ("Unknown device on the project Wi-Fi", "low", "hana", "",
     "Alert from the network monitoring.", "", "", ""),
]


def demo_technical(people: dict[str, User], projects: list[Project],
                   today: dt.date) -> None:
    if not projects:
        return
    project = projects[0]
    _incidents(people, project)
    _access_review(people, project, today)
    _data(people, project, today)
    _links(people, project)
    _status_page(people, project)
    _programme_page(people, projects)


def _incidents(people: dict[str, User], project: Project) -> None:
    marc = people["marc"]
    for title, severity, reporter, goal, detection, containment, resolution, lessons in \
            INCIDENTS_DEMO:
        item = kernel.create_item(
            actor=people[reporter], spec=SECURITY_INCIDENTS, project=project,
            data={"title": title, "severity": severity, "detection": detection,
                  "detected_at": timezone.now() - dt.timedelta(days=3, hours=2),
                  "personal_data": "data" in title})
        if not goal:
            continue
        item = kernel.update_item(actor=marc, item=item, version=item.version, changes={
            "owner": marc, "containment": containment, "resolution": resolution,
            "lessons": lessons})
        for move in ("investigate", "contain", *(("resolve",) if goal == "resolve" else ())):
            item = kernel.transition_item(actor=marc, item=item, transition=move,
                                          version=item.version)


def _access_review(people: dict[str, User], project: Project, today: dt.date) -> None:
    quarter = (today.month - 1) // 3 + 1
    review = infosec_actions.start_access_review(
        actor=people["marc"], project=project, title=f"Access review {today.year} Q{quarter}",
        period=f"{today.year} Q{quarter}", today=today - dt.timedelta(days=4))
    kernel.update_item(actor=people["marc"], item=review, version=review.version, changes={
        "evidence": "Compared with the HR leavers list and the supplier contract register."})
    manager = project.manager
    assert manager is not None
    lines = list(review.lines.filter(scope="project").select_related("user")
                 .order_by("user__username", "role"))
    for line in lines[: len(lines) // 2]:
        infosec_actions.decide_review_line(actor=manager, line=line, decision="confirmed")
    # The Project Office manager has confirmed the office-wide roles of the staff so far.
    office_wide = review.lines.filter(scope="global", role="pmo_staff").select_related("user")
    for line in office_wide:
        infosec_actions.decide_review_line(actor=people["pmo"], line=line,
                                           decision="confirmed")


def _data(people: dict[str, User], project: Project, today: dt.date) -> None:
    rosa = people["rosa"]
    assets = []
    for title, kind, classification, personal, envs, location, retention in DATA_DEMO:
        item = kernel.create_item(actor=rosa, spec=DATA_ASSETS, project=project, data={
            "title": title, "data_kind": kind, "classification": classification,
            "personal_data": personal, "environments": envs, "location": location,
            "retention": retention, "owner": rosa})
        if kind != "filestore":
            item = kernel.transition_item(actor=rosa, item=item, transition="go_live",
                                          version=item.version)
        assets.append(item)
    for n, (title, source, target, runs) in enumerate(MIGRATIONS_DEMO):
        migration = kernel.create_item(actor=rosa, spec=DATA_MIGRATIONS, project=project,
                                       data={"title": title, "source": source,
                                             "target": target, "owner": rosa,
                                             "data_asset": assets[min(n, 2)]})
        if runs:
            migration = kernel.transition_item(actor=rosa, item=migration,
                                               transition="rehearse",
                                               version=migration.version)
        assert isinstance(migration, DataMigration)
        for days, source_count, loaded, rejected, note in runs:
            data_actions.record_migration_run(
                actor=rosa, migration=migration, kind="rehearsal",
                run_on=today - dt.timedelta(days=days), source_count=source_count,
                target_count=loaded, rejected_count=rejected, notes=note, raise_defect=True)
        if title == "Open orders":
            migration.refresh_from_db()
            kernel.transition_item(actor=rosa, item=migration, transition="ready",
                                   version=migration.version)


def _links(people: dict[str, User], project: Project) -> None:
    """Components and decisions name the requirements they serve."""
    requirements = list(Requirement.objects.filter(project=project).order_by("number")[:4])
    components = list(Component.objects.filter(project=project).order_by("number")[:3])
    records = list(DecisionRecord.objects.filter(project=project).order_by("number")[:2])
    for item, requirement in [*zip(components, requirements, strict=False),
                              *zip(records, requirements[1:], strict=False)]:
        kernel.link_items(actor=people["nina"], item=item,
                          target_reference=requirement.reference, kind=LinkKind.RELATES)


def _approved(projects: list[Project], count: int) -> list[int]:
    """Approved versions of the projects' documents, to offer on a public page."""
    return list(DocumentVersion.objects.filter(project__in=projects,
                                               state=VersionState.APPROVED)
                .order_by("document__code").values_list("pk", flat=True)[:count])


def _web_master(people: dict[str, User], project: Project) -> User:
    theo = people.get("theo")
    if theo is not None and has_perm(theo, project, actions.PUBLISH):
        return theo
    assert project.manager is not None
    return project.manager


def _status_page(people: dict[str, User], project: Project) -> None:
    manager = project.manager
    assert manager is not None
    shown = [c.reference for c in Component.objects.filter(
        project=project, status__in=("live", "building")).order_by("number")[:4]]
    actions.update_status_page(
        actor=manager, project=project, version=None,
        changes={"headline": "Pilot go-live confirmed for next month",
                 "message": "User acceptance testing is under way with the retail pilot "
                            "stores. Training for store staff starts in two weeks.",
                 "show_rag": True, "show_milestones": True},
        components=shown, documents=_approved([project], 1))
    page = actions.publish_status_page(actor=manager, project=project)
    web = _web_master(people, project)
    for title, body in NEWS:
        actions.post_status_announcement(actor=web, page=page, title=title, body=body)


NEWS = [
    ("Pilot stores chosen", "Three stores in the north region will use the new system "
                            "first."),
    ("Store staff training starts", "Sessions run every morning for two weeks; each store "
                                    "sends two people."),
]


def _programme_page(people: dict[str, User], projects: list[Project]) -> None:
    """The first named project's programme publishes a page with its named projects."""
    programme = projects[0].programme
    if programme is None:
        return
    members = [p for p in projects if p.programme_id == programme.pk]
    web = _web_master(people, projects[0])
    page = actions.update_programme_page(
        actor=web, programme=programme, version=None,
        changes={"headline": f"{programme.name}: on course for this year's releases",
                 "message": "Each project below shows its own status, as its team "
                            "publishes it."},
        projects=[p.code for p in members], documents=_approved(members, 2))
    actions.post_status_announcement(
        actor=web, page=page, title="Programme open day",
        body="Meet the project teams and see the first releases in the atrium on Friday.")
    actions.publish_programme_page(actor=web, programme=programme)
