"""Roles from the Project Office source document and the permissions each one carries.

A permission is a string ``"<area>.<verb>"``. Project roles apply inside one project through
a membership; global roles apply to every project. The permission-matrix test walks every API
operation against every role listed here, so a new permission or role is covered at once.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from projectoffice.errors import Forbidden

# Areas that the register kernel manages; each gets view/add/change/transition permissions.
REGISTER_AREAS = ("issue", "action", "risk", "assumption", "dependency", "constraint",
                  "decision", "change", "document", "enquiry", "request", "benefit",
                  "requirement", "deliverable", "testplan", "testcase",
                  "qualityreview", "qualityaudit", "nonconformance", "configitem",
                  "ticket", "asset", "adr", "component", "standard", "control",
                  "dataasset", "migration")


# Registers of the engagement services: everyone on the project reads them; only their
# specialist roles, the project manager and the PMO write to them.
ENGAGEMENT_AREAS = ("stakeholder", "communication", "impact", "trainingneed", "course",
                    "orgunit", "position", "staffingrequest")


def _register_perms(*verbs: str, areas: tuple[str, ...] = REGISTER_AREAS) -> frozenset[str]:
    return frozenset(f"{a}.{v}" for a in areas for v in verbs)


VIEW = frozenset({"project.view", "plan.view", "meeting.view", "resource.view"}) \
    | _register_perms("view") | _register_perms("view", areas=ENGAGEMENT_AREAS)
# Security incidents: anyone on the project reports one (and reads what they reported);
# the security manager and the Project Office manager read them all and handle them.
REPORT_INCIDENT = frozenset({"incident.view", "incident.add"})
INCIDENTS = frozenset({"incident.oversee", "incident.change", "incident.transition",
                       "incident.close"})
# Access reviews: the security manager runs them; the project's manager decides each line
# (confirm or revoke, with membership.manage) and reads them.
ACCESS_REVIEWS = frozenset(f"accessreview.{v}" for v in ("view", "add", "change",
                                                         "transition", "close"))
# Data: the database manager decides the data register's and the migrations' states.
DATA = _register_perms("transition", "close", areas=("dataasset", "migration"))
# The project's website: publishing and revoking its status page.
PUBLISH = frozenset({"statuspage.publish"})
# Money figures: pay rates, costs, budgets, actuals, earned value and cash flow. Held by the
# finance roles, the project manager and the Project Office; everyone else sees hours and dates.
COST = frozenset({"cost.view"})
# Members record their own time on the project.
COLLABORATE = VIEW | REPORT_INCIDENT | frozenset({"comment.add", "attachment.add",
                                                  "timesheet.enter"})
CONTRIBUTE = COLLABORATE | _register_perms("add", "change") | frozenset({"meeting.manage"})
CONTROL = CONTRIBUTE | _register_perms("transition", "close") | frozenset({"issue.escalate"})
# Planning: editing the plan and saving baselines.
PLAN = frozenset({"plan.edit", "baseline.save"})
# Time and money: resources and rates, approving timesheets, budgets, orders and invoices.
MONEY = COST | frozenset({"resource.manage", "timesheet.approve", "finance.manage",
                          "finance.approve", "staffingrequest.approve"})
# Announcements to the project's people.
ANNOUNCE = frozenset({"announcement.post"})
# The specialist services: the quality manager decides requirements and deliverables, the
# testing manager runs tests and imports results, the configuration manager keeps baselines.
QUALITY = frozenset({"quality.manage"}) | _register_perms(
    "transition", "close", areas=("requirement", "deliverable", "qualityreview",
                                  "qualityaudit", "nonconformance"))
TESTING = frozenset({"testing.manage"}) | _register_perms(
    "transition", "close", areas=("testplan", "testcase"))
CONFIGURATION = frozenset({"configuration.manage"}) | _register_perms(
    "transition", "close", areas=("configitem",))
ASSURANCE = QUALITY | TESTING | CONFIGURATION
# Stakeholders and communications: the registers, audiences, sending and surveys.
COMMUNICATIONS = _register_perms("add", "change", "transition", "close",
                                 areas=("stakeholder", "communication")) \
    | frozenset({"communications.manage"})
# Organisational change: change impacts, readiness assessments and change activities.
ORGCHANGE = _register_perms("add", "change", "transition", "close", areas=("impact",)) \
    | frozenset({"orgchange.manage"})
# Training: needs, courses, sessions in the office's rooms, enrolments and attendance.
TRAINING = _register_perms("add", "change", "transition", "close",
                           areas=("trainingneed", "course")) | frozenset({"training.manage"})
# Organisational design: the current and the future organisation's units and positions,
# and staffing requests (decided with staffingrequest.approve, held with resource.manage).
ORGDESIGN = _register_perms("add", "change", "transition", "close",
                            areas=("orgunit", "position", "staffingrequest"))
MANAGE = CONTROL | PLAN | MONEY | ANNOUNCE | ASSURANCE | COMMUNICATIONS | ORGCHANGE \
    | TRAINING | ORGDESIGN \
    | frozenset({"project.change", "membership.manage", "audit.view", "change.approve",
                 "report.write", "ticket.oversee", "accessreview.view"}) | PUBLISH
# Reviewing and publishing the projects' status reports (the Project Office).
REVIEW = frozenset({"report.review"})
# The support desk: answering tickets, internal notes, the knowledge base, check-outs.
SUPPORT = frozenset({"support.handle", "ticket.oversee", "ticket.change", "ticket.transition",
                     "ticket.close", "asset.add", "asset.change", "asset.transition",
                     "asset.close"})
# Office-wide: rooms, equipment and the materials store; announcements to everyone.
OFFICE = frozenset({"facility.manage", "announcement.everyone"})


class ProjectRole(models.TextChoices):
    PROJECT_MANAGER = "project_manager", "Project manager"
    PLANNER = "planner", "Planning & tracking assistant"
    ADMINISTRATOR = "administrator", "Project office administrator"
    PROJECT_ACCOUNTANT = "project_accountant", "Project accountant"
    QUALITY_MANAGER = "quality_manager", "Quality manager"
    TESTING_MANAGER = "testing_manager", "Testing manager"
    CONFIGURATION_MANAGER = "configuration_manager", "Configuration manager"
    COMMUNICATIONS = "communications", "Communications"
    TRAINING_MANAGER = "training_manager", "Training manager"
    CHANGE_MANAGER = "change_manager", "Change manager"
    ORG_DESIGNER = "org_designer", "Organisational design manager"
    SECURITY_MANAGER = "security_manager", "Security manager"
    ARCHITECT = "architect", "Solutions / technology architect"
    SUPPORT = "support", "Technical support"
    DATABASE_MANAGER = "database_manager", "Database manager"
    WEB_MASTER = "web_master", "Web master"
    TEAM_MEMBER = "team_member", "Team member"
    STAKEHOLDER = "stakeholder", "Stakeholder (read only)"


class GlobalRole(models.TextChoices):
    NONE = "", "None"
    PMO_MANAGER = "pmo_manager", "Project Office manager"
    PMO_STAFF = "pmo_staff", "PMO staff"
    EXECUTIVE = "executive", "Executive / sponsor"


PROJECT_ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ProjectRole.PROJECT_MANAGER: MANAGE,
    # The administrator runs issues control and the office's registers for the project.
    ProjectRole.ADMINISTRATOR: CONTROL | frozenset({"audit.view"}),
    ProjectRole.PLANNER: CONTRIBUTE | PLAN,
    ProjectRole.PROJECT_ACCOUNTANT: CONTRIBUTE | COST | frozenset({"finance.manage"}),
    ProjectRole.QUALITY_MANAGER: CONTRIBUTE | QUALITY,
    ProjectRole.TESTING_MANAGER: CONTRIBUTE | TESTING,
    ProjectRole.CONFIGURATION_MANAGER: CONTRIBUTE | CONFIGURATION,
    ProjectRole.COMMUNICATIONS: CONTRIBUTE | COMMUNICATIONS,
    ProjectRole.TRAINING_MANAGER: CONTRIBUTE | TRAINING,
    ProjectRole.CHANGE_MANAGER: CONTRIBUTE | ORGCHANGE,
    ProjectRole.ORG_DESIGNER: CONTRIBUTE | ORGDESIGN,
    # The architect decides the project's architecture records, components and standards.
    ProjectRole.ARCHITECT: CONTRIBUTE | frozenset(
        f"{a}.{v}" for a in ("adr", "component", "standard") for v in ("transition", "close")),
    # Technical support answers the project's tickets and keeps its assets.
    ProjectRole.SUPPORT: CONTRIBUTE | SUPPORT,
    # The security manager reads the audit trail of the projects they serve.
    ProjectRole.SECURITY_MANAGER: CONTRIBUTE | INCIDENTS | ACCESS_REVIEWS
    | frozenset({"audit.view", "control.transition", "control.close"}),
    # The database manager keeps the data register and the data migrations.
    ProjectRole.DATABASE_MANAGER: CONTRIBUTE | DATA,
    # The web master publishes the project's status page.
    ProjectRole.WEB_MASTER: CONTRIBUTE | PUBLISH,
    # Team members draft documents and send them for review; reviewing, approving and
    # withdrawing stay with others (nobody reviews their own submission).
    ProjectRole.TEAM_MEMBER: COLLABORATE | frozenset({"issue.add", "action.change", "risk.add",
                                                      "request.add", "document.add",
                                                      "document.change", "ticket.add"}),
    ProjectRole.STAKEHOLDER: VIEW,
}

GLOBAL_ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    GlobalRole.NONE: frozenset(),
    # people.manage: edit anyone's profile and absences, keep the outside contacts, decide
    # absence requests; people.configure: which absence kinds need approval.
    # The Project Office manager also sets each project's control thresholds and risk scale
    # (as does the project's sponsor: see controls.actions.may_configure).
    # outbox.view: read the e-mail the office kept while no mail server is configured.
    # jobs.view: the background jobs (queued, running, failed with their errors);
    # jobs.start: start one by hand (rebuilding the search index).
    # support.configure: the support desk's service-level targets. The office's staff are
    # its support team (SUPPORT) on every project.
    # roles.manage: give and take away global roles (an access review's global-role lines).
    # accounts.manage: invite people to the office, switch accounts off and on, send a
    # password link.
    GlobalRole.PMO_MANAGER: MANAGE | OFFICE | frozenset({"portfolio.manage", "people.manage",
                                                         "accounts.manage",
                                                         "people.configure",
                                                         "controls.configure", "outbox.view",
                                                         "support.configure", "jobs.view",
                                                         "jobs.start", "roles.manage"})
    | REVIEW | SUPPORT | INCIDENTS | ACCESS_REVIEWS,
    GlobalRole.PMO_STAFF: CONTROL | PLAN | MONEY | ANNOUNCE | OFFICE | ASSURANCE | SUPPORT
    | COMMUNICATIONS | ORGCHANGE | TRAINING | ORGDESIGN
    | frozenset({"audit.view", "people.manage"}) | REVIEW,
    # Executives sponsor projects: they decide the change requests of the projects and
    # programmes they sponsor, above the threshold too (controls/guards.check_decider).
    GlobalRole.EXECUTIVE: VIEW | frozenset({"change.approve"}),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(
    *PROJECT_ROLE_PERMISSIONS.values(), *GLOBAL_ROLE_PERMISSIONS.values()
)


def permissions_for(global_role: str, project_roles: list[str]) -> frozenset[str]:
    perms = set(GLOBAL_ROLE_PERMISSIONS.get(global_role, frozenset()))
    for role in project_roles:
        perms |= PROJECT_ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


# Office-wide questions about one user: their global role, never their project memberships.
# portfolio/access.py answers the project questions and re-exports these.

def has_global(user: Any, perm: str) -> bool:
    """Whether the user holds an office-wide permission (through their global role)."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser
                or perm in permissions_for(getattr(user, "global_role", ""), []))


def require_global(user: Any, perm: str) -> None:
    """Portfolio-level writes (portfolios, programmes, new projects) need a PMO manager."""
    if not has_global(user, perm):
        raise Forbidden(f"You need the {perm!r} permission")


def holds_global_role(user: Any, role: str) -> bool:
    """Whether ``user`` still holds the office-wide ``role`` (a review's line may be stale)."""
    return bool(role) and getattr(user, "global_role", "") == role


def is_pmo_manager(user: Any) -> bool:
    """A superuser or the Project Office manager: the office-wide decisions are theirs."""
    return bool(user.is_authenticated and (
        user.is_superuser or getattr(user, "global_role", "") == GlobalRole.PMO_MANAGER))


def is_pmo(user: Any) -> bool:
    """A superuser, the Project Office manager or PMO staff."""
    return bool(user.is_authenticated and (
        user.is_superuser or getattr(user, "global_role", "") in (
            GlobalRole.PMO_MANAGER, GlobalRole.PMO_STAFF)))
