"""The stakeholder register and the communication plan, declared on the kernel, and the
service that offers them with their own pages (the stakeholder map, the communications
calendar and the effectiveness of what was sent)."""

from __future__ import annotations

from projectoffice.registers.services import Service, ServicePage, register_service
from projectoffice.registers.spec import RegisterSpec, register
from projectoffice.registers.workflow import State, Transition, Workflow

from .models import ChangeImpact, Communication, Stakeholder

STAKEHOLDER_WORKFLOW = Workflow(
    initial="identified",
    states=(
        State("identified", "Identified", tone="info"),
        State("engaged", "Engaged", tone="progress"),
        State("archived", "No longer involved", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("engage", "Start engaging", ("identified",), "engaged",
                   "stakeholder.transition"),
        Transition("archive", "No longer involved", ("identified", "engaged"), "archived",
                   "stakeholder.close", needs_comment=True),
        Transition("reinstate", "Involve again", ("archived",), "engaged",
                   "stakeholder.transition"),
    ),
)

COMMUNICATION_WORKFLOW = Workflow(
    initial="planned",
    states=(
        State("planned", "Planned", tone="info"),
        State("active", "Running", tone="progress"),
        State("done", "Done", closed=True, tone="success"),
        State("cancelled", "Cancelled", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("start", "Start", ("planned",), "active", "communication.transition"),
        Transition("finish", "Mark done", ("planned", "active"), "done",
                   "communication.close"),
        Transition("cancel", "Cancel", ("planned", "active"), "cancelled",
                   "communication.close", needs_comment=True),
        Transition("reopen", "Reopen", ("done", "cancelled"), "active",
                   "communication.transition"),
    ),
)

SERVICE_KEY = "engagement"

register_service(Service(
    key=SERVICE_KEY, label="Stakeholders & comms", order=40,
    description="Who has a stake in the project, what they are told, when and how, and how "
                "well it was received.",
    pages=(
        ServicePage("Stakeholder map", "engagement-map", "stakeholder.view",
                    "Power and interest grid, and how far each attitude is from the one "
                    "wanted"),
        ServicePage("Communications calendar", "engagement-calendar", "communication.view",
                    "Planned communications by date, with what was sent and the milestones"),
        ServicePage("Effectiveness", "engagement-effectiveness", "communication.view",
                    "Acknowledgements, survey response rates and scores over time"),
    ),
))

STAKEHOLDERS = register(RegisterSpec(
    key="stakeholders", model=Stakeholder, prefix="STK", area="stakeholder",
    label="Stakeholders", item_label="Stakeholder", workflow=STAKEHOLDER_WORKFLOW,
    fields=("kind", "organisation", "role", "email", "headcount", "power", "interest",
            "attitude_now", "attitude_wanted"),
    list_columns=("kind", "organisation", "power", "interest", "attitude_now",
                  "attitude_wanted"),
    filters=("kind", "attitude_now"),
    detail_main_template="engagement/stakeholder_panel.html",
    description="People and groups with a stake in the project: their power, interest and "
                "attitude now and wanted.",
    icon="users", service=SERVICE_KEY,
))

COMMUNICATIONS = register(RegisterSpec(
    key="communications", model=Communication, prefix="COM", area="communication",
    label="Communication plan", item_label="Communication", workflow=COMMUNICATION_WORKFLOW,
    fields=("message", "channel", "frequency", "starts_on", "ends_on", "milestone_uid"),
    list_columns=("channel", "frequency", "starts_on", "ends_on"),
    filters=("channel", "frequency"),
    detail_main_template="engagement/communication_panel.html",
    description="What is told to whom, through which channel, how often and by whom; what "
                "was sent and how it was received.",
    icon="mail", service=SERVICE_KEY,
))

IMPACT_WORKFLOW = Workflow(
    initial="identified",
    states=(
        State("identified", "Identified", tone="info"),
        State("planned", "Activities planned", tone="progress"),
        State("landed", "Landed", closed=True, tone="success"),
        State("withdrawn", "Withdrawn", closed=True, tone="muted"),
    ),
    transitions=(
        Transition("plan", "Activities planned", ("identified",), "planned",
                   "impact.transition"),
        Transition("land", "Change has landed", ("identified", "planned"), "landed",
                   "impact.close"),
        Transition("withdraw", "Withdraw", ("identified", "planned"), "withdrawn",
                   "impact.close", needs_comment=True),
        Transition("reopen", "Reopen", ("landed", "withdrawn"), "planned",
                   "impact.transition"),
    ),
)

CHANGE_SERVICE_KEY = "orgchange"

register_service(Service(
    key=CHANGE_SERVICE_KEY, label="Change & readiness", order=41,
    description="What changes for each group, how ready they are towards go-live, and the "
                "activities that get them there.",
    pages=(
        ServicePage("Readiness", "engagement-readiness", "impact.view",
                    "ADKAR heat map by group and its trend towards the go-live milestone; "
                    "record an assessment"),
    ),
))

IMPACTS = register(RegisterSpec(
    key="change-impacts", model=ChangeImpact, prefix="IMP", area="impact",
    label="Change impacts", item_label="Change impact", workflow=IMPACT_WORKFLOW,
    fields=("group", "aspect", "impact_level", "changes_on", "milestone_uid"),
    list_columns=("group", "aspect", "impact_level", "changes_on"),
    list_related=("group",),
    filters=("aspect", "impact_level"),
    detail_main_template="engagement/impact_panel.html",
    description="What changes for each stakeholder group — process, role, system, location "
                "or policy — how much, and when.",
    icon="shuffle", service=CHANGE_SERVICE_KEY,
))
