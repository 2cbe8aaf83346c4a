"""Training: needs (derived from change impacts or raised by hand) and courses on the
register kernel; sessions of a course, each booking its room through the office's room
bookings; enrolments of people or of a whole stakeholder group, with a waiting list; and
attendance, which is what training coverage counts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.people.models import Proficiency
from projectoffice.registers.models import RegisterItem

USER = settings.AUTH_USER_MODEL


def _same_project(item: RegisterItem, name: str, errors: dict[str, str]) -> None:
    other = getattr(item, name) if getattr(item, f"{name}_id") is not None else None
    if other is not None and item.project_id is not None and other.project_id != item.project_id:
        errors[name] = f"{other.reference} belongs to another project"


class TrainingNeed(RegisterItem):
    """Who must learn what, to which level, by when. The title says what is to be learnt."""

    group = models.ForeignKey("engagement.Stakeholder", on_delete=models.PROTECT,
                              related_name="training_needs", verbose_name="stakeholder group")
    impact = models.ForeignKey("engagement.ChangeImpact", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="training_needs",
                               verbose_name="change impact")
    skill = models.CharField(max_length=200, blank=True)
    proficiency = models.PositiveSmallIntegerField(
        "proficiency needed", default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (aware) to 5 (expert)")
    needed_by = models.DateField("needed by", null=True, blank=True)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_training_need_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        _same_project(self, "group", errors)
        _same_project(self, "impact", errors)
        if errors:
            raise ValidationError(errors)


class Course(RegisterItem):
    """A course: its objectives and length; its material is attached as documents."""

    need = models.ForeignKey(TrainingNeed, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="courses", verbose_name="training need")
    objectives = models.TextField(blank=True, max_length=5000)
    duration_hours = models.DecimalField(
        "duration (hours)", max_digits=5, decimal_places=2, default=Decimal(2),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal(200))])
    skill = models.ForeignKey("people.Skill", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="skill taught",
                              help_text="Passing the course gives this skill at the level")
    skill_level = models.PositiveSmallIntegerField(
        "level taught", default=Proficiency.WORKING,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (aware) to 5 (expert)")
    materials = models.ManyToManyField("documents.Document", blank=True, editable=False,
                                       related_name="+", verbose_name="course material")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_course_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        _same_project(self, "need", errors)
        if errors:
            raise ValidationError(errors)


class TrainingSession(VersionedModel):
    """One sitting of a course: when, in which room (a booking of the office's rooms), by
    whom and for how many."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.PROTECT,
                                related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    room = models.ForeignKey("facilities.BookableResource", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    booking = models.OneToOneField("facilities.Booking", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="training_session")
    venue = models.CharField("venue", max_length=200, blank=True,
                             help_text="Where, when not in one of the office's rooms")
    trainer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.course.title} on {self.starts_at:%d %b %Y %H:%M}"

    @property
    def where(self) -> str:
        return self.room.name if self.room_id is not None and self.room else self.venue


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    WAITING = "waiting", "Waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Result(models.TextChoices):
    NONE = "", "Not assessed"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Not yet competent"


class Enrolment(models.Model):
    """A place (or, for a group, several places) on a session. A person's row counts one;
    a group's row counts the people it enrols. `attended` is how many of them came."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE,
                                related_name="enrolments")
    group = models.ForeignKey("engagement.Stakeholder", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              help_text="The stakeholder group the people belong to")
    person = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    seats = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ENROLLED)
    attended = models.PositiveIntegerField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    enrolled_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name
