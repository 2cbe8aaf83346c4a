"""Demo architecture: decision records (one superseded by a later one), the solution's
components across every layer with the interfaces between them, and technology standards
in every ring — all through the actions, by the solutions architect."""

from __future__ import annotations

from projectoffice.accounts.models import User
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel

from . import actions
from .models import Component
from .registers import COMPONENTS, DECISION_RECORDS, STANDARDS

# title, type, technology, lifecycle moves
COMPONENTS_DEMO = [
    ("Customer portal", "application", "React / TypeScript", ("go_live",)),
    ("CRM workspace", "application", "Dynamics 365", ("build",)),
    ("Field mobile app", "application", "Kotlin", ()),
    ("API gateway", "interface", "Kong 3", ("go_live",)),
    ("Customer service", "service", "Python / Django", ("build",)),
    ("Order service", "service", "Java / Spring Boot", ("go_live",)),
    ("Billing adapter", "service", "Java 8 / SOAP", ("go_live", "phase_out")),
    ("Customer database", "data_store", "PostgreSQL 16", ("go_live",)),
    ("Data warehouse", "data_store", "Snowflake", ()),
    ("Event bus", "infrastructure", "Apache Kafka", ("go_live",)),
    ("Kubernetes cluster", "infrastructure", "OpenShift 4", ("go_live",)),
]

# from, to, name, protocol (indexes into COMPONENTS_DEMO)
INTERFACES_DEMO = [
    (0, 3, "Portal API", "REST/HTTPS"), (2, 3, "Mobile API", "REST/HTTPS"),
    (3, 4, "Customer lookups", "REST"), (3, 5, "Orders", "REST"),
    (4, 7, "Customer records", "SQL"), (5, 9, "Order events", "Kafka"),
    (1, 9, "CRM updates", "Kafka"), (9, 8, "Nightly load", "Kafka Connect"),
    (5, 6, "Invoices", "SOAP"),
]

ADRS = [
    ("Host services on the corporate Kubernetes cluster", "accept",
     "The portal and its services need automatic scaling and zero-downtime releases; the "
     "infrastructure team runs an OpenShift cluster for the whole company.",
     "1. Virtual machines per service. 2. The corporate OpenShift cluster. 3. A public "
     "cloud's managed Kubernetes.",
     "Run every new service on the corporate OpenShift cluster.",
     "Releases follow the cluster's change windows; no cloud contract is needed."),
    ("One shared database for all services", "accept",
     "The first services were small and shared the customer schema.",
     "1. One shared PostgreSQL database. 2. A database per service.",
     "All services use one shared PostgreSQL database.",
     "Simple to start; schema changes need every team's agreement."),
    ("A database per service", "accept",
     "Schema changes in the shared database held three releases back this quarter.",
     "1. Keep the shared database with stricter reviews. 2. A database per service with "
     "events for shared data.",
     "Each service owns its database; other services read its data through its API or "
     "events.",
     "Teams release independently; reports read from the data warehouse."),
    ("Stream CRM changes through the event bus", "",
     "The CRM workspace must tell orders and billing of customer changes within a minute.",
     "1. Nightly file exports. 2. Direct API calls from the CRM. 3. Events on Kafka.",
     "Publish customer changes as events on the event bus.",
     "Consumers must handle replays; the bus becomes critical for the CRM."),
    ("Build the field app as a progressive web app", "reject",
     "Field engineers need the app offline on company phones.",
     "1. Progressive web app. 2. Native Android app.",
     "Build a progressive web app.",
     "Offline storage limits on the phones are too small for the work-order history."),
]

STANDARDS_DEMO = [
    ("Python 3.11+", "language", "Python", ("approve",)),
    ("PostgreSQL 16", "database", "PostgreSQL", ("approve",)),
    ("React 18", "framework", "React", ("approve",)),
    ("Oracle Database 19c", "database", "Oracle", ("tolerate",)),
    ("Java 8", "language", "Java", ("approve", "phase_out")),
    ("Apache Kafka", "platform", "Kafka", ()),
]


def demo_architecture(people: dict[str, User], projects: list[Project]) -> None:
    nina = people["nina"]
    for n, project in enumerate(projects[:2]):
        _components(nina, project, full=n == 0)
        if n == 0:
            _records(nina, project)
            _standards(nina, project)


def _components(nina: User, project: Project, full: bool) -> None:
    rows = COMPONENTS_DEMO if full else COMPONENTS_DEMO[3:6] + COMPONENTS_DEMO[7:8]
    made: list[Component] = []
    for title, kind, technology, moves in rows:
        item = kernel.create_item(actor=nina, spec=COMPONENTS, project=project,
                                  data={"title": title, "component_type": kind,
                                        "technology": technology, "owner": nina,
                                        "description": f"{title} of {project.code}."})
        for move in moves:
            item = kernel.transition_item(actor=nina, item=item, transition=move,
                                          version=item.version,
                                          comment="Replaced by the new billing service"
                                          if move == "phase_out" else "")
        assert isinstance(item, Component)
        made.append(item)
    if not full:
        actions.add_interface(actor=nina, source=made[0], target=made[1], name="Customer API",
                              protocol="REST")
        actions.add_interface(actor=nina, source=made[1], target=made[3], name="Records",
                              protocol="SQL")
        return
    for a, b, name, protocol in INTERFACES_DEMO:
        actions.add_interface(actor=nina, source=made[a], target=made[b], name=name,
                              protocol=protocol)


def _records(nina: User, project: Project) -> None:
    made = []
    for title, move, context, options, decision, consequences in ADRS:
        item = kernel.create_item(actor=nina, spec=DECISION_RECORDS, project=project,
                                  data={"title": title, "context": context, "options": options,
                                        "decision": decision, "consequences": consequences,
                                        "owner": nina})
        if move:
            item = kernel.transition_item(actor=nina, item=item, transition=move,
                                          version=item.version,
                                          comment="Offline limits" if move == "reject" else "")
        made.append(item)
    shared, per_service = made[1], made[2]
    actions.supersede_decision(actor=nina, record=shared, by=per_service,  # type: ignore[arg-type]
                               version=shared.version,
                               comment="Schema changes held releases back")


def _standards(nina: User, project: Project) -> None:
    for title, category, technology, moves in STANDARDS_DEMO:
        item = kernel.create_item(actor=nina, spec=STANDARDS, project=project,
                                  data={"title": title, "category": category,
                                        "technology": technology, "owner": nina})
        for move in moves:
            item = kernel.transition_item(
                actor=nina, item=item, transition=move, version=item.version,
                comment={"tolerate": "Kept for the finance package only",
                         "phase_out": "Out of vendor support next year"}.get(move, ""))
