"""Demo directory: a profile and a line manager for everyone, absences over the demo months
(some this week, so the whereabouts grid is filled; a few requests still awaiting their line
manager), outside contacts, and enquiries in every state."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from decimal import Decimal

from django.utils import timezone

from projectoffice.accounts import actions as account_actions
from projectoffice.accounts.models import User
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions

from . import actions, queries
from .models import AbsenceStatus
from .registers import ENQUIRIES

PROFILES = {
    # username: team, location, phone extension, working days, hours, skills
    "pmo": ("Project Office", "London, floor 4", "4100", "12345", "37.5",
            "Portfolio governance, investment appraisal, P3O"),
    "staff": ("Project Office", "London, floor 4", "4101", "12345", "37.5",
              "Reporting, Power BI, RAID reviews"),
    "exec": ("Executive", "London, floor 9", "4900", "12345", "40",
             "Operations strategy, sponsorship"),
    "alice": ("Delivery", "London, floor 4", "4120", "12345", "37.5",
              "Agile and waterfall delivery, supplier management, PRINCE2 Practitioner"),
    "ben": ("Delivery", "Manchester", "5120", "12345", "37.5",
            "Infrastructure projects, data centre moves, ITIL"),
    "chloe": ("Delivery", "Paris", "6120", "1234", "30",
              "Regulatory programmes, French and English"),
    "dan": ("Planning", "London, floor 4", "4130", "12345", "37.5",
            "MS Project, critical path analysis, resource levelling"),
    "erin": ("Project Office", "London, floor 4", "4102", "12345", "37.5",
             "Registers, minutes, document control"),
    "farah": ("Finance", "London, floor 2", "4200", "12345", "37.5",
              "Project accounting, earned value, IFRS"),
    "george": ("Quality", "Manchester", "5140", "1235", "30",
               "ISO 9001 audits, quality reviews"),
    "hana": ("Testing", "Manchester", "5150", "12345", "37.5",
             "Test strategy, automation, accessibility testing"),
    "ivan": ("Engineering", "Remote (Sofia)", "", "12345", "40",
             "Configuration management, release automation"),
    "julia": ("Communications", "London, floor 3", "4300", "12345", "37.5",
              "Stakeholder engagement, newsletters, events"),
    "kofi": ("Training", "Manchester", "5160", "12345", "37.5",
             "Training needs analysis, e-learning, train the trainer"),
    "lena": ("Business Change", "London, floor 3", "4310", "123", "22.5",
             "Change impact assessment, Prosci ADKAR, German"),
    "marc": ("Security", "Paris", "6140", "12345", "37.5",
             "ISO 27001, threat modelling, penetration test management"),
    "nina": ("Architecture", "London, floor 4", "4140", "12345", "37.5",
             "Solution architecture, cloud, integration patterns"),
    "omar": ("Engineering", "Remote (Leeds)", "", "12345", "37.5",
             "Python, Django, PostgreSQL, APIs"),
    "paula": ("Delivery", "London, floor 4", "4150", "12345", "37.5",
              "Requirements, process mapping, user stories"),
    "quinn": ("Customer", "Customer site, Reading", "", "12345", "37.5",
              "Retail operations, acceptance testing"),
}

# username, kind, offset of the start from this week's Monday, length in days, half day, note
ABSENCES = [
    ("alice", "leave", -35, 5, False, "Half-term holiday"),
    ("ben", "training", -21, 2, False, "APM PMQ course"),
    ("dan", "sickness", -14, 2, False, "Flu"),
    ("hana", "travel", 1, 2, False, "Supplier test lab, Leeds"),
    ("omar", "leave", 3, 1, False, "Dentist, then a family day"),
    ("omar", "leave", 24, 5, False, "Family holiday"),
    ("julia", "training", 2, 1, False, "Accessibility workshop"),
    ("george", "sickness", 3, 1, False, "Medical appointment"),
    ("farah", "leave", 4, 1, True, "Afternoon off"),
    ("kofi", "travel", 0, 1, False, "Training centre, Birmingham"),
    ("nina", "other", 1, 1, False, "Jury service"),
    ("alice", "leave", 14, 8, False, "Winter holiday"),
    ("paula", "leave", 9, 3, False, ""),
    ("marc", "training", 21, 3, False, "CISSP refresher"),
    ("chloe", "leave", 28, 10, False, "Annual leave"),
    ("erin", "leave", 42, 5, False, ""),
    ("ivan", "travel", 7, 2, False, "Release planning, London office"),
    ("lena", "other", 56, 1, False, "Volunteering day"),
    ("dan", "leave", 70, 5, False, "Spring break"),
    ("farah", "leave", 35, 3, False, "Moving house"),
]

# Requests left for their approver to decide: (username, offset) of an ABSENCES line.
PENDING = {("paula", 9), ("erin", 42), ("dan", 70), ("marc", 21), ("farah", 35),
           ("chloe", 28)}

# username: line manager. The customer's representative has none: the PMO manager decides.
LINE_MANAGERS = {
    "staff": "pmo", "erin": "staff", "farah": "pmo", "alice": "exec", "ben": "exec",
    "chloe": "exec", "nina": "exec", "lena": "exec", "dan": "alice", "paula": "alice",
    "hana": "ben", "george": "ben", "ivan": "nina", "omar": "nina", "marc": "nina",
    "kofi": "lena", "julia": "lena",
}

CONTACTS = [
    ("Sam Reid", "Northgate Hardware Ltd", "Account manager", "sam.reid@northgate.example",
     "+44 20 7946 0011", ("DCMIG", "NET"), "Main supplier contact for servers and racks."),
    ("Priya Kapoor", "Northgate Hardware Ltd", "Delivery lead",
     "priya.kapoor@northgate.example", "+44 20 7946 0012", ("DCMIG",), ""),
    ("Tom Becker", "CloudCo", "Customer success manager", "tom.becker@cloudco.example",
     "+49 30 901820", ("CRM", "PORTAL"), "Escalations go to his manager after 48 hours."),
    ("Grace Liu", "CloudCo", "Solutions engineer", "grace.liu@cloudco.example", "",
     ("CRM",), "Knows the single sign-on set-up."),
    ("Daniel Moss", "Information Commissioner's Office", "Case officer",
     "d.moss@ico.example", "+44 303 123 1113", ("GDPR",), "Formal correspondence only."),
    ("Aisha Bello", "Retail Division", "Head of stores", "aisha.bello@example.org",
     "+44 161 496 0101", ("CRM", "MOBILE"), "Business owner of the CRM roll-out."),
    ("Mark Evans", "Field Operations", "Regional manager", "mark.evans@example.org",
     "+44 161 496 0102", ("MOBILE",), "Pilot users for the mobile app."),
    ("Sofia Marques", "Deloitte", "Audit senior", "smarques@audit.example", "",
     ("IFRS",), "External auditors' contact for the IFRS 17 programme."),
    ("Oliver Grant", "BuildRight Interiors", "Site manager", "oliver@buildright.example",
     "+44 7700 900123", ("HQFIT",), "On site Monday to Thursday."),
    ("Hannah Cole", "Telecom Partners plc", "Network engineer",
     "hannah.cole@telecom.example", "+44 20 7946 0400", ("NET",), ""),
    ("Ravi Shah", "Customer Services", "Contact centre manager", "ravi.shah@example.org",
     "+44 20 7946 0500", ("PORTAL", "CRM"), "Collects customer feedback on the portal."),
    ("Emma Novak", "Finance", "Financial controller", "emma.novak@example.org", "",
     ("IFRS",), ""),
    ("Lucas Brown", "Legal & Compliance", "Data protection officer",
     "lucas.brown@example.org", "+44 20 7946 0600", ("GDPR",), "Approves data-sharing."),
    ("Mei Tan", "Design Studio 5", "UX lead", "mei@studio5.example", "",
     ("PORTAL", "MOBILE"), "Usability testing partner."),
]

# project code, contact name (or None), caller, channel, subject, details, owner, response,
# path through the workflow
ENQUIRY_LINES = [
    ("CRM", "Aisha Bello", "", "phone", "When do stores get the new CRM?",
     "Store managers ask for the roll-out dates of their region.", "alice", "", ()),
    ("CRM", "Tom Becker", "", "email", "Licence true-up figures",
     "CloudCo needs the user count by the end of the month.", "farah",
     "Sent the count of 1,240 named users.", ("answer",)),
    ("CRM", None, "Caller from a store in Bristol", "phone", "Training dates for store staff",
     "Wants to know when training starts.", "kofi",
     "Training starts six weeks before go-live; dates follow by e-mail.",
     ("answer", "close")),
    ("DCMIG", "Sam Reid", "", "phone", "Delivery slot for rack hardware",
     "Supplier asks which loading bay to use.", "alice", "", ()),
    ("DCMIG", "Priya Kapoor", "", "email", "Access badges for installers",
     "Four installers need site badges for next week.", "erin",
     "Badges requested from Facilities.", ("answer",)),
    ("PORTAL", "Ravi Shah", "", "visit", "Complaint volumes since the beta",
     "Came by to discuss complaints about password resets.", "ben", "", ()),
    ("PORTAL", None, "Journalist, Tech Weekly", "email", "Press enquiry about the portal",
     "Asks for a launch date.", "julia", "Referred to the press office.",
     ("answer", "close")),
    ("GDPR", "Daniel Moss", "", "email", "Request for the remediation plan",
     "The regulator asks for the plan and its milestones.", "chloe",
     "Plan sent with the board's approval.", ("answer", "close", "reopen")),
    ("MOBILE", "Mark Evans", "", "phone", "Pilot devices not syncing",
     "Three pilot tablets have not synced since Monday.", "chloe", "", ()),
    ("HQFIT", "Oliver Grant", "", "visit", "Out-of-hours working on floor 3",
     "Asks to work on Saturday.", "ben", "", ("close",)),
]


def demo_people(people: dict[str, User], today: dt.date) -> None:
    pmo = people["pmo"]
    for username, (team, location, ext, days, hours, skills) in PROFILES.items():
        person = people.get(username)
        if person is None:
            continue
        actions.update_profile(actor=person, person=person, version=1, changes={
            "team": team, "location": location,
            "phone": f"+44 20 7946 {ext}" if ext else "",
            "mobile": f"+44 7700 900{person.pk % 1000:03d}", "working_days": days,
            "hours_per_week": Decimal(hours), "skills": skills})
    for username, manager in LINE_MANAGERS.items():
        person, boss = people.get(username), people.get(manager)
        if person is None or boss is None:
            continue
        profile = queries.profile_of(person)
        actions.update_profile(actor=pmo, person=person, version=profile.version,
                               changes={"line_manager": boss})
    monday = today - dt.timedelta(days=today.weekday())
    for username, kind, offset, length, half, note in ABSENCES:
        person = people.get(username)
        if person is None:
            continue
        start = monday + dt.timedelta(days=offset)
        actor = pmo if kind == "sickness" else person
        absence = actions.record_absence(
            actor=actor, person=person, kind=kind, start=start,
            end=start + dt.timedelta(days=0 if half else length - 1), half_day=half,
            note=note, today=today)
        if absence.status == AbsenceStatus.REQUESTED and (username, offset) not in PENDING:
            approver = actions.approvers_of(person)[0]
            actions.approve_absence(actor=approver, absence=absence, version=absence.version,
                                    today=today)


def demo_accounts(people: dict[str, User]) -> None:
    """The accounts page's other states: a new business analyst invited but not yet signed
    in, and a contractor whose engagement ended, switched off (their work keeps their name)."""
    pmo = people["pmo"]
    account_actions.invite_user(actor=pmo, username="yara", email="yara@example.org",
                                display_name="Yara Haddad", job_title="Business analyst")
    victor = account_actions.create_user(
        actor=pmo, username="victor", password=secrets.token_urlsafe(24),
        email="victor@example.org", display_name="Victor Lund",
        job_title="Contract developer", validate=False)
    account_actions.set_account_active(actor=pmo, user=victor, active=False,
                                       reason="Contract ended")


def demo_contacts(people: dict[str, User], today: dt.date, rng: random.Random) -> None:
    pmo, erin = people["pmo"], people["erin"]
    projects = {p.code: p for p in Project.objects.all()}
    made = {}
    for name, org, role, email, phone, codes, notes in CONTACTS:
        made[name] = actions.create_contact(
            actor=pmo, data={"name": name, "organisation": org, "role": role, "email": email,
                             "phone": phone, "notes": notes},
            projects=[projects[c] for c in codes if c in projects])
    move = register_actions.transition_item
    for i, (code, contact, caller, channel, title, details, owner, response,
            path) in enumerate(ENQUIRY_LINES):
        project = projects.get(code)
        if project is None:
            continue
        received = timezone.now() - dt.timedelta(days=len(ENQUIRY_LINES) - i,
                                                 hours=rng.randint(0, 6))
        item = register_actions.create_item(
            actor=erin, spec=ENQUIRIES, project=project,
            today=min(today, received.date()),
            data={"title": title, "description": details, "owner": people[owner],
                  "contact": made.get(contact) if contact else None, "caller": caller,
                  "channel": channel, "received_at": received,
                  "priority": "high" if "Complaint" in title or "not syncing" in title
                  else "medium",
                  "due_date": today + dt.timedelta(days=3 + i % 5)})
        if response:
            item = register_actions.update_item(actor=people[owner], item=item,
                                                version=item.version,
                                                changes={"response": response})
        for step in path:
            comment = {"close": "Nothing more to do.",
                       "reopen": "The regulator asked a follow-up question."}.get(step, "")
            actor = people[owner] if step == "answer" else erin
            item = move(actor=actor, item=item, transition=step, version=item.version,
                        comment=comment)
