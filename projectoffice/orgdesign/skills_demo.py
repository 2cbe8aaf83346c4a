"""Demo skills for the CRM go-live: the office's catalogue, what people hold, what the
future positions require (with a job description in the document register), a gap that
proposed a training need, the course answering it (its material a document) passed by the
future product owner — which raised her skill — and staffing requests in each state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.documents import actions as document_actions
from projectoffice.documents.models import Document
from projectoffice.documents.registers import DOCUMENTS
from projectoffice.errors import Conflict
from projectoffice.facilities.models import BookableResource
from projectoffice.people import actions as people_actions
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions
from projectoffice.training import actions as training_actions
from projectoffice.training.models import Course
from projectoffice.training.registers import COURSES

from . import actions
from .registers import STAFFING

CATALOGUE = [
    ("CRM case handling", "CRM", "Find a customer, log, work and close a case"),
    ("CRM configuration", "CRM", "Screens, fields, workflows and access roles of the CRM"),
    ("Customer visit planning", "CRM", "Plan and follow up customer visits in the CRM"),
    ("Pipeline reporting", "CRM", "Build and read the CRM's pipeline dashboards"),
    ("Coaching", "Leadership", "Coach a team through a new way of working"),
    ("Backlog management", "Delivery", "Keep and order a product backlog"),
    ("Data quality", "Data", "Measure and correct the quality of customer records"),
    ("Stakeholder engagement", "Change", "Keep stakeholders informed and on side"),
]

# username → (skill, level), declared by the person
HELD = {
    "paula": [("Backlog management", 3), ("Stakeholder engagement", 3),
              ("CRM case handling", 2)],
    "omar": [("Data quality", 2), ("CRM configuration", 2)],
    "julia": [("Stakeholder engagement", 5)],
    "kofi": [("Coaching", 4), ("Stakeholder engagement", 3)],
    "lena": [("Coaching", 5), ("Stakeholder engagement", 4)],
    "alice": [("Backlog management", 4), ("Stakeholder engagement", 4)],
}

# position key → required (skill, level)
REQUIRED = {
    "f-coe": [("CRM configuration", 3), ("Backlog management", 4),
              ("Stakeholder engagement", 3)],
    "f-champ": [("CRM case handling", 4), ("Coaching", 3)],
    "f-lead1": [("CRM case handling", 3), ("Coaching", 4)],
    "f-lead2": [("CRM case handling", 3), ("Coaching", 4)],
    "f-agent": [("CRM case handling", 3)],
    "f-store": [("Customer visit planning", 3)],
    "f-steward": [("Data quality", 4), ("CRM configuration", 2)],
    "f-region": [("Customer visit planning", 4), ("Pipeline reporting", 3),
                 ("Coaching", 3)],
}

# position key → (holder's username, holder's name)
HOLDERS = {"f-coe": ("paula", "Paula Silva"), "f-champ": ("omar", "Omar Haddad")}

# courses of the training demo → the skill and level each teaches
TAUGHT = {"CRM for contact-centre agents": ("CRM case handling", 3),
          "Visit planning in the CRM": ("Customer visit planning", 3),
          "Pipeline dashboards for sales directors": ("Pipeline reporting", 3)}


def _pdf(title: str, lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(pdf.epw, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for line in lines:
        pdf.multi_cell(pdf.epw, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _document(actor: User, project: Project, title: str, doc_type: str, lines: list[str],
              today: dt.date) -> Document:
    document = register_actions.create_item(
        actor=actor, spec=DOCUMENTS, project=project, today=today,
        data={"title": title, "doc_type": doc_type, "owner": actor,
              "description": lines[0]})
    assert isinstance(document, Document)
    document_actions.upload_version(
        actor=actor, document=document,
        upload=SimpleUploadedFile(f"{title.lower().replace(' ', '-')[:40]}.pdf",
                                  _pdf(title, lines)), note="First issue")
    fresh: Document = Document.objects.get(pk=document.pk)
    return fresh


def demo_skills(people: dict[str, User], project: Project, positions: dict[str, Any],
                today: dt.date) -> None:
    pmo, odile, kofi = people["pmo"], people["odile"], people["kofi"]
    skills = {name: people_actions.create_skill(actor=pmo, name=name, category=cat,
                                                description=text)
              for name, cat, text in CATALOGUE}
    for username, held in HELD.items():
        for name, level in held:
            people_actions.set_person_skill(actor=people[username], person=people[username],
                                            skill=skills[name], level=level,
                                            today=today - dt.timedelta(60))
    # The Project Office assessed Omar's data quality after a records audit.
    people_actions.set_person_skill(actor=pmo, person=people["omar"],
                                    skill=skills["Data quality"], level=2,
                                    today=today - dt.timedelta(30))
    job = _document(odile, project, "Job description: CRM product owner", "SPC", [
        "Owns the CRM after go-live: the backlog of changes, configuration decisions and "
        "the link between the stores, the contact centre and the vendor.",
        "Reports to the Head of Customer Services. Grade M2.",
        "Required skills: CRM configuration (3, working), backlog management (4, "
        "practitioner), stakeholder engagement (3, working)."], today - dt.timedelta(35))
    for key, (username, name) in HOLDERS.items():
        item = positions[key]
        positions[key] = register_actions.update_item(
            actor=odile, item=item, version=item.version,
            changes={"person": people[username], "holder": name,
                     **({"job_description": job} if key == "f-coe" else {})})
    for key, required in REQUIRED.items():
        for name, level in required:
            actions.set_position_skill(actor=odile, position=positions[key],
                                       skill=skills[name], level=level)
    # The product owner's CRM configuration gap proposed a need; a course answered it and
    # Paula passed it, so the gap is closed. Her backlog gap stays open; so do Omar's,
    # for which Odile proposed case handling training for the call-centre agents.
    group = positions["f-coe"].impact.group
    proposed = actions.propose_gap_need(actor=odile, group=group,
                                        skill=skills["CRM configuration"], level=3,
                                        needed_by=today + dt.timedelta(20),
                                        today=today - dt.timedelta(30))
    need = register_actions.transition_item(actor=kofi, item=proposed, transition="agree",
                                            version=proposed.version)
    champions = positions["f-champ"].impact.group
    actions.propose_gap_need(actor=odile, group=champions, skill=skills["Coaching"], level=3,
                             needed_by=today + dt.timedelta(30), today=today - dt.timedelta(3))
    guide = _document(kofi, project, "CRM configuration guide", "PRC", [
        "How the CRM's screens, fields, workflows and access roles are configured.",
        "Exercises: add a case type, change a screen layout, grant a store role."],
        today - dt.timedelta(28))
    course = register_actions.create_item(
        actor=kofi, spec=COURSES, project=project, today=today - dt.timedelta(28),
        data={"title": "CRM configuration for product owners", "need": need,
              "objectives": "Configure screens, fields, workflows and roles of the CRM.",
              "duration_hours": 4, "skill": skills["CRM configuration"], "skill_level": 3,
              "owner": kofi})
    course = register_actions.transition_item(actor=kofi, item=course, transition="open",
                                              version=course.version)
    assert isinstance(course, Course)
    training_actions.add_course_material(actor=kofi, course=course, document=guide)
    for title, (name, level) in TAUGHT.items():
        found = Course.objects.filter(project=project, title=title).first()
        if found is not None:
            register_actions.update_item(actor=kofi, item=found, version=found.version,
                                         changes={"skill": skills[name], "skill_level": level})
    room = BookableResource.objects.filter(kind="room", name="Meeting room 2.1").first()
    day = today - dt.timedelta(8)
    for _ in range(10):
        if day.weekday() < 5:
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(13)))
            try:
                session = training_actions.schedule_session(
                    actor=kofi, course=course, starts_at=start,
                    ends_at=start + dt.timedelta(hours=4), capacity=6, room=room,
                    venue="" if room else "Vendor's office", trainer=kofi)
                break
            except Conflict:
                pass
        day -= dt.timedelta(days=1)
    else:
        return
    rows = training_actions.enrol(actor=kofi, session=session, person=people["paula"],
                                  now=session.starts_at - dt.timedelta(days=2))
    training_actions.enrol(actor=kofi, session=session, person=people["omar"],
                           now=session.starts_at - dt.timedelta(days=2))
    training_actions.record_attendance(actor=kofi, session=session,
                                       attendance={rows[0].pk: (1, "passed")},
                                       now=session.ends_at)
    _staffing(people, project, positions, today)


def _staffing(people: dict[str, User], project: Project, positions: dict[str, Any],
              today: dt.date) -> None:
    odile = people["odile"]
    decider = project.manager or people["pmo"]
    requests = [
        ("Recruit four regional CRM leads", "recruit", "f-region", "", 30, None,
         "Four regional leads carry the CRM into the stores after go-live; nobody in the "
         "Retail Division holds the visit planning and pipeline skills at level 4.",
         Decimal(24000), ("submit", "approve")),
        ("Move Paula Silva into the CRM product owner role", "redeploy", "f-coe",
         "Paula Silva", 14, None,
         "Paula has run the CRM backlog during the project; her configuration gap is "
         "closed by training, her backlog gap by coaching.", Decimal(0), ("submit",)),
        ("Release the filing and records clerk", "release", "c-file", "Jo Brown", 45, None,
         "Paper records end at go-live and the future organisation has no records role; "
         "redeployment to a data steward role was discussed and declined.",
         Decimal(8500), ()),
    ]
    for title, kind, key, who, days, until, reason, cost, moves in requests:
        item = register_actions.create_item(
            actor=odile, spec=STAFFING, project=project, today=today - dt.timedelta(10),
            data={"title": title, "kind": kind, "position": positions[key], "person": who,
                  "starts_on": today + dt.timedelta(days), "ends_on": until,
                  "reason": reason, "owner": odile})
        # The cost is a money figure: the project's manager puts it in.
        item = register_actions.update_item(actor=decider, item=item, version=item.version,
                                            changes={"cost": cost})
        for move in moves:
            actor = decider if move == "approve" else odile
            item = register_actions.transition_item(actor=actor, item=item, transition=move,
                                                    version=item.version,
                                                    comment="Within the agreed headcount"
                                                    if move == "approve" else "")
