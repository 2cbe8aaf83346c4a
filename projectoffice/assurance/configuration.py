"""Configuration management: recording item versions (through an approved change once an
item is baselined), freezing baselines and releases, and the reads that account for them —
status accounting, side-by-side comparison and the configuration audit of a release."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change, record_creation
from projectoffice.controls.models import ChangeRequest
from projectoffice.documents.models import Document, DocumentVersion
from projectoffice.editing import lock_for_update, validate
from projectoffice.errors import InvalidInput
from projectoffice.portfolio.models import Project
from projectoffice.registers.models import ItemLink, LinkKind

from .actions import _require
from .config_models import (
    BaselineEntry,
    BaselineKind,
    ConfigurationBaseline,
    ConfigurationItem,
    ItemVersion,
)
from .models import Deliverable

# A change request in these states authorises a new version of a baselined item.
AUTHORISING_STATES = ("approved", "applied")


def baselined(item: ConfigurationItem) -> bool:
    return BaselineEntry.objects.filter(item=item).exists()


@transaction.atomic
def record_version(*, actor: User, item: ConfigurationItem, label: str, location: str = "",
                   revision: str = "", note: str = "", document_reference: str = "",
                   document_version: int | None = None,
                   change_reference: str = "") -> ItemVersion:
    """Records a new version of an item and makes it the current one. Once the item is in a
    baseline, the new version must come through an approved change request, which is then
    linked to the item it affects."""
    _require(actor, item.project, "configuration.manage")
    locked = lock_for_update(ConfigurationItem, item.pk)
    label = label.strip()
    if not label:
        raise InvalidInput.field("label", "give the version a label, e.g. 1.2.0")
    if len(label) > 50:
        raise InvalidInput.field("label", "keep the version label under 50 characters")
    if locked.status == "retired":
        raise InvalidInput.field("label", f"{locked.reference} is retired")
    if ItemVersion.objects.filter(item=locked, label=label).exists():
        raise InvalidInput.field("label", f"{locked.name} already has a version {label}")
    doc_version = _document_version(locked.project, document_reference, document_version)
    change = None
    change_reference = change_reference.strip().upper()
    if change_reference:
        change = ChangeRequest.objects.filter(project=locked.project,
                                              reference=change_reference).first()
        if change is None:
            raise InvalidInput.field("change", f"no change request {change_reference} in "
                                               f"{locked.project.code}")
    if baselined(locked):
        if change is None:
            raise InvalidInput.field("change", f"{locked.name} is baselined: name the approved "
                                               "change request that allows a new version")
        if change.status not in AUTHORISING_STATES:
            raise InvalidInput.field("change", f"{change.reference} is "
                                               f"{change.state.label.lower()}, not approved")
    version = ItemVersion(item=locked, label=label, location=location.strip(),
                          revision=revision.strip(), note=note.strip(),
                          document_version=doc_version, change=change, created_by=actor)
    validate(version, exclude=("item", "document_version", "change", "created_by"))
    version.save()
    before = locked.current_version.label if locked.current_version else None
    locked.current_version = version
    locked.version += 1
    locked.save(update_fields=["current_version", "version", "updated_at"])
    record_change(actor=actor, obj=locked, verb="versioned",
                  changes={"version": [before, label]}
                  | ({"change": [None, change.reference]} if change else {}))
    if change is not None:
        ItemLink.objects.get_or_create(
            project=locked.project, content_type=ContentType.objects.get_for_model(change),
            object_id=change.pk, target_type=ContentType.objects.get_for_model(locked),
            target_id=locked.pk, kind=LinkKind.RELATES, defaults={"created_by": actor})
    return version


def _document_version(project: Project, reference: str,
                      number: int | None) -> DocumentVersion | None:
    reference = reference.strip().upper()
    if not reference:
        if number is not None:
            raise InvalidInput.field("document", "name the document the version belongs to")
        return None
    document = Document.objects.filter(project=project, reference=reference).first()
    if document is None:
        raise InvalidInput.field("document", f"no document {reference} in {project.code}")
    if number is None:
        if document.current_version is None:
            raise InvalidInput.field("document", f"{reference} has no version yet")
        current: DocumentVersion = document.current_version
        return current
    found: DocumentVersion | None = document.versions.filter(number=number).first()
    if found is None:
        raise InvalidInput.field("document_version", f"{reference} has no version {number}")
    return found


@transaction.atomic
def create_baseline(*, actor: User, project: Project, name: str,
                    kind: str = BaselineKind.BASELINE, description: str = "",
                    entries: Sequence[tuple[str, str]] | None = None) -> ConfigurationBaseline:
    """Freezes a named set of item versions: the given (item reference or identifier,
    version label) pairs, or every live item at its current version. All or nothing."""
    _require(actor, project, "configuration.manage")
    if kind not in BaselineKind.values:
        raise InvalidInput.field("kind", "choose baseline or release")
    name = name.strip()
    if ConfigurationBaseline.objects.filter(project=project, name=name).exists():
        raise InvalidInput.field("name", f"{project.code} already has a baseline named "
                                         f"{name!r}")
    items = ConfigurationItem.objects.filter(project=project).select_related(
        "current_version")
    chosen: list[tuple[ConfigurationItem, ItemVersion]] = []
    if entries is None:
        chosen = [(i, i.current_version) for i in items.exclude(status="retired")
                  .order_by("number") if i.current_version is not None]
    else:
        by_key = {k: i for i in items for k in (i.reference, i.identifier) if k}
        for n, (key, label) in enumerate(entries, start=1):
            item = by_key.get(key.strip()) or by_key.get(key.strip().upper())
            if item is None:
                raise InvalidInput.field(f"entries.{n}.item", f"no configuration item "
                                                              f"{key!r} in {project.code}")
            version = ItemVersion.objects.filter(item=item, label=label.strip()).first()
            if version is None:
                raise InvalidInput.field(f"entries.{n}.version",
                                         f"{item.name} has no version {label!r}")
            if any(i.pk == item.pk for i, _ in chosen):
                raise InvalidInput.field(f"entries.{n}.item", f"{item.name} is listed twice")
            chosen.append((item, version))
    if not chosen:
        raise InvalidInput.field("entries", "a baseline needs at least one item with a "
                                            "recorded version")
    baseline = ConfigurationBaseline(project=project, name=name, kind=kind,
                                     description=description.strip(), created_by=actor)
    validate(baseline, exclude=("project", "created_by"))
    baseline.save()
    BaselineEntry.objects.bulk_create(BaselineEntry(baseline=baseline, item=i, version=v)
                                      for i, v in chosen)
    record_creation(actor=actor, obj=baseline, fields=("name", "kind", "description"))
    record_change(actor=actor, obj=baseline, verb="baselined",
                  changes={"items": [None, [f"{i.name} {v.label}" for i, v in chosen]]})
    return baseline


# ------------------------------------------------------------------------------------------
# Reads


def baselines_of(project: Project) -> Any:
    return ConfigurationBaseline.objects.filter(project=project).select_related("created_by")


def _entries(baseline: ConfigurationBaseline) -> dict[int, ItemVersion]:
    return {e.item_id: e.version for e in
            BaselineEntry.objects.filter(baseline=baseline).select_related("version")}


@dataclass
class AccountingRow:
    item: ConfigurationItem
    baseline_version: ItemVersion | None
    current_version: ItemVersion | None
    state: str  # unchanged, changed, added, retired
    since: list[ItemVersion] = field(default_factory=list)


def status_accounting(baseline: ConfigurationBaseline) -> list[AccountingRow]:
    """What changed since a baseline: each item's version then and now, the versions
    recorded since (with the change requests that allowed them) and items added since."""
    frozen = _entries(baseline)
    items = ConfigurationItem.objects.filter(project_id=baseline.project_id) \
        .select_related("current_version", "current_version__change").order_by("number")
    versions: dict[int, list[ItemVersion]] = {}
    for v in ItemVersion.objects.filter(item__project_id=baseline.project_id,
                                        created_at__gt=baseline.created_at) \
            .select_related("change").order_by("id"):
        versions.setdefault(v.item_id, []).append(v)
    rows = []
    for item in items:
        then = frozen.get(item.pk)
        if then is None and item.created_at <= baseline.created_at and \
                item.pk not in versions:
            continue  # neither in the baseline nor new since: not its business
        if then is None:
            state = "added"
        elif item.status == "retired":
            state = "retired"
        elif item.current_version_id != then.pk:
            state = "changed"
        else:
            state = "unchanged"
        rows.append(AccountingRow(item, then, item.current_version, state,
                                  versions.get(item.pk, [])))
    return rows


@dataclass(frozen=True)
class CompareRow:
    item: ConfigurationItem
    left: ItemVersion | None
    right: ItemVersion | None

    @property
    def differs(self) -> bool:
        return (self.left.pk if self.left else None) != (self.right.pk if self.right else None)


def compare(left: ConfigurationBaseline, right: ConfigurationBaseline) -> list[CompareRow]:
    a, b = _entries(left), _entries(right)
    items = ConfigurationItem.objects.filter(pk__in=set(a) | set(b)).order_by("number")
    return [CompareRow(i, a.get(i.pk), b.get(i.pk)) for i in items]


@dataclass(frozen=True)
class Discrepancy:
    reference: str
    name: str
    problem: str


def configuration_audit(baseline: ConfigurationBaseline) -> list[Discrepancy]:
    """A baseline (a release above all) against what is recorded: items retired or moved
    on since, deliverables not accepted, document versions not approved, and accepted
    deliverables whose items are missing from it."""
    found: list[Discrepancy] = []
    entries = BaselineEntry.objects.filter(baseline=baseline).select_related(
        "item", "item__deliverable", "version", "version__document_version",
        "item__current_version").order_by("item__number")
    in_baseline = set()
    for e in entries:
        item, v = e.item, e.version
        in_baseline.add(item.pk)

        def say(problem: str, item: ConfigurationItem = item) -> None:
            found.append(Discrepancy(item.reference, item.name, problem))

        if item.status == "retired":
            say("retired since it was baselined")
        elif item.current_version_id != v.pk:
            now = item.current_version.label if item.current_version else "none"
            say(f"recorded version is {now}, the baseline holds {v.label}")
        if item.deliverable is not None and item.deliverable.status != "accepted":
            say(f"deliverable {item.deliverable.reference} is "
                f"{item.deliverable.state.label.lower()}, not accepted")
        dv = v.document_version
        if dv is not None and dv.state not in ("approved", "superseded"):
            say(f"document version {dv.number} is {dv.get_state_display().lower()}, "
                "not approved")
    if baseline.kind == BaselineKind.RELEASE:
        missing = ConfigurationItem.objects.filter(
            project_id=baseline.project_id, deliverable__in=Deliverable.objects.filter(
                project_id=baseline.project_id, status="accepted")).exclude(
            status="retired").exclude(pk__in=in_baseline).order_by("number")
        for item in missing:
            found.append(Discrepancy(item.reference, item.name,
                                     f"deliverable {item.deliverable_reference} is accepted "
                                     "but this item is not in the release"))
    return found
