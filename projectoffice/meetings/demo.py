"""Demo meetings for one project: a held project board with minutes, a decision and
actions, and the next board with those actions carried to its agenda."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.portfolio.models import Project

from . import actions
from .models import Meeting


def demo_meetings(project: Project, manager: User, people: dict[str, User],
                  today: date) -> None:
    erin = people["erin"]
    first_day = today - timedelta(days=14)
    start = timezone.make_aware(datetime.combine(first_day, time(10, 0)))
    team = [manager, people["george"], people["farah"], people["nina"], people["dan"]]
    held, following, _ = actions.schedule_meeting(
        actor=erin, project=project, title="Project board", starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30), location="Board room, floor 4",
        description="Monthly project board: progress, risks, decisions.",
        attendees=[*team, people["exec"]],
        guests=[actions.Guest("Sam Reid", "sam.reid@supplier.example")],
        agenda=[actions.AgendaLine("Highlight report", manager, 20),
                actions.AgendaLine("Budget and forecast", people["farah"], 15),
                actions.AgendaLine("Risks and issues", people["george"], 20),
                actions.AgendaLine("Any other business", None, 5)],
        repeat="fortnightly", occurrences=3, send_invitations=False)
    attendance = {a.pk: "present" for a in held.attendees.all()}
    exec_row = held.attendees.filter(user=people["exec"]).first()
    if exec_row:
        attendance[exec_row.pk] = "apologies"
    held = actions.record_minutes(
        actor=erin, meeting=held, version=held.version, attendance=attendance,
        minutes="The board reviewed the highlight report. The supplier delay is contained "
                "by the recovery plan. Forecast within tolerance. The board asked for a "
                "cut-over rehearsal before go-live.")
    actions.record_decision(actor=erin, meeting=held,
                            text="Approve the recovery plan; go-live date unchanged.")
    actions.record_meeting_action(actor=erin, meeting=held,
                                  title="Schedule the cut-over rehearsal",
                                  assignee=people["dan"], due_date=today + timedelta(days=7))
    actions.record_meeting_action(actor=erin, meeting=held,
                                  title="Send the revised forecast to finance",
                                  assignee=people["farah"], due_date=today + timedelta(days=3))
    held = Meeting.objects.get(pk=held.pk)
    actions.issue_minutes(actor=erin, meeting=held, version=held.version)
    assert following.agenda.exclude(action=None).exists()
