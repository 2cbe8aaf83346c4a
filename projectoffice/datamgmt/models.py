"""Data management: the data register (databases, data sets and stores with their owner,
classification, personal data, environments and retention) and the data migrations (one
object moved from a source to a target, rehearsed and cut over in recorded runs)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models

from projectoffice.registers.models import RegisterItem

COUNT_LIMIT = 10**12  # record counts beyond a trillion are a typing slip


class DataKind(models.TextChoices):
    DATABASE = "database", "Database"
    DATASET = "dataset", "Data set"
    FILESTORE = "filestore", "File store"
    OTHER = "other", "Other"


class Classification(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"
    CONFIDENTIAL = "confidential", "Confidential"
    RESTRICTED = "restricted", "Restricted"


class DataAsset(RegisterItem):
    """A database, data set or store the project creates, changes or depends on; its owner
    answers for it."""

    data_kind = models.CharField("kind", max_length=12, choices=DataKind.choices,
                                 default=DataKind.DATABASE)
    classification = models.CharField(max_length=14, choices=Classification.choices,
                                      default=Classification.INTERNAL)
    personal_data = models.BooleanField("personal data", default=False)
    environments = models.CharField(max_length=200, blank=True,
                                    help_text="e.g. production, test, development")
    location = models.CharField(max_length=200, blank=True,
                                help_text="Where it is held: a server, a cloud region, a "
                                          "system")
    retention = models.CharField(max_length=200, blank=True,
                                 help_text="How long it is kept, e.g. 7 years after closure")

    class Meta(RegisterItem.Meta):
        verbose_name = "data asset"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_data_asset_number")]


class DataMigration(RegisterItem):
    """One migration object — customers, open orders, price lists — moved from a source to a
    target; its runs (rehearsals, then the cutover) carry the record counts."""

    source = models.CharField(max_length=200, help_text="The system or table it comes from")
    target = models.CharField(max_length=200, help_text="Where it goes")
    data_asset = models.ForeignKey(DataAsset, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="migrations", verbose_name="data asset")

    class Meta(RegisterItem.Meta):
        verbose_name = "data migration"
        constraints = [models.UniqueConstraint(fields=["project", "number"],
                                               name="unique_data_migration_number")]

    def clean(self) -> None:
        super().clean()
        if self.data_asset_id is not None and self.data_asset is not None \
                and self.data_asset.project_id != self.project_id:
            raise ValidationError({"data_asset": f"no data asset {self.data_asset_id} in "
                                                 "this project"})


class RunKind(models.TextChoices):
    REHEARSAL = "rehearsal", "Rehearsal"
    CUTOVER = "cutover", "Cutover"


class MigrationRun(models.Model):
    """One run of a migration: how many records left the source, how many arrived in the
    target and how many were rejected. It reconciles when every source record is either
    loaded or knowingly rejected."""

    migration = models.ForeignKey(DataMigration, on_delete=models.CASCADE,
                                  related_name="runs")
    kind = models.CharField(max_length=10, choices=RunKind.choices)
    run_on = models.DateField("run on")
    source_count = models.PositiveBigIntegerField(
        "source records", validators=[MaxValueValidator(COUNT_LIMIT)])
    target_count = models.PositiveBigIntegerField(
        "loaded records", validators=[MaxValueValidator(COUNT_LIMIT)])
    rejected_count = models.PositiveBigIntegerField(
        "rejected records", default=0, validators=[MaxValueValidator(COUNT_LIMIT)])
    notes = models.CharField(max_length=500, blank=True)
    defect = models.ForeignKey("controls.Issue", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.migration.reference} on {self.run_on}"

    @property
    def difference(self) -> int:
        """Source records neither loaded nor rejected (negative: more arrived than left)."""
        return int(self.source_count) - int(self.target_count) - int(self.rejected_count)

    @property
    def reconciled(self) -> bool:
        return self.difference == 0

    def clean(self) -> None:
        if self.rejected_count is not None and self.source_count is not None \
                and self.rejected_count > self.source_count:
            raise ValidationError({"rejected_count": "cannot exceed the source records"})
