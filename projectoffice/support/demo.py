"""Demo support desk: assets and licences (one ending soon, one with every seat taken),
check-outs, knowledge-base articles and tickets in every state — one past its service
level, one about to be — all made through the actions. The tickets' history is then set
back in time so their clocks read as a working week's would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.engine import calendars as cal
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel
from projectoffice.registers.models import Comment

from . import actions, queries
from .models import Asset, Ticket
from .registers import ASSETS

ARTICLES = [
    ("Reset your password and unlock your account", "access",
     "Go to the sign-in page and choose “Forgotten password”. The link in the e-mail is "
     "valid for one hour.\n\nIf your account is locked after five attempts, wait fifteen "
     "minutes or raise an Access ticket: the support desk unlocks it at once."),
    ("Connect to the VPN from home", "network",
     "Install the VPN client from the software centre, sign in with your office account and "
     "choose the nearest gateway.\n\nIf the client says “certificate expired”, restart the "
     "laptop while on the office network once, so that it renews its certificate."),
    ("Request a software licence", "software",
     "Licences are held by the project that pays for them. Raise a Software ticket naming "
     "the product; the support desk checks a seat out to you, or tells your project manager "
     "when every seat is taken."),
    ("Get access to a test environment", "access",
     "Environments are assets of their project. Ask for access with an Access ticket naming "
     "the environment; the project's manager approves and the support desk sets it up."),
]

# title, type, vendor, seats, days until expiry (None: no end), state path, holders
ASSETS_DEMO = [
    ("Developer laptop LT-0142", "hardware", "Dell Latitude 7450", 1, 700, (), ["omar"]),
    ("Project management licences", "licence", "Microsoft Project Plan 3", 3, 200, (),
     ["@manager", "dan", "erin"]),
    ("Issue tracker licences", "licence", "Jira Software Cloud", 10, 18, (),
     ["omar", "paula", "hana"]),
    ("UAT environment", "environment", "Azure — uat.crm.internal", 5, None, (),
     ["hana", "paula"]),
    ("Database server DB-02", "hardware", "HPE ProLiant DL380", 1, 400, ("repair",), []),
    ("Load-test tool licence", "licence", "k6 Cloud", 2, 90, (), []),
    ("Spare docking stations", "hardware", "Dell WD22TB4", 4, None, (), ["paula"]),
    ("Legacy CRM server", "hardware", "IBM Power 720", 1, -60, ("retire",), []),
]

# title, category, priority, requester, asset index or None, story, working minutes ago
TICKETS_DEMO = [
    ("Cannot reach the UAT environment since this morning", "access", "high", "hana", 3,
     "breached", 1100),
    ("Jira board shows no sprints", "software", "medium", "paula", 2, "at_risk", 0),
    ("Laptop battery drains within two hours", "hardware", "medium", "omar", 0,
     "in_progress", 600),
    ("Need MS Project on my second machine", "software", "low", "dan", 1, "waiting", 900),
    ("VPN drops every hour", "network", "high", "omar", None, "resolved", 700),
    ("New starter needs an account", "access", "medium", "paula", None, "closed", 2200),
    ("Printer on floor 3 jams", "hardware", "low", "julia", None, "withdrawn", 300),
    ("Export to Excel times out", "data", "critical", "farah", None, "new", 20),
]


def _clock(project: Project) -> cal.WorkingTime:
    return queries.Calendars().of(project)


def _ago(clock: cal.WorkingTime, now: dt.datetime, minutes: int) -> dt.datetime:
    """The moment ``minutes`` of working time before ``now``."""
    local_now = cal.to_minutes(queries.local(now))
    return queries.aware(cal.from_minutes(clock.start_from_finish(local_now, max(minutes, 1))))


def _after(clock: cal.WorkingTime, start: dt.datetime, minutes: int) -> dt.datetime:
    return queries.aware(cal.from_minutes(
        clock.finish_from_start(cal.to_minutes(queries.local(start)), minutes)))


def demo_support(people: dict[str, User], projects: list[Project], today: dt.date) -> None:
    if not projects:
        return
    staff, pmo = people["staff"], people["pmo"]
    articles = [actions.create_article(actor=staff, title=t, category=c, body=b)
                for t, c, b in ARTICLES]
    actions.set_service_level(actor=pmo, priority="critical", version=0, response_minutes=30,
                              resolution_minutes=480)
    for n, project in enumerate(projects[:3]):
        assets = _demo_assets(people, project, today, full=n == 0)
        if n == 0:
            _demo_tickets(people, project, assets, articles)
    actions.alert_assets(today=today)
    actions.check_service_levels(now=timezone.now())


def _demo_assets(people: dict[str, User], project: Project, today: dt.date,
                 full: bool) -> list[Asset]:
    staff = people["staff"]
    made: list[Asset] = []
    rows = ASSETS_DEMO if full else ASSETS_DEMO[:2] + ASSETS_DEMO[4:5]
    for title, kind, vendor, seats, days, path, holders in rows:
        asset = kernel.create_item(
            actor=staff, spec=ASSETS, project=project, today=today - dt.timedelta(days=120),
            data={"title": title, "asset_type": kind, "vendor": vendor, "seats": seats,
                  "owner": project.manager if kind == "licence" else staff,
                  "asset_tag": f"{project.code}-{len(made) + 1:03d}",
                  "location": "Floor 2 IT store" if kind == "hardware" else "",
                  "expires_on": today + dt.timedelta(days=days) if days is not None else None,
                  "description": f"{title}, held by {project.code}."})
        assert isinstance(asset, Asset)
        for username in holders:
            holder = project.manager if username == "@manager" else people[username]
            assert holder is not None
            actions.check_out_asset(actor=staff, asset=asset, holder=holder,
                                    today=today - dt.timedelta(days=30))
        for move in path:
            asset = kernel.transition_item(actor=staff, item=asset, transition=move,
                                           version=Asset.objects.get(pk=asset.pk).version,
                                           comment="Fan failure" if move == "repair"
                                           else "Replaced by the cloud service")
        made.append(Asset.objects.get(pk=asset.pk))
    if full:  # one returned seat, for the asset's history
        licence = made[2]
        checkout = actions.check_out_asset(actor=staff, asset=licence, holder=people["george"],
                                           today=today - dt.timedelta(days=60))
        actions.return_asset(actor=staff, checkout=checkout, today=today - dt.timedelta(days=10))
    return made


def _demo_tickets(people: dict[str, User], project: Project, assets: list[Asset],
                  articles: list[Any]) -> None:
    staff = people["staff"]
    now = timezone.now()
    clock = _clock(project)
    levels = queries.targets()
    for title, category, priority, requester, asset_n, story, ago in TICKETS_DEMO:
        response_target, resolution_target = levels[priority]
        if story == "at_risk":
            ago = int(response_target * 0.85)
        opened = _ago(clock, now, ago)
        ticket = actions.raise_ticket(
            actor=people[requester], project=project,
            data={"title": title, "category": category, "priority": priority,
                  "asset": assets[asset_n] if asset_n is not None else None,
                  "description": f"{title}. It stops me working on {project.code}."})
        Ticket.objects.filter(pk=ticket.pk).update(opened_at=opened,
                                                   raised_on=timezone.localdate(opened))
        ticket = Ticket.objects.get(pk=ticket.pk)
        if story in ("new", "breached", "at_risk"):
            continue
        reply_at = _after(clock, opened, min(response_target // 2, ago // 3 or 1))
        comment = actions.reply_to_ticket(
            actor=staff, ticket=ticket,
            body="Thanks — looking at it now. Could you tell us when it last worked?")
        Comment.objects.filter(pk=comment.pk).update(created_at=reply_at)
        if story == "withdrawn":
            kernel.transition_item(actor=people[requester], item=ticket, transition="withdraw",
                                   version=ticket.version, comment="It works again.")
            continue
        kernel.transition_item(actor=staff, item=ticket, transition="start",
                               version=ticket.version)
        ticket = Ticket.objects.get(pk=ticket.pk)
        kernel.update_item(actor=staff, item=ticket, version=ticket.version,
                           changes={"owner": staff})
        ticket = Ticket.objects.get(pk=ticket.pk)
        actions.add_ticket_note(actor=staff, ticket=ticket,
                                body="Checked the logs: same fault as last month on this "
                                     "model. Escalate to the vendor if the reset fails.")
        if story == "in_progress":
            continue
        if story == "waiting":
            kernel.transition_item(actor=staff, item=ticket, transition="wait",
                                   version=ticket.version,
                                   comment="Which machine: please send its asset tag.")
            continue
        kernel.transition_item(actor=staff, item=ticket, transition="resolve",
                               version=ticket.version, comment="Fixed: see the linked article.")
        Ticket.objects.filter(pk=ticket.pk).update(
            resolved_at=_after(clock, opened, min(resolution_target * 2 // 3, ago - 10)))
        actions.link_article(actor=staff, ticket=ticket,
                             article=articles[1 if category == "network" else 0])
        if story == "closed":
            ticket = Ticket.objects.get(pk=ticket.pk)
            actions.close_ticket(actor=people[requester], ticket=ticket,
                                 version=ticket.version, rating=5,
                                 comment="Quick and friendly, thank you.")
