"""Demo training for the CRM go-live: the needs the change impacts proposed, agreed by the
training manager; courses answering them; sessions in the office's rooms, past ones with
attendance and coming ones with whole groups enrolled and a waiting list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.errors import Conflict
from projectoffice.facilities.models import BookableResource
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as register_actions

from . import actions
from .models import Course, TrainingNeed
from .registers import COURSES

# group the need is for (its first need), course title, objectives, hours
COURSES_DEMO = [
    ("Call-centre agents", "CRM for contact-centre agents",
     "Find a customer, log and close a case, and hand over to the stores in the CRM.", 3),
    ("Store managers", "Visit planning in the CRM",
     "Plan customer visits and follow-ups in the CRM instead of the shop diary.", 3),
    ("Retail sales directors", "Pipeline dashboards for sales directors",
     "Run the weekly pipeline review from the CRM dashboards.", 2),
    ("IT service desk", "First-line CRM support",
     "Answer the common CRM calls, reset access and route faults to the vendor.", 4),
]

# course index, days from today, hour, room, places, group seats, attended (None: to come)
SESSIONS_DEMO = [
    (0, -24, 9, "Training suite", 20, 20, 18),
    (0, -17, 9, "Training suite", 20, 20, 19),
    (0, -10, 13, "Training suite", 20, 20, 17),
    (1, -15, 13, "Training suite", 20, 20, 16),
    (2, -12, 10, "Board room", 8, 6, 6),
    (0, 9, 9, "Training suite", 20, 30, None),
    (1, 11, 13, "Training suite", 20, 20, None),
    (3, 16, 9, "Meeting room 2.1", 6, 12, None),
]


def _when(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def demo_training(people: dict[str, User], project: Project, today: dt.date) -> None:
    kofi = people["kofi"]
    needs: dict[str, TrainingNeed] = {}
    for need in (TrainingNeed.objects.filter(project=project).select_related("group")
                 .order_by("number")):
        needs.setdefault(need.group.title, need)
    courses: list[Course] = []
    for group, title, objectives, hours in COURSES_DEMO:
        need = needs.get(group)
        if need is not None and need.status == "proposed":
            need = register_actions.transition_item(actor=kofi, item=need, transition="agree",
                                                    version=need.version)
        course = register_actions.create_item(
            actor=kofi, spec=COURSES, project=project, today=today - dt.timedelta(40),
            data={"title": title, "objectives": objectives, "duration_hours": hours,
                  "need": need, "owner": kofi})
        course = register_actions.transition_item(actor=kofi, item=course,
                                                  transition="open", version=course.version)
        assert isinstance(course, Course)
        courses.append(course)
    rooms = {r.name: r for r in BookableResource.objects.filter(kind="room")}
    for n, days, hour, room, places, seats, came in SESSIONS_DEMO:
        course = courses[n]
        assert course.need is not None
        day = today + dt.timedelta(days)
        length = dt.timedelta(hours=float(course.duration_hours))
        session = None
        for _ in range(10):  # a working day whose room is free of the week's other bookings
            if day.weekday() >= 5:
                day += dt.timedelta(days=1)
                continue
            start = _when(day, hour)
            try:
                session = actions.schedule_session(
                    actor=kofi, course=course, starts_at=start, ends_at=start + length,
                    capacity=places, room=rooms.get(room), venue="" if room in rooms else room,
                    trainer=people["paula"] if n != 3 else people["sam"])
                break
            except Conflict:
                day += dt.timedelta(days=1)
        if session is None:
            continue
        before = session.starts_at - dt.timedelta(days=3)
        rows = actions.enrol(actor=kofi, session=session, group=course.need.group,
                             seats=seats, now=before)
        if came is not None:
            actions.record_attendance(actor=kofi, session=session,
                                      attendance={rows[0].pk: (came, "passed")},
                                      now=session.ends_at)
