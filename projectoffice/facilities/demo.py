"""Demo rooms, equipment and bookings this week, requests in every state, and a store with
some items below their reorder level — all made through the actions."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.errors import Conflict
from projectoffice.meetings.models import Meeting, MeetingStatus
from projectoffice.portfolio.access import has_perm
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions

from . import actions
from .models import MovementKind, ResourceKind
from .registers import REQUESTS

ROOMS = [
    ("Board room", ResourceKind.ROOM, "Floor 4", 14, "Video screen and conference phone."),
    ("Meeting room 2.1", ResourceKind.ROOM, "Floor 2", 6, ""),
    ("Training suite", ResourceKind.ROOM, "Floor 1", 20, "Twenty desks with laptops."),
    ("Project space 3B", ResourceKind.ROOM, "Floor 3", 8, "Whiteboard walls for planning."),
    ("Portable projector", ResourceKind.EQUIPMENT, "PMO cupboard, floor 4", None, ""),
    ("Video conference kit", ResourceKind.EQUIPMENT, "PMO cupboard, floor 4", None,
     "Camera, speaker-microphone and cables."),
]

# day of the week, start hour, hours, room, who (username), purpose, project index or None
BOOKINGS = [
    (0, 9, 1, "Meeting room 2.1", "alice", "Weekly team stand-up", 0),
    (0, 14, 2, "Project space 3B", "dan", "Plan re-baseline workshop", 0),
    (1, 10, 3, "Training suite", "kofi", "User training, first cohort", 1),
    (1, 10, 3, "Portable projector", "kofi", "User training, first cohort", 1),
    (2, 9, 1, "Meeting room 2.1", "ben", "Supplier call", 3),
    (2, 13, 2, "Board room", "pmo", "Portfolio review", None),
    (2, 13, 2, "Video conference kit", "pmo", "Portfolio review", None),
    (3, 11, 1, "Project space 3B", "nina", "Architecture review", 2),
    (4, 15, 1, "Meeting room 2.1", "chloe", "Lessons learned", 5),
]

STOCK = [
    ("A4 paper", "box", "Stationery store, floor 1", 10, [(40, "PO-7781"), (-34, "")]),
    ("Whiteboard markers", "pack", "Stationery store, floor 1", 5, [(20, "PO-7781"),
                                                                      (-8, "")]),
    ("Flip chart pads", "pad", "PMO cupboard, floor 4", 4, [(6, "PO-7702"), (-3, "")]),
    ("Toner cartridges", "each", "Print room, floor 2", 3, [(8, "PO-7655"), (-6, "")]),
    ("Visitor lanyards", "each", "Reception", 25, [(100, "PO-7610"), (-30, "")]),
    ("USB-C adapters", "each", "IT desk, floor 2", 4, [(12, "PO-7790"), (-5, "")]),
]

REQUESTS_DEMO = [
    # title, kind, quantity, unit, cost, path of moves
    ("Laptops for the new testers", "material", 3, "each", "3600", ()),
    ("Room for the cut-over weekend", "facility", 1, "weekend", "0", ("submit",)),
    ("Print 200 user guides", "service", 200, "copies", "480", ("submit", "approve")),
    ("Second monitor for the planner", "material", 1, "each", "220",
     ("submit", "approve", "fulfil")),
    ("External facilitator for the workshop", "service", 2, "days", "2400",
     ("submit", "reject")),
    ("Extra whiteboard for project space", "material", 1, "each", "150",
     ("submit", "cancel")),
]


def demo_facilities(people: dict[str, User], projects: list[Project], today: date) -> None:
    pmo, staff = people["pmo"], people["staff"]
    rooms = {name: actions.add_resource(actor=staff, name=name, kind=kind, location=where,
                                        capacity=seats, description=text)
             for name, kind, where, seats, text in ROOMS}
    monday = today - timedelta(days=today.weekday())
    for day, hour, hours, room, who, purpose, project_index in BOOKINGS:
        start = timezone.make_aware(datetime.combine(monday + timedelta(days=day),
                                                     time(hour)))
        project = projects[project_index] if project_index is not None and project_index < len(
            projects) else None
        booker = people[who]
        if project is not None and not has_perm(booker, project, "project.view"):
            booker = project.manager or pmo
        actions.book_resource(actor=booker, resource=rooms[room], starts_at=start,
                              ends_at=start + timedelta(hours=hours), purpose=purpose,
                              project=project)
    # Something coming up for the first project's manager.
    if projects:
        lead = projects[0].manager or pmo
        start = timezone.make_aware(datetime.combine(today + timedelta(days=1), time(16)))
        actions.book_resource(actor=lead, resource=rooms["Project space 3B"], starts_at=start,
                              ends_at=start + timedelta(hours=1), purpose="Risk workshop",
                              project=projects[0])
    # One booking made and then given up.
    start = timezone.make_aware(datetime.combine(monday + timedelta(days=3), time(15)))
    dropped = actions.book_resource(actor=people["julia"], resource=rooms["Board room"],
                                    starts_at=start, ends_at=start + timedelta(hours=1),
                                    purpose="Press briefing rehearsal")
    actions.cancel_booking(actor=people["julia"], booking=dropped, version=dropped.version,
                           reason="Briefing moved online")
    # The next project board of each named project gets the board room.
    for project in projects[:2]:
        board = (Meeting.objects.filter(
            project=project, status=MeetingStatus.PLANNED,
            starts_at__gte=timezone.make_aware(datetime.combine(monday, time())))
                 .order_by("starts_at").first())
        if board is not None:
            with contextlib.suppress(Conflict):
                actions.book_resource(actor=people["erin"], resource=rooms["Board room"],
                                      starts_at=board.starts_at, ends_at=board.ends_at,
                                      purpose=board.title, meeting=board)
    for name, unit, where, reorder, moves in STOCK:
        item = actions.add_stock_item(actor=staff, name=name, unit=unit, location=where,
                                      reorder_level=Decimal(reorder))
        for n, (quantity, reference) in enumerate(moves):
            actions.record_movement(
                actor=staff if quantity > 0 else pmo, item=item,
                kind=MovementKind.RECEIVE if quantity > 0 else MovementKind.ISSUE,
                quantity=Decimal(abs(quantity)), moved_on=today - timedelta(days=20 - 10 * n),
                reference=reference or "Issued to the floor",
                project=projects[n % len(projects)] if quantity < 0 and projects else None)
    for project in projects[:3]:
        manager = project.manager or pmo
        for title, kind, quantity, unit, cost, path in REQUESTS_DEMO:
            req = register_actions.create_item(
                actor=people["omar"], spec=REQUESTS, project=project,
                today=today - timedelta(days=12),
                data={"title": title, "request_type": kind, "quantity": Decimal(quantity),
                      "unit": unit, "cost_estimate": Decimal(cost),
                      "requested_by": people["omar"], "owner": people["erin"],
                      "needed_by": today + timedelta(days=14)})
            for move in path:
                mover = {"submit": people["omar"], "approve": manager, "reject": manager,
                       "fulfil": people["erin"], "cancel": manager}[move]
                comment = {"reject": "Our own facilitators can run it.",
                           "cancel": "The space already has one."}.get(move, "")
                req = register_actions.transition_item(actor=mover, item=req, transition=move,
                                                       version=req.version, comment=comment,
                                                       today=today - timedelta(days=5))
