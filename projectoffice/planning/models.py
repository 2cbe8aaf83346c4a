"""Plans: a project's tasks, links, calendars, baselines and progress, as stored.

The scheduled dates on each task are written by the engine in the same transaction as the
edit that changed the plan (see ``actions.py``), so what is stored is always what the engine
says.  Durations and lags are minutes, as in the engine; the plan's settings convert them to
days and weeks for display.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.portfolio.models import Project


class WallClockField(models.DateTimeField):  # type: ignore[type-arg]
    """A naive local wall-clock time, as plans use (MS Project files have no time zone).
    Stored as if it were UTC so the database keeps exactly the digits given."""

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super().get_prep_value(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value


class Constraint(models.TextChoices):
    ASAP = "ASAP", "As soon as possible"
    ALAP = "ALAP", "As late as possible"
    SNET = "SNET", "Start no earlier than"
    SNLT = "SNLT", "Start no later than"
    FNET = "FNET", "Finish no earlier than"
    FNLT = "FNLT", "Finish no later than"
    MSO = "MSO", "Must start on"
    MFO = "MFO", "Must finish on"


class LinkType(models.TextChoices):
    FS = "FS", "Finish-to-start"
    SS = "SS", "Start-to-start"
    FF = "FF", "Finish-to-finish"
    SF = "SF", "Start-to-finish"


class LagKind(models.TextChoices):
    WORKING = "working", "Working time"
    ELAPSED = "elapsed", "Elapsed time"
    PERCENT = "percent", "Percent of the predecessor"


class Plan(VersionedModel):
    """One plan per project.  ``version`` guards the whole plan: two planners editing it at
    once cannot silently overwrite each other."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="plan")
    start = WallClockField(help_text="The plan starts at this time (local wall clock)")
    status_date = models.DateField(null=True, blank=True)
    minutes_per_day = models.PositiveIntegerField(default=480)
    minutes_per_week = models.PositiveIntegerField(default=2400)
    days_per_month = models.PositiveIntegerField(default=20)
    calendar_uid = models.PositiveIntegerField(default=1)
    next_uid = models.PositiveIntegerField(default=1)
    # What the last reschedule found: the finish, the warnings, and the previous state of
    # the plan so that the last edit can be undone.
    finish = WallClockField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    undo_state = models.JSONField(null=True, blank=True, editable=False)
    scheduled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Plan of {self.project.code}"


class PlanCalendar(models.Model):
    """A working calendar.  ``week`` holds seven entries (Monday first), each a list of
    ``[start, end]`` minutes after midnight, or null in a derived calendar; ``exceptions`` is a
    list of ``{"start", "finish", "periods", "name"}``.  Holidays of ``country``/``region``
    come from the holidays package and are added as exceptions when the calendar is saved."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="calendars")
    uid = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    week = models.JSONField()
    exceptions = models.JSONField(default=list, blank=True)
    # Alternate work weeks: {"start", "finish", "name", "week": seven days, null = default}.
    work_weeks = models.JSONField(default=list, blank=True)
    base_uid = models.PositiveIntegerField(null=True, blank=True)
    country = models.CharField(max_length=3, blank=True)
    region = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "uid"], name="calendar_uid")]
        ordering = ["uid"]

    def __str__(self) -> str:
        return self.name


class TaskType(models.TextChoices):
    """How work, units and duration of a task's assignments follow each other (MS Project)."""

    FIXED_UNITS = "fixed_units", "Fixed units"
    FIXED_WORK = "fixed_work", "Fixed work"
    FIXED_DURATION = "fixed_duration", "Fixed duration"


class PlanTask(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    uid = models.PositiveIntegerField()
    position = models.PositiveIntegerField(help_text="Row number in the outline, from 1")
    outline_level = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=255, blank=True)
    duration = models.PositiveIntegerField(default=0, help_text="minutes")
    elapsed = models.BooleanField(default=False)
    milestone = models.BooleanField(default=False)
    display_unit = models.CharField(max_length=2, default="d")
    calendar_uid = models.PositiveIntegerField(null=True, blank=True)
    constraint = models.CharField(max_length=4, choices=Constraint.choices,
                                  default=Constraint.ASAP)
    constraint_date = WallClockField(null=True, blank=True)
    deadline = WallClockField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=10000)
    percent_complete = models.FloatField(default=0)
    actual_start = WallClockField(null=True, blank=True)
    actual_finish = WallClockField(null=True, blank=True)
    remaining_duration = models.PositiveIntegerField(null=True, blank=True)
    # Working minutes done, as MS Project saved it (otherwise worked out from % complete).
    actual_duration = models.PositiveIntegerField(null=True, blank=True)
    task_type = models.CharField(max_length=14, choices=TaskType.choices,
                                 default=TaskType.FIXED_UNITS)
    effort_driven = models.BooleanField(default=False)
    levelling_delay = models.PositiveIntegerField(
        default=0, help_text="working minutes added by resource levelling")
    # Manually scheduled: the task stays on manual_start..manual_finish whatever its links.
    manual = models.BooleanField(default=False)
    manual_start = WallClockField(null=True, blank=True)
    manual_finish = WallClockField(null=True, blank=True)
    manual_text = models.BooleanField(
        default=False, help_text="dates typed as text in MS Project: never critical")
    # An inactive task stays in the plan but is ignored by scheduling.
    active = models.BooleanField(default=True)
    # MS Project's priority, 0–1000 (1000: never delayed by levelling); 500 by default.
    priority = models.PositiveSmallIntegerField(default=500)
    # An in-progress task split by a gap: its remaining work resumes no earlier than this
    # (MS Project's Resume, kept from imported files and written back to them).
    resume = WallClockField(null=True, blank=True)
    # MS Project's "Scheduling ignores resource calendars", kept for the file.
    ignore_resource_calendar = models.BooleanField(default=False)
    # Written by the engine.
    summary = models.BooleanField(default=False, editable=False)
    start = WallClockField(null=True, blank=True, editable=False)
    finish = WallClockField(null=True, blank=True, editable=False)
    early_start = WallClockField(null=True, blank=True, editable=False)
    early_finish = WallClockField(null=True, blank=True, editable=False)
    late_start = WallClockField(null=True, blank=True, editable=False)
    late_finish = WallClockField(null=True, blank=True, editable=False)
    total_float = models.IntegerField(default=0, editable=False)
    free_float = models.IntegerField(default=0, editable=False)
    critical = models.BooleanField(default=False, editable=False)
    # A manual task placed before its links allow (MS Project underlines it).
    links_violated = models.BooleanField(default=False, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "uid"], name="task_uid")]
        indexes = [models.Index(fields=["plan", "position"])]
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return f"{self.uid} {self.name}"


class PlanLink(models.Model):
    """A dependency.  The link belongs to the successor's plan; its predecessor may be a
    task of another project's plan (an external predecessor)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(PlanTask, on_delete=models.CASCADE,
                                  related_name="predecessor_links")
    type = models.CharField(max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag = models.FloatField(default=0, help_text="minutes, or percent for percent lags")
    lag_kind = models.CharField(max_length=8, choices=LagKind.choices, default=LagKind.WORKING)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"],
                                               name="one_link_per_pair")]

    def __str__(self) -> str:
        return f"{self.predecessor_id} {self.type} {self.successor_id}"


class Baseline(models.Model):
    """A saved copy of the plan's dates; numbers 0–10 as in MS Project."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="baselines")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    saved_at = models.DateTimeField()
    finish = WallClockField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="baseline_number")]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Baseline {self.number} · {self.name}"


class BaselineTask(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="tasks")
    uid = models.PositiveIntegerField()
    start = WallClockField(null=True)
    finish = WallClockField(null=True)
    duration = models.PositiveIntegerField(default=0)
    # Planned cost of the task's assignments when the baseline was saved (None: saved before
    # costs were recorded with baselines).
    cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["baseline", "uid"],
                                               name="baseline_task_uid")]


class MilestoneSnapshot(models.Model):
    """The forecast finish of each milestone at a status date: the milestone trend chart."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestone_snapshots")
    status_date = models.DateField()
    uid = models.PositiveIntegerField()
    name = models.CharField(max_length=255, blank=True)
    finish = WallClockField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "status_date", "uid"],
                                               name="milestone_snapshot")]
        ordering = ["status_date", "uid"]


class PlanLayout(models.Model):
    """A person's plan editor: the grid's columns (keys of ``columns.COLUMNS``, in order)
    and the grid's width beside the chart, the same on every plan and every browser."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="plan_layout")
    columns = models.JSONField(default=list, blank=True)
    grid_width = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Plan layout of {self.user}"
