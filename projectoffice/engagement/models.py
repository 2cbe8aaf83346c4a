"""Stakeholders and communications: the stakeholder register and the communication plan
(both on the register kernel), each planned communication's audience, the log of what was
sent (e-mailed from the office or recorded when sent elsewhere), its recipients with their
read acknowledgements, and the answers to the short survey sent with it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projectoffice.planning.models import PlanTask
from projectoffice.registers.models import RegisterItem

USER = settings.AUTH_USER_MODEL
SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class StakeholderKind(models.TextChoices):
    PERSON = "person", "Person"
    GROUP = "group", "Group"


class Attitude(models.TextChoices):
    """The engagement levels, lowest first (engine.engagement.ATTITUDES)."""

    UNAWARE = "unaware", "Unaware"
    RESISTANT = "resistant", "Resistant"
    NEUTRAL = "neutral", "Neutral"
    SUPPORTIVE = "supportive", "Supportive"
    LEADING = "leading", "Leading"


class Stakeholder(RegisterItem):
    """A person or a group with a stake in the project. The title is their name."""

    kind = models.CharField(max_length=10, choices=StakeholderKind.choices,
                            default=StakeholderKind.PERSON)
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField("role", max_length=200, blank=True,
                            help_text="Their role, or what the group does")
    email = models.EmailField("e-mail", blank=True,
                              help_text="The person's address, or the group's mailing list")
    headcount = models.PositiveIntegerField("people in the group", null=True, blank=True)
    power = models.PositiveSmallIntegerField(default=3, validators=SCORE,
                                             help_text="1 (low) to 5 (high)")
    interest = models.PositiveSmallIntegerField(default=3, validators=SCORE,
                                                help_text="1 (low) to 5 (high)")
    attitude_now = models.CharField("attitude now", max_length=12, choices=Attitude.choices,
                                    default=Attitude.NEUTRAL)
    attitude_wanted = models.CharField("attitude wanted", max_length=12,
                                       choices=Attitude.choices,
                                       default=Attitude.SUPPORTIVE)

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_stakeholder_number")]

    def clean(self) -> None:
        super().clean()
        if self.headcount is not None and self.kind == StakeholderKind.PERSON:
            raise ValidationError({"headcount": "only a group has a number of people"})


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    BRIEFING = "briefing", "Briefing"
    MEETING = "meeting", "Meeting"
    NEWSLETTER = "newsletter", "Newsletter"
    INTRANET = "intranet", "Intranet"
    WORKSHOP = "workshop", "Workshop"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class Frequency(models.TextChoices):
    ONCE = "once", "Once"
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class Communication(RegisterItem):
    """A line of the communication plan: a message to an audience through a channel, once
    or at a frequency between two dates, often tied to a plan milestone."""

    message = models.TextField("key message", blank=True, max_length=5000)
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.EMAIL)
    frequency = models.CharField(max_length=12, choices=Frequency.choices,
                                 default=Frequency.ONCE)
    starts_on = models.DateField("first on", null=True, blank=True)
    ends_on = models.DateField("until", null=True, blank=True)
    milestone_uid = models.PositiveIntegerField(
        "milestone", null=True, blank=True,
        help_text="The plan milestone (UID) the communication is tied to")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_communication_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "must be on or after the first date"
        if self.frequency == Frequency.ONCE and self.ends_on and self.ends_on != self.starts_on:
            errors["ends_on"] = "a communication sent once has no end date"
        if self.milestone_uid is not None and self.project_id is not None \
                and not PlanTask.objects.filter(plan__project_id=self.project_id,
                                                uid=self.milestone_uid).exists():
            errors["milestone_uid"] = f"no task with UID {self.milestone_uid} in the plan"
        if errors:
            raise ValidationError(errors)


class AudienceMember(models.Model):
    """A stakeholder (person or group) a planned communication is for."""

    communication = models.ForeignKey(Communication, on_delete=models.CASCADE,
                                      related_name="audience")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE,
                                    related_name="audiences")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["communication", "stakeholder"],
                                               name="unique_audience_member")]
        ordering = ["stakeholder__title"]


class SendMethod(models.TextChoices):
    EMAILED = "emailed", "E-mailed from the office"
    ELSEWHERE = "elsewhere", "Sent elsewhere"


class CommunicationSend(models.Model):
    """One time a communication went out. Never edited: the log of what was said."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.PROTECT,
                                related_name="+")
    communication = models.ForeignKey(Communication, on_delete=models.PROTECT,
                                      related_name="sends")
    method = models.CharField(max_length=10, choices=SendMethod.choices)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    sent_on = models.DateField("sent on")
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=20000)
    note = models.CharField(max_length=500, blank=True)
    survey_question = models.CharField(max_length=200, blank=True,
                                       help_text="Empty when no survey was sent")
    anonymous = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.sent_on:%d %b %Y})"

    @property
    def has_survey(self) -> bool:
        return bool(self.survey_question)


class Recipient(models.Model):
    """Someone a communication was sent to: their address, whether they acknowledged
    reading it and whether they answered its survey."""

    send = models.ForeignKey(CommunicationSend, on_delete=models.CASCADE,
                             related_name="recipients")
    stakeholder = models.ForeignKey(Stakeholder, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # Only whether they answered: the time would tie an anonymous answer to them.
    responded = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


class SurveyResponse(models.Model):
    """One answer to a communication's survey; without its recipient when anonymous."""

    send = models.ForeignKey(CommunicationSend, on_delete=models.CASCADE,
                             related_name="responses")
    recipient = models.OneToOneField(Recipient, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="response")
    rating = models.PositiveSmallIntegerField(validators=SCORE)
    comment = models.TextField(blank=True, max_length=2000)
    answered_on = models.DateField()

    class Meta:
        ordering = ["answered_on", "id"]

    def __str__(self) -> str:
        return f"Rating {self.rating} for {self.send}"


class ImpactAspect(models.TextChoices):
    PROCESS = "process", "Process"
    ROLE = "role", "Role"
    SYSTEM = "system", "System"
    LOCATION = "location", "Location"
    POLICY = "policy", "Policy"


class ImpactLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ChangeImpact(RegisterItem):
    """What changes for one stakeholder group, how much, and when. The title says what
    changes; the description how."""

    group = models.ForeignKey(Stakeholder, on_delete=models.PROTECT, related_name="impacts",
                              verbose_name="stakeholder group")
    aspect = models.CharField("what changes", max_length=10, choices=ImpactAspect.choices,
                              default=ImpactAspect.PROCESS)
    impact_level = models.CharField("impact", max_length=10, choices=ImpactLevel.choices,
                                    default=ImpactLevel.MEDIUM)
    changes_on = models.DateField("changes on", null=True, blank=True)
    milestone_uid = models.PositiveIntegerField(
        "milestone", null=True, blank=True,
        help_text="The plan milestone (UID) the change happens at")

    class Meta(RegisterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_change_impact_number")]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        group = self.group if self.group_id is not None else None
        if group is not None and self.project_id is not None \
                and group.project_id != self.project_id:
            errors["group"] = f"{group.reference} is a stakeholder of another project"
        if self.milestone_uid is not None and self.project_id is not None \
                and not PlanTask.objects.filter(plan__project_id=self.project_id,
                                                uid=self.milestone_uid).exists():
            errors["milestone_uid"] = f"no task with UID {self.milestone_uid} in the plan"
        if errors:
            raise ValidationError(errors)


# The ADKAR dimensions, in order: (field, label).
ADKAR = (("awareness", "Awareness"), ("desire", "Desire"), ("knowledge", "Knowledge"),
         ("ability", "Ability"), ("reinforcement", "Reinforcement"))


class ReadinessAssessment(models.Model):
    """How ready a stakeholder group is on a day, scored 1–5 on each ADKAR dimension.
    Never edited: a later reading is another assessment."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.PROTECT,
                                related_name="+")
    group = models.ForeignKey(Stakeholder, on_delete=models.PROTECT,
                              related_name="assessments")
    assessed_on = models.DateField("assessed on")
    awareness = models.PositiveSmallIntegerField(validators=SCORE)
    desire = models.PositiveSmallIntegerField(validators=SCORE)
    knowledge = models.PositiveSmallIntegerField(validators=SCORE)
    ability = models.PositiveSmallIntegerField(validators=SCORE)
    reinforcement = models.PositiveSmallIntegerField(validators=SCORE)
    note = models.CharField(max_length=500, blank=True)
    assessed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "id"]
        indexes = [models.Index(fields=["group", "assessed_on"])]

    def __str__(self) -> str:
        return f"Readiness of {self.group.title} on {self.assessed_on:%d %b %Y}"

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(int(getattr(self, name)) for name, _ in ADKAR)

    @property
    def overall(self) -> float:
        return sum(self.scores) / len(ADKAR)
