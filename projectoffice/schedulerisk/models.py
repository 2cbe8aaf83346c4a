"""Schedule health (DCMA 14-point results per status date, the Project Office's thresholds)
and schedule risk (three-point estimates, risk classes, risk events mapped to tasks, and the
Monte Carlo runs with their results)."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projectoffice.editing import VersionedModel
from projectoffice.engine.dcma import Thresholds
from projectoffice.planning.models import WallClockField
from projectoffice.portfolio.models import Project

_LIMITS = Thresholds()


def _percent(label: str, default: float) -> models.FloatField:  # type: ignore[type-arg]
    return models.FloatField(label, default=default,
                             validators=[MinValueValidator(0), MaxValueValidator(100)])


class ScheduleHealthThresholds(VersionedModel):
    """The limits the DCMA checks are judged by (one row; the standard ones until saved)."""

    logic_percent = _percent("logic: tasks without links, at most %", _LIMITS.logic_percent)
    leads_percent = _percent("leads: links with a lead, at most %", _LIMITS.leads_percent)
    lags_percent = _percent("lags: links with a lag, at most %", _LIMITS.lags_percent)
    fs_percent = _percent("relationship types: finish-to-start links, at least %",
                          _LIMITS.fs_percent)
    hard_constraints_percent = _percent("hard constraints, at most %",
                                        _LIMITS.hard_constraints_percent)
    high_float_days = models.FloatField("high float above (working days)",
                                        default=_LIMITS.high_float_days,
                                        validators=[MinValueValidator(0)])
    high_float_percent = _percent("high float, at most %", _LIMITS.high_float_percent)
    negative_float_percent = _percent("negative float, at most %",
                                      _LIMITS.negative_float_percent)
    high_duration_days = models.FloatField("high duration above (working days)",
                                           default=_LIMITS.high_duration_days,
                                           validators=[MinValueValidator(0)])
    high_duration_percent = _percent("high duration, at most %", _LIMITS.high_duration_percent)
    invalid_dates_percent = _percent("invalid dates, at most %", _LIMITS.invalid_dates_percent)
    resources_percent = _percent("tasks without resources, at most %",
                                 _LIMITS.resources_percent)
    missed_percent = _percent("missed tasks, at most %", _LIMITS.missed_percent)
    cpt_delay_days = models.FloatField("critical path test delay (working days)",
                                       default=_LIMITS.cpt_delay_days,
                                       validators=[MinValueValidator(1)])
    cpli_minimum = models.FloatField("CPLI at least", default=_LIMITS.cpli_minimum,
                                     validators=[MinValueValidator(0)])
    bei_minimum = models.FloatField("BEI at least", default=_LIMITS.bei_minimum,
                                    validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = "schedule health thresholds"
        verbose_name_plural = "schedule health thresholds"

    def __str__(self) -> str:
        return "Schedule health thresholds"


THRESHOLD_FIELDS = tuple(f.name for f in dataclasses.fields(Thresholds))


class HealthRecord(models.Model):
    """The DCMA results of a plan at one status date: the trend."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE,
                                related_name="schedule_health")
    status_date = models.DateField()
    recorded_at = models.DateTimeField()
    passed = models.PositiveSmallIntegerField(default=0)
    failed = models.PositiveSmallIntegerField(default=0)
    checks = models.JSONField(default=list)

    class Meta:
        ordering = ["project", "status_date"]
        constraints = [models.UniqueConstraint(fields=["project", "status_date"],
                                               name="one_health_record_per_status_date")]

    def __str__(self) -> str:
        return f"Schedule health at {self.status_date:%-d %b %Y}"


class RiskClass(models.Model):
    """Uncertainty applied to a group of tasks: minimum, most likely and maximum as percent of
    each task's duration, and how strongly the group's durations move together."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risk_classes")
    name = models.CharField(max_length=60)
    min_percent = models.PositiveIntegerField("minimum (% of duration)", default=90)
    likely_percent = models.PositiveIntegerField("most likely (% of duration)", default=100)
    max_percent = models.PositiveIntegerField("maximum (% of duration)", default=130)
    correlation = models.FloatField(default=0.0, validators=[MinValueValidator(0),
                                                             MaxValueValidator(1)])

    class Meta:
        ordering = ["project", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"],
                                               name="risk_class_name")]

    def __str__(self) -> str:
        return self.name


class TaskEstimate(models.Model):
    """A task's three-point estimate (working minutes of its calendar) and/or risk class."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="estimates")
    task_uid = models.PositiveIntegerField()
    low = models.PositiveIntegerField(null=True, blank=True)
    likely = models.PositiveIntegerField(null=True, blank=True)
    high = models.PositiveIntegerField(null=True, blank=True)
    risk_class = models.ForeignKey(RiskClass, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="tasks")

    class Meta:
        ordering = ["project", "task_uid"]
        constraints = [models.UniqueConstraint(fields=["project", "task_uid"],
                                               name="one_estimate_per_task")]

    def __str__(self) -> str:
        return f"Estimate of task {self.task_uid}"


class RiskImpact(models.Model):
    """A risk of the register mapped to a task it would delay."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risk_impacts")
    risk = models.ForeignKey("controls.Risk", on_delete=models.CASCADE,
                             related_name="schedule_impacts")
    task_uid = models.PositiveIntegerField()
    probability = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    impact_days = models.DecimalField(max_digits=7, decimal_places=2,
                                      validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["project", "risk", "task_uid"]
        constraints = [models.UniqueConstraint(fields=["risk", "task_uid"],
                                               name="one_impact_per_risk_task")]

    def __str__(self) -> str:
        return f"{self.risk} on task {self.task_uid}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SimulationRun(models.Model):
    """One Monte Carlo run of a plan; its results are kept to be compared with later runs."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risk_runs")
    number = models.PositiveIntegerField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    iterations = models.PositiveIntegerField(
        validators=[MinValueValidator(100), MaxValueValidator(100_000)])
    seed = models.PositiveIntegerField(default=1)
    done = models.PositiveIntegerField(default=0, help_text="iterations run so far")
    note = models.CharField(max_length=200, blank=True)
    status_date = models.DateField(null=True, blank=True)
    deterministic_finish = WallClockField(null=True, blank=True)
    p50 = WallClockField(null=True, blank=True)
    p80 = WallClockField(null=True, blank=True)
    p90 = WallClockField(null=True, blank=True)
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="risk_run_number")]

    def __str__(self) -> str:
        return f"Schedule risk run {self.number}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.iterations) if self.iterations else 0
