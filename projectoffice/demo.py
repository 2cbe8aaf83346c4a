"""The demo portfolio: a realistic office that a new user can explore at once.

Everything is written through the actions, so the demo also has a real audit trail.
`pmo demo --projects 1000` makes a large portfolio for load tests: beyond the eight story
projects, the projects are bulk copies of them (see `demo_bulk`).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from projectoffice.accounts.actions import create_user
from projectoffice.accounts.models import User
from projectoffice.accounts.roles import GlobalRole, ProjectRole
from projectoffice.architecture.demo import demo_architecture
from projectoffice.assurance.demo import demo_assurance
from projectoffice.assurance.quality_demo import demo_quality
from projectoffice.controls.actions import (
    add_change_edit,
    assess_change,
    escalate_issue,
    set_project_controls,
)
from projectoffice.controls.models import Issue
from projectoffice.controls.registers import (
    ACTIONS,
    ASSUMPTIONS,
    CHANGES,
    CONSTRAINTS,
    DECISIONS,
    DEPENDENCIES,
    ISSUES,
    RISKS,
)
from projectoffice.demo_bulk import load_copies
from projectoffice.documents.demo import demo_documents
from projectoffice.engagement.demo import demo_engagement
from projectoffice.facilities.demo import demo_facilities
from projectoffice.finance.actions import current_budget
from projectoffice.finance.demo import demo_exchange_rates
from projectoffice.infosec.demo import demo_security
from projectoffice.jobs.registry import enqueue_now
from projectoffice.jobs.tasks import reindex, warm_figures
from projectoffice.meetings.demo import demo_meetings
from projectoffice.notices.demo import demo_notices
from projectoffice.orgdesign.demo import demo_orgdesign
from projectoffice.orgdesign.skills_demo import demo_skills
from projectoffice.people.demo import demo_accounts, demo_contacts, demo_people
from projectoffice.planning import actions as plan_actions
from projectoffice.planning.demo import demo_plan, link_projects
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.portfolio.models import (
    Phase,
    Portfolio,
    Programme,
    Project,
    ProjectOffice,
    ProjectStatus,
    Rag,
)
from projectoffice.registers import actions as register_actions
from projectoffice.registers.models import Notification, NotificationKind
from projectoffice.reportbuilder.demo import demo_saved_reports
from projectoffice.reports.demo import demo_reports
from projectoffice.resources.demo import demo_levelling, demo_supplier_import
from projectoffice.schedulerisk.demo import demo_schedule_risk
from projectoffice.support.demo import demo_support
from projectoffice.timesheets.demo import demo_adjustments, demo_current_week, demo_money
from projectoffice.training.demo import demo_training
from projectoffice.website.demo import demo_technical

DEMO_PASSWORD = "office-demo-2026"

PEOPLE = [
    # username, display name, job title, global role, project role they usually hold
    ("pmo", "Priya Mehta", "Project Office Manager", GlobalRole.PMO_MANAGER, None),
    ("staff", "Tom Okafor", "PMO Analyst", GlobalRole.PMO_STAFF, None),
    ("exec", "Helen Carter", "Chief Operating Officer", GlobalRole.EXECUTIVE, None),
    ("alice", "Alice Nguyen", "Senior Project Manager", "", ProjectRole.PROJECT_MANAGER),
    ("ben", "Ben Harris", "Project Manager", "", ProjectRole.PROJECT_MANAGER),
    ("chloe", "Chloé Martin", "Project Manager", "", ProjectRole.PROJECT_MANAGER),
    ("dan", "Dan Kowalski", "Planner", "", ProjectRole.PLANNER),
    ("erin", "Erin O'Neill", "Project Office Administrator", "", ProjectRole.ADMINISTRATOR),
    ("farah", "Farah Siddiqui", "Project Accountant", "", ProjectRole.PROJECT_ACCOUNTANT),
    ("george", "George Adeyemi", "Quality Manager", "", ProjectRole.QUALITY_MANAGER),
    ("hana", "Hana Sato", "Test Manager", "", ProjectRole.TESTING_MANAGER),
    ("ivan", "Ivan Petrov", "Configuration Manager", "", ProjectRole.CONFIGURATION_MANAGER),
    ("julia", "Julia Rossi", "Communications Lead", "", ProjectRole.COMMUNICATIONS),
    ("kofi", "Kofi Mensah", "Training Manager", "", ProjectRole.TRAINING_MANAGER),
    ("lena", "Lena Fischer", "Business Change Manager", "", ProjectRole.CHANGE_MANAGER),
    ("odile", "Odile Martin", "Organisational Design Manager", "", ProjectRole.ORG_DESIGNER),
    ("marc", "Marc Dubois", "Security Manager", "", ProjectRole.SECURITY_MANAGER),
    ("nina", "Nina Larsen", "Solutions Architect", "", ProjectRole.ARCHITECT),
    ("sam", "Sam Turner", "IT Support Analyst", "", ProjectRole.SUPPORT),
    ("rosa", "Rosa Jiménez", "Database Manager", "", ProjectRole.DATABASE_MANAGER),
    ("theo", "Theo Brandt", "Web Master", "", ProjectRole.WEB_MASTER),
    ("omar", "Omar Haddad", "Developer", "", ProjectRole.TEAM_MEMBER),
    ("paula", "Paula Silva", "Business Analyst", "", ProjectRole.TEAM_MEMBER),
    ("quinn", "Quinn Walsh", "Customer Representative", "", ProjectRole.STAKEHOLDER),
]

PROGRAMMES = [
    ("DIGI", "Digital Services", "Move customer services online and retire paper forms."),
    ("INFRA", "Infrastructure Renewal", "Replace ageing data centre and network estate."),
    ("REG", "Regulatory Compliance", "Meet the 2027 reporting and data-protection duties."),
]

# Projects run in another currency; their roll-ups convert at the PMO's exchange rates.
DEMO_CURRENCIES = {"MOBILE": "EUR", "HQFIT": "USD"}

PROJECT_TEMPLATES = [
    ("CRM", "Customer Relationship Management Rollout", "DIGI", "Retail Division"),
    ("PORTAL", "Self-Service Customer Portal", "DIGI", "Customer Services"),
    ("MOBILE", "Field Engineer Mobile App", "DIGI", "Field Operations"),
    ("DCMIG", "Data Centre Migration", "INFRA", "IT Operations"),
    ("NET", "Wide-Area Network Refresh", "INFRA", "IT Operations"),
    ("GDPR", "Data Protection Remediation", "REG", "Legal & Compliance"),
    ("IFRS", "IFRS 17 Reporting", "REG", "Finance"),
    ("HQFIT", "Head Office Fit-Out", None, "Facilities"),
]

ISSUE_TITLES = [
    ("Supplier has missed the hardware delivery date", "high", "problem"),
    ("Test environment unavailable for two days each week", "medium", "problem"),
    ("Requirement for single sign-on not in the agreed scope", "high", "request"),
    ("Data migration trial found 4% of records with invalid postcodes", "critical",
     "off_specification"),
    ("Key business analyst on long-term leave", "medium", "problem"),
    ("Licence costs higher than the approved budget line", "high", "problem"),
    ("Accessibility audit failed on the payment screens", "high", "defect"),
    ("Training rooms double-booked for go-live week", "low", "problem"),
    ("Sponsor asks for an extra reporting dashboard", "medium", "request"),
    ("Firewall change freeze overlaps the cut-over window", "high", "problem"),
]

ACTION_TITLES = [
    "Confirm revised delivery date with the supplier",
    "Book the test environment for the integration run",
    "Draft the change request for single sign-on",
    "Clean invalid postcodes before the next migration trial",
    "Arrange cover for business analysis work",
    "Prepare the budget variance note for the board",
    "Fix colour contrast on the payment screens",
    "Re-book training rooms for go-live week",
    "Send the weekly highlight report to stakeholders",
    "Update the risk register after the design review",
    "Agree acceptance criteria with the customer representative",
    "Circulate minutes of the project board",
    "Review the cut-over plan with IT operations",
    "Collect timesheets from the contractors",
    "Check the security controls against the design",
]


@dataclass
class DemoLogins:
    password: str
    users: list[tuple[str, str]] = field(default_factory=list)


def reset_database() -> None:
    """Empties the database: the SQLite file is removed; PostgreSQL tables are flushed."""
    if connection.vendor == "sqlite":
        name = Path(str(settings.DATABASES["default"]["NAME"]))
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(str(name) + suffix).unlink(missing_ok=True)
    else:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)


def _progress(enabled: bool, done: int, total: int, label: str) -> None:
    if enabled:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stdout.write(f"\r{label:<12} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done}/{total}")
        sys.stdout.flush()
        if done == total:
            sys.stdout.write("\n")


def _people() -> dict[str, User]:
    people: dict[str, User] = {}
    for username, name, title, global_role, _ in PEOPLE:
        existing = User.objects.filter(username=username).first()
        people[username] = existing or create_user(
            actor=None, username=username, password=DEMO_PASSWORD, display_name=name,
            job_title=title, global_role=global_role, email=f"{username}@example.org",
            is_superuser=username == "pmo", validate=False)
    return people


def load_demo(*, projects: int = 8, seed: int = 7, progress: bool = True,
              today: date | None = None) -> DemoLogins:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    people = _people()
    pmo = people["pmo"]
    logins = DemoLogins(password=DEMO_PASSWORD)
    for username, name, title, global_role, _role in PEOPLE:
        label = title if not global_role else f"{title} (sees every project)"
        logins.users.append((username, f"{name} – {label}"))
    if Portfolio.objects.exists():
        if progress:
            print("The database already holds a portfolio; nothing added (use --fresh).")
        return logins

    with transaction.atomic():
        portfolio = portfolio_actions.create_portfolio(
            actor=pmo, name="Enterprise Change Portfolio", owner=people["exec"],
            description="All change projects of the organisation, reviewed monthly by the "
                        "investment board.")
        office = portfolio_actions.create_office(
            actor=pmo, name="Corporate Project Office", manager=pmo, location="London, floor 4",
            description="Serves every programme: planning, controls, finance and reporting.")
        programmes = {
            code: portfolio_actions.create_programme(
                actor=pmo, portfolio=portfolio, code=code, name=name, description=text,
                manager=people["alice"], sponsor=people["exec"])
            for code, name, text in PROGRAMMES
        }

    managers = [people["alice"], people["ben"], people["chloe"]]
    stories = min(projects, len(PROJECT_TEMPLATES))
    for n in range(stories):
        template = PROJECT_TEMPLATES[n % len(PROJECT_TEMPLATES)]
        cycle = n // len(PROJECT_TEMPLATES)
        code = template[0] if cycle == 0 else f"{template[0][:8]}-{cycle + 1}"
        name = template[1] if cycle == 0 else f"{template[1]} (wave {cycle + 1})"
        with transaction.atomic():
            _demo_project(rng, today, people, pmo, portfolio, office, programmes, managers,
                          n, code, name, template)
        _progress(progress, n + 1, stories, "Projects")
    with transaction.atomic():
        link_projects(rng, list(Project.objects.order_by("pk")), pmo)
        # The planner's grid shows the columns he works in (chosen with "Columns ▾"); the
        # others see the default set.
        planner = User.objects.filter(username="dan").first()
        if planner is not None:
            plan_actions.save_plan_layout(actor=planner, columns=[
                "mode", "duration", "start", "finish", "predecessors", "resources",
                "percent_complete", "constraint", "constraint_date", "deadline",
                "total_float", "wbs"])
    if projects > stories:  # the large portfolio: copies of the story projects, in bulk
        story_team = [people[username] for username, *_rest in PEOPLE
                      if username not in ("pmo", "staff", "exec")]
        load_copies(stories=list(Project.objects.order_by("pk")), count=projects - stories,
                    story_team=story_team, actor=pmo, progress=progress)
        # The copies' registers are found by search once the worker has indexed them.
        enqueue_now(reindex)
    with transaction.atomic():
        demo_people(people, today)
        demo_accounts(people)
        demo_contacts(people, today, rng)
        named = list(Project.objects.filter(
            code__in=[t[0] for t in PROJECT_TEMPLATES]).order_by("pk"))
        demo_facilities(people, named, today)
        demo_notices(people, named, today)
        demo_exchange_rates(pmo, today)
        changing = demo_engagement(people, named, today)
        if changing is not None:
            # Training and the organisation's design follow from the change's impacts.
            demo_training(people, changing, today)
            positions = demo_orgdesign(people, changing)
            demo_skills(people, changing, positions, today)
    with transaction.atomic():
        demo_current_week(people, today)  # after the absences, which it respects
        demo_reports(pmo, today, only=named)
        demo_saved_reports(pmo)
        demo_schedule_risk(random.Random(seed), only=named)
        demo_assurance(people, named, today)
        demo_support(people, named, today)
        demo_architecture(people, named)
        demo_quality(people, named, today)
        demo_security(people, named, today)
        demo_technical(people, named, today)
        _settle_notifications()
    # Every project's figures computed and kept by the worker, before anyone opens a roll-up
    # (a page that comes first computes what is not kept yet).
    enqueue_now(warm_figures)
    return logins


def _settle_notifications(keep: int = 3) -> None:
    """Building the demo assigns hundreds of tasks and items at once; a person has long
    since read all but the latest few of those notifications, so the bell shows what a
    working office would (each person's newest `keep` of each such kind stay unread)."""
    from django.utils import timezone

    settled = (NotificationKind.TASK, NotificationKind.ASSIGNED)
    unread = (Notification.objects.filter(kind__in=settled, read_at__isnull=True)
              .order_by("recipient_id", "kind", "-created_at", "-pk")
              .values_list("pk", "recipient_id", "kind"))
    seen: dict[tuple[int, str], int] = {}
    read = []
    for pk, recipient, kind in unread:
        seen[(recipient, kind)] = seen.get((recipient, kind), 0) + 1
        if seen[(recipient, kind)] > keep:
            read.append(pk)
    for start in range(0, len(read), 500):
        Notification.objects.filter(pk__in=read[start:start + 500]).update(
            read_at=timezone.now())


def _demo_project(rng: random.Random, today: date, people: dict[str, User], pmo: User,
                  portfolio: Portfolio, office: ProjectOffice, programmes: dict[str, Programme],
                  managers: list[User], n: int, code: str, name: str,
                  template: tuple[str, str, str | None, str]) -> None:
    start = today - timedelta(days=rng.randint(30, 300))
    finish = start + timedelta(days=rng.randint(200, 540))
    rag = rng.choices([Rag.GREEN, Rag.AMBER, Rag.RED], weights=[5, 3, 1])[0]
    reasons = {Rag.AMBER: "Supplier delivery is two weeks late; recovery plan agreed.",
               Rag.RED: "Go-live at risk: data migration defects exceed tolerance."}
    phase = rng.choice([Phase.PLANNING, Phase.EXECUTION, Phase.EXECUTION, Phase.EXECUTION])
    manager = managers[n % len(managers)]
    project = portfolio_actions.create_project(
        actor=pmo, code=code, name=name, portfolio=portfolio,
        programme=programmes.get(template[2]) if template[2] else None, office=office,
        manager=manager, sponsor=people["exec"], customer=template[3], start_date=start,
        currency=DEMO_CURRENCIES.get(template[0], "GBP"),
        finish_date=finish, phase=phase, status=ProjectStatus.ACTIVE, rag=rag,
        rag_reason=reasons.get(rag, ""),
        description=f"{name} for {template[3]}. Delivers the agreed scope within the "
                    "approved budget and tolerances.")
    for username, _, _, _global_role, role in PEOPLE:
        if role and role != ProjectRole.PROJECT_MANAGER:
            portfolio_actions.add_member(actor=manager, project=project,
                                         user=people[username], role=role)
    team = [people[u] for u in ("dan", "erin", "farah", "george", "hana", "omar", "paula",
                                "nina", "julia")]
    for i, (title, severity, kind) in enumerate(rng.sample(ISSUE_TITLES, 6)):
        raised = min(start + timedelta(days=i * 9), today)
        issue = register_actions.create_item(
            actor=people["erin"], spec=ISSUES, project=project, today=raised,
            data={"title": title, "severity": severity, "issue_type": kind,
                  "priority": severity if severity != "critical" else "critical",
                  "owner": rng.choice([manager, *team[:4]]),
                  "due_date": max(raised + timedelta(days=7),
                                  today + timedelta(days=rng.randint(-20, 40))),
                  "description": f"{title}. Raised at the weekly project meeting.",
                  "impact": "Delays the next milestone by up to two weeks if not resolved."})
        fate = rng.random()
        if fate < 0.3:
            issue = register_actions.transition_item(actor=manager, item=issue,
                                                     transition="start", version=issue.version)
        elif fate < 0.5:
            issue = register_actions.transition_item(actor=manager, item=issue,
                                                     transition="resolve", version=issue.version)
            register_actions.transition_item(actor=manager, item=issue, transition="close",
                                             version=issue.version)
        if severity == "critical" and fate >= 0.5:
            assert isinstance(issue, Issue)
            escalate_issue(actor=manager, issue=issue, version=issue.version,
                           reason="Needs a decision on extra funding beyond project tolerance.")
        if fate > 0.7:
            register_actions.add_comment(actor=rng.choice(team), item=issue,
                                         body="Spoke to the supplier; they will confirm by "
                                              "Friday.")
    for i, title in enumerate(rng.sample(ACTION_TITLES, 8)):
        assignee = rng.choice([*team, manager])
        action = register_actions.create_item(
            actor=manager, spec=ACTIONS, project=project, today=today - timedelta(days=30 - i),
            data={"title": title, "assignee": assignee, "owner": manager,
                  "priority": rng.choice(["low", "medium", "medium", "high"]),
                  "due_date": today + timedelta(days=rng.randint(-8, 30)),
                  "source": rng.choice(["Project board", "Weekly team meeting",
                                        "Design review", "Risk workshop"])})
        if rng.random() < 0.35:
            register_actions.transition_item(actor=assignee, item=action, transition="complete",
                                             version=action.version)
    demo_plan(rng, project, manager, today)
    demo_money(rng, project, manager, people["farah"], people, today)
    if n < 3:  # corrections of locked time, one of them overtime
        demo_adjustments(project, manager)
    # Once resources are on the tasks: a baseline that carries their planned cost.
    plan_actions.save_baseline(actor=manager, project=project, number=1,
                               name="Cost-loaded plan")
    if n < 2:  # one project over-allocated before levelling, one levelled
        demo_levelling(project, manager, level=n == 1)
    if n == 1:  # the supplier's MS Project file with their team on the build tasks
        demo_supplier_import(project, manager)
    earlier = list(Project.objects.filter(portfolio=portfolio).exclude(pk=project.pk))
    _demo_controls(rng, today, people, project, manager, earlier, n)
    if n < len(PROJECT_TEMPLATES):  # office records for the named projects only
        demo_documents(project, manager, people, today)
        demo_meetings(project, manager, people, today)


RISK_TITLES = [
    ("Key supplier may not deliver the hardware on time", "commercial", (4, 4, 3, 2),
     (2, 3, 2, 2), "reduce"),
    ("Data migration may corrupt customer records", "technical", (3, 3, 4, 5),
     (2, 2, 2, 3), "reduce"),
    ("Specialist developers may leave before go-live", "people", (3, 4, 3, 3),
     None, "accept"),
    ("New regulation may change the reporting format", "regulatory", (2, 3, 3, 4),
     (2, 2, 2, 2), "transfer"),
    ("Cloud costs may exceed the approved budget line", "financial", (4, 1, 4, 1),
     (3, 1, 3, 1), "avoid"),
    ("Re-use of the group identity service could save two months", "technical", (3, 4, 3, 2),
     None, "exploit"),
]

CHANGE_STATES = [(), ("submit",), ("submit", "assess"), ("submit", "assess", "approve"),
                 ("submit", "assess", "reject"), ("submit", "assess", "defer"),
                 ("submit", "assess", "approve", "apply"), ("submit", "withdraw")]


def _change_edits(project: Any, big: bool) -> list[dict[str, Any]]:
    """Plan edits for a demo change request: lengthen a critical task not yet started (and,
    for the big one, add an integration task after it)."""
    tasks = (PlanTask.objects.filter(plan__project=project, summary=False, milestone=False,
                                     percent_complete=0).select_related("plan")
             .order_by("-critical", "position"))
    task = tasks.first()
    if task is None:
        return []
    days = round(task.duration / 480) + (10 if big else 5)
    edits: list[dict[str, Any]] = [{"op": "update", "uid": task.uid, "duration": f"{days}d"}]
    if big:
        new_uid = task.plan.next_uid  # the UID the plan editor gives the inserted task
        edits += [{"op": "insert", "name": "Single sign-on integration", "duration": "5d",
                   "before": task.uid},
                  {"op": "link", "uid": task.uid, "predecessor": new_uid, "type": "FS"}]
    return edits


def _change_budget_edit(project: Any) -> dict[str, Any] | None:
    """A budget edit for a demo change request: more on the last month's travel line of the
    approved budget."""
    budget = current_budget(project)
    line = budget.lines.filter(category="travel").order_by("-period").first() if budget else None
    if line is None:
        return None
    return {"op": "budget", "wbs": line.task_uid, "category": "travel",
            "period": line.period.strftime("%Y-%m"), "amount": "1200.00"}


def _demo_controls(rng: random.Random, today: date, people: dict[str, User], project: Any,
                   manager: User, others: list[Any], n: int) -> None:
    """Risks, assumptions, dependencies, constraints, decisions and change requests of one
    demo project, with change requests spread over every state across the portfolio."""
    erin, move = people["erin"], register_actions.transition_item
    # Two risks of each project bear on tasks still to finish, so a change that moves
    # those tasks lists them first.
    ahead = list(PlanTask.objects.filter(plan__project=project, summary=False,
                                         milestone=False, percent_complete__lt=100)
                 .order_by("position").values_list("position", flat=True)[:40])
    if n == 1:
        # One project has its own, tighter thresholds and a 1–10 risk scale.
        set_project_controls(actor=people["pmo"], project=project, version=1,
                             changes={"approval_cost": Decimal(25000), "approval_days": 5,
                                      "risk_scale": 10})
    for i, (title, category, inherent, residual, strategy) in enumerate(
            rng.sample(RISK_TITLES, 4)):
        opportunity = strategy == "exploit"
        data: dict[str, Any] = {
            "title": title, "category": category, "owner": rng.choice([manager, erin]),
            "kind": "opportunity" if opportunity else "threat",
            "cause": "Identified at the risk workshop.", "event": title + ".",
            "effect": "Milestones slip and costs rise.", "response_strategy": strategy,
            "proximity": rng.choice(["imminent", "month", "quarter", "later"]),
            "review_date": today + timedelta(days=rng.randint(-5, 30)),
            **dict(zip(("inherent_probability", "inherent_time", "inherent_cost",
                        "inherent_quality"), inherent, strict=True))}
        if residual:
            data.update(zip(("residual_probability", "residual_time", "residual_cost",
                             "residual_quality"), residual, strict=True))
        if i < 2 and ahead:
            data["task_reference"] = str(rng.choice(ahead))
        risk = register_actions.create_item(actor=erin, spec=RISKS, project=project,
                                            data=data, today=today - timedelta(days=70 - 9 * i))
        if residual:
            risk = move(actor=manager, item=risk, transition="respond", version=risk.version)
        if i == 3:
            move(actor=manager, item=risk, transition="close", version=risk.version,
                 comment="The cause has gone.", today=today - timedelta(days=14))
    for title, days in (("The customer provides test data by the end of the design stage", 20),
                        ("Existing licences cover the new users", -5)):
        register_actions.create_item(
            actor=erin, spec=ASSUMPTIONS, project=project, today=today - timedelta(days=40),
            data={"title": title, "owner": manager, "validate_by": today + timedelta(days=days),
                  "due_date": today + timedelta(days=days), "basis": "Project board, March",
                  "consequence": "Rework of the plan and an extra month of testing."})
    if others:
        other = others[n % len(others)]
        gate = (PlanTask.objects.filter(plan__project=other, milestone=True)
                .order_by("position").first())
        # The Project Office records links between projects: it sees both ends. The
        # dependency names a milestone of the other plan and follows its date live.
        dep = register_actions.create_item(
            actor=people["pmo"], spec=DEPENDENCIES, project=project,
            today=today - timedelta(days=30),
            data={"title": f"Interface specification from {other.code}", "owner": manager,
                  "dependency_type": "internal", "other_project": other,
                  "other_reference": gate.name if gate else "Interfaces agreed",
                  "needed_by": (gate.finish.date() + timedelta(days=rng.choice([-10, 15]))
                                if gate and gate.finish else today + timedelta(days=20)),
                  "promised_on": today + timedelta(days=rng.choice([10, 27]))})
        if n % 3 == 0:
            move(actor=manager, item=dep, transition="flag", version=dep.version,
                 comment="Their design review slipped.")
    register_actions.create_item(
        actor=manager, spec=DEPENDENCIES, project=project, today=today - timedelta(days=25),
        data={"title": "Signed-off acceptance criteria", "dependency_type": "external",
              "party": "Customer representative", "party_type": "customer", "owner": manager,
              "needed_by": today + timedelta(days=15), "promised_on": today + timedelta(days=12)})
    register_actions.create_item(
        actor=manager, spec=CONSTRAINTS, project=project, today=today - timedelta(days=60),
        data={"title": "Go-live before the financial year end", "constraint_type": "time",
              "source": "Board mandate", "owner": manager,
              "impact": "No slack for a second test cycle."})
    decision = register_actions.create_item(
        actor=manager, spec=DECISIONS, project=project, today=today - timedelta(days=35),
        data={"title": "Hosting of the new service", "owner": manager,
              "options": "1. Own data centre  2. Public cloud  3. Managed hosting",
              "decision": "Public cloud, UK region", "rationale": "Lowest five-year cost.",
              "decided_by": people["exec"], "decided_on": today - timedelta(days=30)})
    move(actor=manager, item=decision, transition="decide", version=decision.version)
    register_actions.create_item(
        actor=manager, spec=DECISIONS, project=project, today=today - timedelta(days=5),
        data={"title": "Phasing of the roll-out", "owner": manager,
              "options": "Big bang; region by region"})
    for k in range(2):
        path = CHANGE_STATES[(2 * n + k) % len(CHANGE_STATES)]
        big = k == 1
        change: Any = register_actions.create_item(
            actor=manager, spec=CHANGES, project=project, today=today - timedelta(days=20),
            data={"title": ("Add single sign-on to the release" if big
                            else "Move the training week by five days"),
                  "change_type": "scope" if big else "durations", "owner": manager,
                  "requested_by": people["exec"] if big else people["kofi"],
                  "change_detail": "Adds SSO integration tasks." if big
                  else "Training tasks move five days later.",
                  "reason": "Customer security policy." if big else "Trainer availability."})
        edits = _change_edits(project, big)
        budget_edit = _change_budget_edit(project) if "apply" in path and edits else None
        if budget_edit is not None:
            # The trainer's extra trip comes out of the travel budget once applied.
            edits.append(budget_edit)
        for edit in edits:
            change = add_change_edit(actor=manager, change=change, version=change.version,
                                     edit=edit)
        for step in path:
            if step == "assess":
                # The planner's what-if: the delay and milestone movement come from the plan.
                change = assess_change(actor=manager, change=change, version=change.version,
                                       cost_impact=Decimal(48000 if big else 0
                                                           if budget_edit else 1200),
                                       today=today - timedelta(days=15))
                change = register_actions.update_item(
                    actor=manager, item=change, version=change.version,
                    changes={"assessment": "Assessed on a what-if copy of the plan; the "
                                           "cost is the planner's estimate."})
            approver = (people["exec"] if step in ("approve", "reject", "defer")
                        and (big or (change.delay_days or 0) > 10)
                        else manager)
            change = move(actor=approver, item=change, transition=step,
                          version=change.version,
                          comment={"approve": "Agreed at the project board.",
                                   "reject": "Not worth the delay.",
                                   "defer": "Revisit after release 1.",
                                   "withdraw": "Folded into a wider change."}.get(step, ""))
