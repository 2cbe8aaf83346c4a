"""A training session as an iCalendar invitation (the meetings' iCalendar writer), and
the e-mail that carries it to the people enrolled."""

from __future__ import annotations

from django.conf import settings

from projectoffice.meetings.calendar import CalendarEvent, events_ics

from .models import EnrolmentStatus, TrainingSession


def session_ics(session: TrainingSession, method: str | None = None) -> bytes:
    host = getattr(settings, "PMO_BASE_URL", "").split("//")[-1].strip("/") or "projectoffice"
    course = session.course
    room = session.room
    where = ", ".join(filter(None, [room.name, room.location] if room else [session.venue]))
    return events_ics([CalendarEvent(
        uid=f"training-session-{session.pk}@{host}",
        summary=f"Training: {course.title} ({session.project.code})",
        starts_at=session.starts_at, ends_at=session.ends_at, stamp=session.created_at,
        sequence=session.version, location=where,
        description="\n\n".join(filter(None, [course.objectives,
                                              f"Trainer: {session.trainer}"
                                              if session.trainer else ""])),
        cancelled=session.cancelled, organiser=str(session.trainer or "Project Office"),
        attendees=[(r.name, r.email) for r in session.enrolments.filter(
            status=EnrolmentStatus.ENROLLED).order_by("id") if r.email])],
        name=f"Training · {session.project.code}", method=method, product="Training")


def mail_invitation(session_id: int, enrolment_ids: list[int]) -> None:
    """E-mails the invitation (.ics attached, METHOD:REQUEST) to the enrolments given that
    have an address; run after the enrolment commits."""
    from django.core.mail import EmailMessage
    from django.utils import timezone

    session = TrainingSession.objects.select_related("course", "project", "room").get(
        pk=session_id)
    ics = session_ics(session, method="REQUEST")
    when = timezone.localtime(session.starts_at)
    for row in session.enrolments.filter(pk__in=enrolment_ids).exclude(email=""):
        message = EmailMessage(
            subject=f"[{session.project.code}] Training: {session.course.title}, "
                    f"{when:%d %b %H:%M}",
            body=f"You have a place on {session.course.title} on {when:%A %d %B at %H:%M}"
                 f"{', ' + session.where if session.where else ''}.\n\n"
                 f"{session.course.objectives}\n\nThe invitation is attached for your "
                 "calendar.\n",
            to=[row.email])
        message.attach(f"training-{session.pk}.ics", ics, "text/calendar; method=REQUEST")
        message.send()
