"""Demo announcements at every level and notification preferences."""

from __future__ import annotations

from datetime import date, timedelta

from projectoffice.accounts.models import User
from projectoffice.portfolio.models import Programme, Project
from projectoffice.registers.actions import set_notification_preferences
from projectoffice.registers.models import EmailDelivery, NotificationKind

from . import actions
from .models import Audience


def demo_notices(people: dict[str, User], projects: list[Project], today: date) -> None:
    actions.post_announcement(
        actor=people["pmo"], audience=Audience.EVERYONE, today=today,
        title="Quarterly portfolio review next Wednesday",
        body="Project managers: please bring your highlight reports up to date by Monday. "
             "The board room is booked from 13:00.",
        expires_on=today + timedelta(days=10))
    actions.post_announcement(
        actor=people["staff"], audience=Audience.EVERYONE, today=today,
        title="New: book rooms and equipment in the office",
        body="Rooms, projectors and the video conference kit are now booked under Office → "
             "Room & equipment bookings. Stationery requests go in your project's Requests "
             "register.", expires_on=today + timedelta(days=30))
    programme = Programme.objects.filter(manager=people["alice"]).order_by("code").first()
    if programme is not None:
        actions.post_announcement(
            actor=people["alice"], audience=Audience.PROGRAMME, programme=programme,
            today=today, title=f"{programme.name}: dependency workshop on Thursday",
            body="One person from each project, please, with your list of cross-project "
                 "dependencies.", expires_on=today + timedelta(days=7))
    for project in projects[:3]:
        manager = project.manager or people["pmo"]
        actions.post_announcement(
            actor=manager, audience=Audience.PROJECT, project=project, today=today,
            title="Code freeze from Friday",
            body="No changes to the release branch without the change manager's approval.",
            expires_on=today + timedelta(days=14))
    everything: dict[str, tuple[bool, str]] = {
        kind: (True, EmailDelivery.DIGEST) for kind in NotificationKind.values}
    set_notification_preferences(actor=people["exec"], preferences=everything)
    set_notification_preferences(actor=people["alice"], preferences={
        NotificationKind.DUE: (True, EmailDelivery.DIGEST),
        NotificationKind.ANNOUNCEMENT: (True, EmailDelivery.DIGEST),
        NotificationKind.BOOKING: (True, EmailDelivery.OFF)})
    set_notification_preferences(actor=people["omar"], preferences={
        NotificationKind.ANNOUNCEMENT: (False, EmailDelivery.DIGEST)})
