"""The office's people and callers: a profile per user (team, location, phones, working
pattern, skills), absences, outside contacts, and the enquiry log (a register)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from projectoffice.editing import VersionedModel
from projectoffice.registers.models import RegisterItem

USER = settings.AUTH_USER_MODEL

# Monday is 1, as in date.isoweekday().
WEEKDAYS = ((1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"), (7, "Sun"))


class Profile(VersionedModel):
    """What colleagues need to find and reach a person. The job title stays on the user."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="profile",
                                editable=False)
    team = models.CharField(max_length=100, blank=True)
    location = models.CharField("location or office", max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    mobile = models.CharField(max_length=40, blank=True)
    working_days = models.CharField(
        max_length=7, default="12345",
        help_text="the weekdays worked, Monday = 1: 12345 is Monday to Friday")
    hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("37.5"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(80))])
    skills = models.TextField(blank=True, max_length=2000)
    # Decides the person's absence requests; set by the Project Office (people.manage).
    line_manager = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="reports")

    class Meta:
        ordering = ["user__display_name", "user__username"]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def clean(self) -> None:
        days = self.working_days or ""
        if not days or any(c not in "1234567" for c in days) or len(set(days)) != len(days):
            raise ValidationError({"working_days": "list weekdays as digits 1 (Monday) to 7 "
                                                   "(Sunday), each once"})
        self.working_days = "".join(sorted(days))

    @property
    def days_per_week(self) -> int:
        return len(self.working_days)

    @property
    def working_days_label(self) -> str:
        names = [label for number, label in WEEKDAYS if str(number) in self.working_days]
        if self.working_days == "12345":
            return "Mon–Fri"
        return " ".join(names) or "none"


class Proficiency(models.IntegerChoices):
    """One scale for every skill level: held, required by a position, taught by a course,
    needed by a training need."""

    AWARE = 1, "1 · Aware"
    BASIC = 2, "2 · Basic"
    WORKING = 3, "3 · Working"
    PRACTITIONER = 4, "4 · Practitioner"
    EXPERT = 5, "5 · Expert"


LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Skill(models.Model):
    """A skill of the office's catalogue; people hold it, positions require it, courses
    teach it — each at a proficiency level."""

    name = models.CharField(max_length=100)
    category = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"),
                                               name="unique_skill_name")]

    def __str__(self) -> str:
        return self.name


class SkillSource(models.TextChoices):
    DECLARED = "declared", "Declared"
    ASSESSED = "assessed", "Assessed"
    TRAINING = "training", "Training passed"


class PersonSkill(VersionedModel):
    """A skill a person holds at a level; how it was gained (declared, assessed by the
    Project Office, or a course passed)."""

    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="held_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="holders")
    level = models.PositiveSmallIntegerField(choices=Proficiency.choices,
                                             validators=LEVEL_VALIDATORS)
    source = models.CharField(max_length=10, choices=SkillSource.choices,
                              default=SkillSource.DECLARED)
    updated_on = models.DateField()

    class Meta:
        ordering = ["skill__name"]
        constraints = [models.UniqueConstraint(fields=["person", "skill"],
                                               name="unique_person_skill")]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", "Leave"
    TRAINING = "training", "Training"
    TRAVEL = "travel", "Travel"
    SICKNESS = "sickness", "Sickness"
    OTHER = "other", "Other"


class AbsenceStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    CANCELLED = "cancelled", "Cancelled"


# Only these hold the days: a refused or cancelled absence frees them for another request.
LIVE_STATUSES = (AbsenceStatus.REQUESTED, AbsenceStatus.APPROVED)


class Absence(VersionedModel):
    """A person away from work from `start` to `end` (both included). A half-day absence is a
    single day. Kinds that need approval (AbsenceSettings) start as requests; only approved
    absences take availability away."""

    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="absences",
                               editable=False)
    kind = models.CharField(max_length=10, choices=AbsenceKind.choices,
                            default=AbsenceKind.LEAVE)
    start = models.DateField()
    end = models.DateField()
    half_day = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=AbsenceStatus.choices,
                              default=AbsenceStatus.APPROVED, editable=False)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    decided_on = models.DateField(null=True, blank=True, editable=False)
    reason = models.CharField("reason for refusal", max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+",
                                   editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "person_id"]
        indexes = [models.Index(fields=["person", "start", "end"]),
                   models.Index(fields=["start", "end"]),
                   models.Index(fields=["status", "start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.person} from {self.start:%d %b %Y}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "must be on or after the start"})
        if self.half_day and self.start and self.end and self.end != self.start:
            raise ValidationError({"half_day": "a half day starts and ends on the same day"})

    @property
    def days(self) -> float:
        if self.half_day:
            return 0.5
        return float((self.end - self.start).days + 1)


class AbsenceSettings(VersionedModel):
    """The office's rules for absences: which kinds are requested and approved (by the line
    manager or the Project Office) and which are recorded as they happen. One row."""

    leave_needs_approval = models.BooleanField("leave needs approval", default=True)
    training_needs_approval = models.BooleanField("training needs approval", default=True)
    travel_needs_approval = models.BooleanField("travel needs approval", default=False)
    sickness_needs_approval = models.BooleanField("sickness needs approval", default=False)
    other_needs_approval = models.BooleanField("other absences need approval", default=False)

    class Meta:
        verbose_name = "absence settings"
        verbose_name_plural = "absence settings"

    def __str__(self) -> str:
        return "Absence settings"

    def needs_approval(self, kind: str) -> bool:
        # Sickness and other absences follow one rule (either setting asks it of both), so a
        # request awaiting a decision never tells one from the other.
        if kind in ("sickness", "other"):
            return bool(self.sickness_needs_approval or self.other_needs_approval)
        return bool(getattr(self, f"{kind}_needs_approval", False))


class Contact(VersionedModel):
    """Someone outside the office: a supplier, customer or regulator's person."""

    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    projects = models.ManyToManyField("portfolio.Project", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "organisation", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    VISIT = "visit", "Visit"


class Enquiry(RegisterItem):
    """A call, e-mail or visit to the office about a project, routed to its owner."""

    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="enquiries")
    caller = models.CharField(max_length=150, blank=True,
                              help_text="who called, when they are not a known contact")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PHONE)
    received_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True, max_length=10000)

    class Meta(RegisterItem.Meta):
        verbose_name_plural = "enquiries"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_enquiry_number")]

    def clean(self) -> None:
        super().clean()
        if self.received_at is None:
            self.received_at = timezone.now()

    @property
    def caller_label(self) -> str:
        return str(self.contact) if self.contact else (self.caller or "Unknown caller")
