"""Demo stakeholders and communications for the CRM go-live: people and groups on the
power/interest grid, a communication plan tied to the go-live milestone, briefings e-mailed
with their acknowledgements and survey answers rising over the weeks, and others recorded as
given in person — all made through the actions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions

from . import actions, orgchange
from .models import ADKAR, ChangeImpact, Communication
from .registers import COMMUNICATIONS, IMPACTS, STAKEHOLDERS

# name, kind, organisation, role, e-mail, headcount, power, interest, now, wanted, state
STAKEHOLDERS_DEMO = [
    ("Helen Carter", "person", "Executive team", "Sponsor, Chief Operating Officer",
     "helen.carter@example.org", None, 5, 5, "supportive", "leading", "engaged"),
    ("Retail sales directors", "group", "Retail Division", "Own the sales targets",
     "sales-directors@example.org", 6, 5, 3, "neutral", "supportive", "engaged"),
    ("Store managers", "group", "Retail Division", "Run the 40 stores",
     "store-managers@example.org", 40, 3, 5, "resistant", "supportive", "engaged"),
    ("Call-centre agents", "group", "Customer Services", "Answer customers by phone and chat",
     "contact-centre@example.org", 120, 2, 5, "unaware", "supportive", "engaged"),
    ("Marketing team", "group", "Marketing", "Campaigns and customer segments",
     "marketing@example.org", 15, 3, 4, "supportive", "supportive", "engaged"),
    ("Works council", "group", "Staff representatives", "Consulted on new ways of working",
     "works-council@example.org", 7, 4, 2, "neutral", "supportive", "identified"),
    ("IT service desk", "group", "IT Operations", "Supports the new system after go-live",
     "", 12, 2, 3, "neutral", "supportive", "identified"),
    ("Data protection officer", "person", "Legal & Compliance", "Signs off personal data use",
     "dpo@example.org", None, 4, 2, "supportive", "supportive", "engaged"),
]

# title, message, channel, frequency, first (days from today), until milestone?, audience
COMMUNICATIONS_DEMO = [
    ("Monthly CRM update", "Where the CRM rollout stands, what changes next month and where "
     "to ask questions.", "newsletter", "monthly", -63, True,
     ("Retail sales directors", "Store managers", "Call-centre agents", "Marketing team")),
    ("Go-live readiness briefing", "What changes on the day the CRM goes live, who to call, "
     "and the training each team needs before then.", "email", "fortnightly", -28, True,
     ("Store managers", "Call-centre agents", "IT service desk")),
    ("Sponsor steering note", "Decisions needed from the sponsor and the risks to go-live.",
     "email", "monthly", -45, True, ("Helen Carter",)),
    ("Works council consultation", "How the new system changes roles in the stores and the "
     "contact centre.", "meeting", "once", 10, False, ("Works council",)),
    ("Data protection notice", "How customer data moves into the new CRM, and the "
     "safeguards.", "letter", "once", 21, False, ("Data protection officer",)),
]

# communication, days ago, survey question, anonymous, share acknowledging, ratings
SENDS_DEMO = [
    ("Monthly CRM update", 63, "How useful was this update?", False, 0.5, (2, 3, 3)),
    ("Monthly CRM update", 35, "How useful was this update?", False, 0.75, (3, 3, 4, 4)),
    ("Go-live readiness briefing", 28, "Do you know what changes for you at go-live?", True,
     0.75, (3, 4, 4)),
    ("Go-live readiness briefing", 14, "Do you know what changes for you at go-live?", True,
     1.0, (4, 4, 5, 5)),
    ("Monthly CRM update", 7, "How useful was this update?", False, 1.0, (4, 5, 4, 5)),
    ("Sponsor steering note", 45, "", False, 1.0, ()),
    ("Sponsor steering note", 17, "", False, 1.0, ()),
]

COMMENTS = ["Clear, thank you.", "Please say more about the training dates.",
            "Good to know who to call.", "", "Could be shorter.", ""]


def demo_engagement(people: dict[str, User], projects: list[Project],
                    today: dt.date) -> Project | None:
    """Stakeholders and communications on the CRM rollout (the first demo project); returns
    that project, whose change the training and organisation design demos follow."""
    project = next((p for p in projects if p.code == "CRM"), projects[0] if projects else None)
    if project is None:
        return None
    rng = random.Random(18)
    julia = people["julia"]
    owner = {"person": people["julia"], "group": people["lena"]}
    milestones = PlanTask.objects.filter(plan__project=project, milestone=True)
    go_live = (milestones.filter(name="Deploy complete").first()
               or milestones.order_by("position").last())
    go_live_day = go_live.finish.date() if go_live is not None and go_live.finish else None
    found: dict[str, Any] = {}
    for (name, kind, org, role, email, headcount, power, interest, now, wanted,
         state) in STAKEHOLDERS_DEMO:
        item = register_actions.create_item(
            actor=julia, spec=STAKEHOLDERS, project=project, today=today - dt.timedelta(70),
            data={"title": name, "kind": kind, "organisation": org, "role": role,
                  "email": email, "headcount": headcount, "power": power,
                  "interest": interest, "attitude_now": now, "attitude_wanted": wanted,
                  "owner": owner[kind]})
        if state == "engaged":
            item = register_actions.transition_item(actor=julia, item=item,
                                                    transition="engage",
                                                    version=item.version)
        found[name] = item
    comms: dict[str, Any] = {}
    for title, message, channel, frequency, first, to_milestone, audience in \
            COMMUNICATIONS_DEMO:
        starts = today + dt.timedelta(first)
        ends = go_live_day if to_milestone and go_live_day and go_live_day > starts else None
        comm = register_actions.create_item(
            actor=julia, spec=COMMUNICATIONS, project=project,
            today=min(today, starts) - dt.timedelta(7),
            data={"title": title, "message": message, "channel": channel,
                  "frequency": frequency, "starts_on": starts,
                  "ends_on": ends if frequency != "once" else None,
                  "milestone_uid": go_live.uid if go_live is not None and to_milestone
                  else None, "owner": julia})
        assert isinstance(comm, Communication)
        comm = actions.set_audience(actor=julia, communication=comm, version=comm.version,
                                    stakeholders=[found[n] for n in audience])
        if first <= 0:
            comm = register_actions.transition_item(actor=julia, item=comm,
                                                    transition="start",
                                                    version=comm.version)
        comms[title] = comm
    for title, ago, question, anonymous, share, ratings in SENDS_DEMO:
        day = today - dt.timedelta(ago)
        comm = comms[title]
        if comm.channel in ("email", "newsletter"):
            sent = actions.send_communication(
                actor=julia, communication=comm, survey_question=question,
                anonymous=anonymous, today=day,
                addresses=["crm-project-team@example.org"] if ago < 40 else [])
            recipients = list(sent.recipients.order_by("pk"))
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
            for n, recipient in enumerate(recipients):
                token = actions.link_token(recipient)
                if n < len(ratings) and question:
                    actions.answer_survey(token=token, rating=ratings[n],
                                          comment=rng.choice(COMMENTS), today=day)
                elif n < round(share * len(recipients)):
                    actions.acknowledge(token=token, now=moment + dt.timedelta(hours=n + 1))
        else:
            actions.record_sent_elsewhere(actor=julia, communication=comm, sent_on=day,
                                          note="Given in person", today=today)
    _demo_change(people, project, found, go_live, go_live_day, today)
    actions.record_sent_elsewhere(
        actor=julia, communication=comms["Go-live readiness briefing"],
        sent_on=today - dt.timedelta(21), channel="briefing",
        subject="Store managers' conference call", note="34 of 40 store managers joined",
        today=today)
    return project


# group, title, aspect, level
IMPACTS_DEMO = [
    ("Store managers", "Customer visits planned in the CRM, not on the shop diary", "process",
     "high"),
    ("Call-centre agents", "One customer screen replaces three systems", "system", "high"),
    ("Call-centre agents", "Agents close cases without a supervisor's sign-off", "role",
     "medium"),
    ("Retail sales directors", "Pipeline reviews run from CRM dashboards", "process",
     "medium"),
    ("IT service desk", "First-line support for the CRM", "role", "medium"),
    ("Marketing team", "Campaign lists drawn from CRM segments", "process", "low"),
    ("Works council", "Consent needed for call recording in the CRM", "policy", "low"),
]

# group → ADKAR readings (weeks ago, awareness, desire, knowledge, ability, reinforcement)
READINESS_DEMO = {
    "Store managers": [(10, 2, 2, 1, 1, 1), (6, 3, 2, 2, 1, 1), (2, 4, 3, 3, 2, 2)],
    "Call-centre agents": [(10, 1, 1, 1, 1, 1), (6, 3, 2, 2, 2, 1), (2, 4, 4, 3, 3, 2)],
    "Retail sales directors": [(8, 4, 3, 2, 2, 2), (3, 5, 4, 4, 3, 3)],
    "IT service desk": [(7, 3, 3, 2, 1, 1), (1, 4, 4, 4, 3, 2)],
    "Marketing team": [(5, 4, 4, 3, 3, 3)],
}

ACTIVITIES_DEMO = [
    (1, "champions", "Name a CRM champion in each contact-centre team", "paula", 10),
    (0, "briefing", "Brief the store managers' conference on visit planning", "lena", 5),
    (0, "coaching", "Coach regional managers to review visits in the CRM", "lena", 20),
    (4, "support", "Shadow the vendor's support desk for two weeks", "omar", 30),
]


def _demo_change(people: dict[str, User], project: Project, groups: dict[str, Any],
                 go_live: PlanTask | None, go_live_day: dt.date | None,
                 today: dt.date) -> None:
    lena = people["lena"]
    impacts = []
    for group, title, aspect, level in IMPACTS_DEMO:
        impact = register_actions.create_item(
            actor=lena, spec=IMPACTS, project=project, today=today - dt.timedelta(75),
            data={"title": title, "group": groups[group], "aspect": aspect,
                  "impact_level": level, "owner": lena,
                  "changes_on": go_live_day,
                  "milestone_uid": go_live.uid if go_live is not None else None})
        impacts.append(impact)
    for n, kind, title, who, due in ACTIVITIES_DEMO:
        impact = impacts[n]
        assert isinstance(impact, ChangeImpact)
        orgchange.add_change_activity(actor=lena, impact=impact, kind=kind, title=title,
                                      assignee=people[who],
                                      due_date=today + dt.timedelta(due))
    for impact in impacts[:2]:
        register_actions.transition_item(actor=lena, item=impact, transition="plan",
                                         version=impact.version)
    for group, readings in READINESS_DEMO.items():
        for weeks, *scores in readings:
            orgchange.record_assessment(
                actor=lena, group=groups[group], today=today,
                assessed_on=today - dt.timedelta(weeks=weeks),
                scores=dict(zip([name for name, _ in ADKAR], scores, strict=True)),
                note="Pulse survey and team-lead interviews")
