"""Reads shared by the engagement pages, the API and the exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from projectoffice.engine import engagement as engine
from projectoffice.planning.models import PlanTask
from projectoffice.portfolio.models import Project

from .models import Communication, CommunicationSend, Stakeholder


def stakeholders(project: Project, *, open_only: bool = True) -> QuerySet[Stakeholder]:
    qs = Stakeholder.objects.filter(project=project).select_related("owner")
    if open_only:
        qs = qs.exclude(status="archived")
    return qs.order_by("title", "pk")


@dataclass(frozen=True)
class MapRow:
    stakeholder: Stakeholder
    quadrant: str
    gap: int


def stakeholder_map(project: Project) -> list[MapRow]:
    return [MapRow(s, engine.quadrant(s.power, s.interest),
                   engine.attitude_gap(s.attitude_now, s.attitude_wanted))
            for s in stakeholders(project)]


def sends(project: Project, communication: Communication | None = None
          ) -> QuerySet[CommunicationSend]:
    qs = CommunicationSend.objects.filter(project=project)
    if communication is not None:
        qs = qs.filter(communication=communication)
    return (qs.select_related("communication", "sent_by")
            .annotate(n_recipients=Count("recipients", distinct=True),
                      n_acknowledged=Count("recipients", distinct=True,
                                           filter=Q(recipients__acknowledged_at__isnull=False)),
                      n_responses=Count("responses", distinct=True),
                      mean_rating=Avg("responses__rating"))
            .order_by("-sent_on", "-id"))


@dataclass(frozen=True)
class SendRow:
    send: CommunicationSend
    reception: engine.Reception


def send_rows(project: Project, communication: Communication | None = None) -> list[SendRow]:
    rows = []
    for s in sends(project, communication):
        mean = getattr(s, "mean_rating", None)
        rows.append(SendRow(s, engine.Reception(
            recipients=s.n_recipients,  # type: ignore[attr-defined]
            acknowledged=s.n_acknowledged if s.method == "emailed" else 0,  # type: ignore[attr-defined]
            responses=s.n_responses,  # type: ignore[attr-defined]
            mean_rating=float(mean) if mean is not None else None)))
    return rows


def milestones(project: Project) -> dict[int, PlanTask]:
    return {t.uid: t for t in PlanTask.objects.filter(plan__project=project, milestone=True)
            .only("uid", "name", "finish", "start")}


def plan_task(project: Project, uid: int | None) -> PlanTask | None:
    if uid is None:
        return None
    return (PlanTask.objects.filter(plan__project=project, uid=uid)
            .only("uid", "name", "finish", "start").first())


@dataclass(frozen=True)
class CalendarEntry:
    day: dt.date
    kind: str  # "planned", "sent" or "milestone"
    title: str
    reference: str
    detail: str
    late: bool = False


def calendar(project: Project, start: dt.date, end: dt.date,
             today: dt.date) -> list[CalendarEntry]:
    """Planned occurrences of the open communications, what was sent and the plan's
    milestones between two dates, by day. A planned date passed with nothing sent on or
    after it (before the next one) is late."""
    entries: list[CalendarEntry] = []
    comms = list(Communication.objects.filter(project=project)
                 .exclude(status="cancelled").prefetch_related("audience__stakeholder"))
    sent_days: dict[int, list[dt.date]] = {}
    for s in CommunicationSend.objects.filter(project=project).values("communication_id",
                                                                      "sent_on"):
        sent_days.setdefault(s["communication_id"], []).append(s["sent_on"])
    for c in comms:
        if c.status == "done":
            continue
        days = engine.occurrences(c.frequency, c.starts_on, c.ends_on, start, end)
        audience = ", ".join(m.stakeholder.title for m in c.audience.all()) or "no audience yet"
        for n, day in enumerate(days):
            following = days[n + 1] if n + 1 < len(days) else None
            done = any(d >= day and (following is None or d < following)
                       for d in sent_days.get(c.pk, []))
            if done:
                continue
            entries.append(CalendarEntry(day, "planned", c.title, c.reference,
                                         f"{c.get_channel_display()} · {audience}",
                                         late=day < today))
    for send in sends(project).filter(sent_on__gte=start, sent_on__lte=end):
        entries.append(CalendarEntry(send.sent_on, "sent", send.subject,
                                     send.communication.reference,
                                     f"{send.get_channel_display()} · "
                                     f"{send.n_recipients} recipient"  # type: ignore[attr-defined]
                                     f"{'s' if send.n_recipients != 1 else ''}"))  # type: ignore[attr-defined]
    for task in milestones(project).values():
        finish = task.finish.date() if isinstance(task.finish, dt.datetime) else task.finish
        if finish is not None and start <= finish <= end:
            entries.append(CalendarEntry(finish, "milestone", task.name, f"UID {task.uid}",
                                         "Plan milestone"))
    order = {"milestone": 0, "sent": 1, "planned": 2}
    return sorted(entries, key=lambda e: (e.day, order[e.kind], e.reference))


def effectiveness(project: Project) -> list[tuple[dt.date, float | None, float | None, str]]:
    """(sent on, response rate, mean rating, reference) of each e-mailed send with a survey,
    oldest first."""
    rows = [r for r in send_rows(project) if r.send.has_survey]
    return [(r.send.sent_on, r.reception.response_rate, r.reception.mean_rating,
             r.send.communication.reference) for r in reversed(rows)]


def audience_ids(communication: Communication) -> set[int]:
    return set(communication.audience.values_list("stakeholder_id", flat=True))


def as_dict(send: CommunicationSend, reception: engine.Reception) -> dict[str, Any]:
    return {"id": send.pk, "communication": send.communication.reference,
            "method": send.method, "channel": send.channel, "sent_on": send.sent_on,
            "subject": send.subject, "note": send.note,
            "sent_by": send.sent_by.username if send.sent_by else None,
            "survey_question": send.survey_question, "anonymous": send.anonymous,
            "recipients": reception.recipients, "acknowledged": reception.acknowledged,
            "responses": reception.responses,
            "response_rate": reception.response_rate, "mean_rating": reception.mean_rating}
