"""Reads shared by the pages, the API and other apps: the directory, absences as each viewer
may see them, the week grid of whereabouts, the requests awaiting a decision, and
`absent_days` / `absence_shares` for resource calendars (approved absences only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from projectoffice.accounts.models import User
from projectoffice.audit.models import AuditEntry
from projectoffice.portfolio.access import has_perm, visible_projects
from projectoffice.portfolio.models import Membership, Project

from .access import hides_kind, manages_people
from .models import (
    LIVE_STATUSES,
    Absence,
    AbsenceStatus,
    Contact,
    Enquiry,
    PersonSkill,
    Profile,
    Skill,
)
from .models import Absence as AbsenceModel

ABSENT = "Absent"


def absent_days(user_ids: Iterable[int], start: dt.date, end: dt.date
                ) -> dict[int, set[dt.date]]:
    """The days from `start` to `end` (both included) on which each user has an approved
    absence, whatever its kind (a request awaiting its decision does not count); every user
    asked about has an entry, empty when present. Weekends inside an absence are included:
    callers intersect with their own calendar."""
    ids = list(dict.fromkeys(int(i) for i in user_ids))
    days: dict[int, set[dt.date]] = {i: set() for i in ids}
    if not ids or end < start:
        return days
    for person_id, a_start, a_end in Absence.objects.filter(
            person_id__in=ids, start__lte=end, end__gte=start,
            status=AbsenceStatus.APPROVED).values_list(
            "person_id", "start", "end"):
        day = max(a_start, start)
        last = min(a_end, end)
        while day <= last:
            days[person_id].add(day)
            day += dt.timedelta(days=1)
    return days


def absence_shares(user_ids: Iterable[int], start: dt.date, end: dt.date
                   ) -> dict[int, dict[dt.date, Decimal]]:
    """Like `absent_days`, with the share of each day away: 1 for a whole day, 0.5 for a
    half-day absence (two half days on one day make it whole)."""
    ids = list(dict.fromkeys(int(i) for i in user_ids))
    shares: dict[int, dict[dt.date, Decimal]] = {i: {} for i in ids}
    if not ids or end < start:
        return shares
    half, whole = Decimal("0.5"), Decimal(1)
    for person_id, a_start, a_end, half_day in Absence.objects.filter(
            person_id__in=ids, start__lte=end, end__gte=start,
            status=AbsenceStatus.APPROVED).values_list(
            "person_id", "start", "end", "half_day"):
        day = max(a_start, start)
        last = min(a_end, end)
        while day <= last:
            taken = shares[person_id].get(day, Decimal(0)) + (half if half_day else whole)
            shares[person_id][day] = min(taken, whole)
            day += dt.timedelta(days=1)
    return shares


@dataclass(frozen=True)
class AbsenceView:
    """An absence as one viewer may see it: sickness and other private absences are both
    "Absent" without a note to everyone but the person and PMO managers."""

    absence: Absence
    kind: str
    label: str
    note: str

    @property
    def tone(self) -> str:
        return {"leave": "info", "training": "progress", "travel": "amber",
                "sickness": "danger", "other": "muted"}.get(self.kind, "muted")

    @property
    def pending(self) -> bool:
        return self.absence.status == AbsenceStatus.REQUESTED

    @property
    def status_label(self) -> str:
        if self.absence.status == AbsenceStatus.REQUESTED:
            return "Awaiting approval"
        return str(self.absence.get_status_display())

    @property
    def status_tone(self) -> str:
        return {"requested": "pending", "approved": "success", "refused": "danger",
                "cancelled": "muted"}.get(self.absence.status, "muted")


def absence_view(absence: Absence, viewer: Any) -> AbsenceView:
    if hides_kind(viewer, absence):
        return AbsenceView(absence, "absent", ABSENT, "")
    return AbsenceView(absence, absence.kind, absence.get_kind_display(), absence.note)


def absences(viewer: Any, *, person: User | None = None, start: dt.date | None = None,
             end: dt.date | None = None, people: Iterable[int] | None = None,
             statuses: Iterable[str] = LIVE_STATUSES) -> list[AbsenceView]:
    """Absences as the viewer may see them: approved ones and requests awaiting a decision,
    unless other `statuses` are asked for."""
    qs = Absence.objects.select_related("person", "decided_by").filter(
        status__in=list(statuses))
    if person is not None:
        qs = qs.filter(person=person)
    if people is not None:
        qs = qs.filter(person_id__in=list(people))
    if start is not None:
        qs = qs.filter(end__gte=start)
    if end is not None:
        qs = qs.filter(start__lte=end)
    return [absence_view(a, viewer) for a in qs.order_by("start", "person__display_name")]


def profile_of(user: User) -> Profile:
    """The saved profile, or a blank one (not saved) for someone who has not filled it in."""
    profile = Profile.objects.filter(user=user).first()
    return profile if profile is not None else Profile(user=user)


@dataclass
class Person:
    user: User
    profile: Profile
    away_today: AbsenceView | None = None


def people(viewer: Any, *, q: str = "", team: str = "", location: str = "",
           project: Project | None = None, today: dt.date | None = None) -> list[Person]:
    """The directory: active people with their profiles, filtered; `project` is one the
    viewer can see (the caller checks)."""
    users: QuerySet[User] = User.objects.filter(is_active=True).select_related(
        "profile", "profile__line_manager")
    if q.strip():
        words = q.split()
        for word in words:
            users = users.filter(
                Q(display_name__icontains=word) | Q(username__icontains=word)
                | Q(first_name__icontains=word) | Q(last_name__icontains=word)
                | Q(job_title__icontains=word) | Q(profile__skills__icontains=word)
                | Q(profile__team__icontains=word) | Q(email__icontains=word))
    if team:
        users = users.filter(profile__team=team)
    if location:
        users = users.filter(profile__location=location)
    if project is not None:
        users = users.filter(memberships__project=project)
    rows = [Person(u, getattr(u, "profile", None) or Profile(user=u))
            for u in users.distinct().order_by("display_name", "username")]
    if today is not None:
        away = {v.absence.person_id: v for v in absences(
            viewer, start=today, end=today, people=[r.user.pk for r in rows],
            statuses=[AbsenceStatus.APPROVED])}
        for row in rows:
            row.away_today = away.get(row.user.pk)
    return rows


def teams_and_locations() -> tuple[list[str], list[str]]:
    teams = sorted({t for t in Profile.objects.values_list("team", flat=True) if t})
    places = sorted({p for p in Profile.objects.values_list("location", flat=True) if p})
    return teams, places


def memberships_of(viewer: Any, person: User) -> list[Membership]:
    """The person's project roles, on the projects the viewer can see."""
    visible = visible_projects(viewer)
    return list(Membership.objects.filter(user=person, project__in=visible)
                .select_related("project").order_by("project__code", "role"))


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class Cell:
    day: dt.date
    text: str
    tone: str  # "" in the office; a badge tone when away; "off" when not a working day
    detail: str = ""
    pending: bool = False  # a request awaiting its decision: shown, not counted as away


@dataclass
class GridRow:
    user: User
    profile: Profile
    cells: list[Cell] = field(default_factory=list)


@dataclass
class WeekGrid:
    monday: dt.date
    days: list[dt.date]
    rows: list[GridRow]

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def week_grid(viewer: Any, monday: dt.date, *, project: Project | None = None,
              weekend: bool = False) -> WeekGrid:
    """Who is where in the week starting `monday`: a row per person (the project's members,
    or everyone) and a cell per day with the absence, the usual location, or "Not working"
    on a day outside their pattern."""
    monday = monday_of(monday)
    days = [monday + dt.timedelta(days=i) for i in range(7 if weekend else 5)]
    return WeekGrid(monday, days, grid_rows(viewer, days, project=project))


def grid_rows(viewer: Any, days: list[dt.date], *, project: Project | None = None
              ) -> list[GridRow]:
    users = User.objects.filter(is_active=True).select_related("profile")
    if project is not None:
        users = users.filter(memberships__project=project)
    users = users.distinct().order_by("display_name", "username")
    by_person: dict[int, list[AbsenceView]] = {}
    for view in absences(viewer, start=days[0], end=days[-1],
                         people=[u.pk for u in users]):
        by_person.setdefault(view.absence.person_id, []).append(view)
    rows = []
    for user in users:
        profile = getattr(user, "profile", None) or Profile(user=user)
        row = GridRow(user, profile)
        for day in days:
            # An approved absence wins over a request for the same day.
            away = min((v for v in by_person.get(user.pk, [])
                        if v.absence.start <= day <= v.absence.end),
                       key=lambda v: v.pending, default=None)
            if away is not None:
                half = "½ day · " if away.absence.half_day else ""
                row.cells.append(Cell(day, f"{half}{away.label}", away.tone, away.note,
                                      pending=away.pending))
            elif str(day.isoweekday()) not in profile.working_days:
                row.cells.append(Cell(day, "Not working", "off"))
            else:
                row.cells.append(Cell(day, profile.location or "In", ""))
        rows.append(row)
    return rows


@dataclass
class MonthGrid:
    first: dt.date
    days: list[dt.date]
    rows: list[GridRow]

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return self.days[-1] + dt.timedelta(days=1)

    def totals(self) -> list[tuple[GridRow, float]]:
        """Days away per person in the month (half days count half)."""
        out = []
        for row in self.rows:
            away = sum(0.5 if c.text.startswith("½") else 1.0 for c in row.cells
                       if c.tone not in ("", "off") and not c.pending)
            out.append((row, away))
        return out


def month_grid(viewer: Any, day: dt.date, *, project: Project | None = None) -> MonthGrid:
    """The absence calendar of the month holding `day`: a row per person, a cell per day."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    days = [first + dt.timedelta(days=i) for i in range((following - first).days)]
    return MonthGrid(first, days, grid_rows(viewer, days, project=project))


def awaiting_absences(user: Any) -> QuerySet[Absence]:
    """Absence requests awaiting the user's decision, oldest first: those of the people they
    line-manage and, for the Project Office, those of people without a line manager. Never
    the user's own."""
    if not user.is_authenticated:
        return Absence.objects.none()
    routed = Q(person__profile__line_manager=user)
    if manages_people(user):
        routed |= (Q(person__profile__isnull=True)
                   | Q(person__profile__line_manager__isnull=True)
                   | Q(person__profile__line_manager__is_active=False))
    return (Absence.objects.filter(routed, status=AbsenceStatus.REQUESTED)
            .exclude(person=user).select_related("person", "person__profile")
            .order_by("created_at", "pk"))


def absences_awaiting(user: Any) -> list[AbsenceView]:
    """The requests of awaiting_absences as they are shown: sickness reads as "Absent" to
    those who may not see it."""
    return [absence_view(a, user) for a in awaiting_absences(user)]


def contacts(viewer: Any, *, q: str = "", project: Project | None = None) -> QuerySet[Contact]:
    qs = Contact.objects.prefetch_related("projects")
    for word in q.split():
        qs = qs.filter(Q(name__icontains=word) | Q(organisation__icontains=word)
                       | Q(role__icontains=word) | Q(email__icontains=word)
                       | Q(notes__icontains=word))
    if project is not None:
        qs = qs.filter(projects=project)
    return qs.distinct()


def visible_contact_projects(viewer: Any, contact: Contact) -> list[Project]:
    visible = set(visible_projects(viewer).values_list("pk", flat=True))
    return [p for p in contact.projects.all() if p.pk in visible]


def enquiries_of(viewer: Any, contact: Contact) -> list[Any]:
    """The contact's enquiries on projects where the viewer may read the enquiry log."""
    rows = Enquiry.objects.filter(contact=contact).select_related("project", "owner")
    return [e for e in rows.order_by("-received_at", "-id")
            if has_perm(viewer, e.project, "enquiry.view")]


def changes_of_person(person: User) -> list[Any]:
    """The audit entries of a person's profile and current absences, newest first."""
    from django.contrib.contenttypes.models import ContentType

    profile_ids = [str(pk) for pk in Profile.objects.filter(user=person)
                   .values_list("pk", flat=True)]
    absence_ids = [str(pk) for pk in AbsenceModel.objects.filter(person=person)
                   .values_list("pk", flat=True)]
    return list(AuditEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Profile), object_id__in=profile_ids)
        | Q(content_type=ContentType.objects.get_for_model(AbsenceModel),
            object_id__in=absence_ids))
        .select_related("actor").order_by("-at", "-id")[:30])


def skills_catalogue() -> list[Any]:
    """The catalogue's skills, each with `holders_count`."""
    from django.db.models import Count

    return list(Skill.objects.annotate(holders_count=Count("holders")).order_by("name"))


def person_skills(person: Any) -> list[Any]:
    return list(PersonSkill.objects.filter(person=person).select_related("skill")
                .order_by("skill__name"))
