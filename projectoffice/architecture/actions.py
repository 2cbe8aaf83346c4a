"""Writes of the architecture service beyond the kernel's: a decision record superseded by a
later one, and the interfaces between components."""

from __future__ import annotations

from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.actions import record_change
from projectoffice.editing import check_version, lock_for_update, validate
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound
from projectoffice.portfolio.access import has_perm
from projectoffice.portfolio.models import Project
from projectoffice.registers import actions as kernel

from .models import Component, ComponentInterface, DecisionRecord


def _require(actor: User, project: Project, perm: str) -> None:
    if not has_perm(actor, project, "project.view"):
        raise NotFound(f"No project {project.code!r}")
    if not has_perm(actor, project, perm):
        raise Forbidden(f"You need the {perm!r} permission on {project.code}")


@transaction.atomic
def supersede_decision(*, actor: User, record: DecisionRecord, by: DecisionRecord,
                       version: int | None, comment: str = "") -> DecisionRecord:
    """Marks an accepted record superseded by a later one of the same project (proposed or
    accepted, not itself superseded); each names the other from then on."""
    _require(actor, record.project, "adr.transition")
    if by.pk == record.pk:
        raise InvalidInput.field("by", "a decision cannot supersede itself")
    if by.project_id != record.project_id:
        raise InvalidInput.field("by", f"no decision record {by.reference!r} in "
                                 f"{record.project.code}")
    if by.status not in ("proposed", "accepted"):
        raise InvalidInput.field("by", f"{by.reference} is {by.state.label.lower()}: only a "
                                 "proposed or accepted record supersedes another")
    locked = lock_for_update(DecisionRecord, record.pk)
    check_version(locked, version)
    if locked.status != "accepted":
        raise Conflict(f"{locked.reference} is {locked.state.label.lower()}; only an accepted "
                       "decision is superseded", {"by": ["not accepted"]})
    # A chain never loops: the new record must not be superseded, directly or further on.
    seen = {locked.pk}
    step: DecisionRecord | None = by
    while step is not None:
        if step.pk in seen:
            raise InvalidInput.field("by", "that would make decisions supersede each other")
        seen.add(step.pk)
        step = step.superseded_by
    DecisionRecord.objects.filter(pk=locked.pk).update(superseded_by=by)
    locked.superseded_by = by
    record_change(actor=actor, obj=locked, verb="superseded by",
                  changes={"superseded by": [None, by.reference]})
    record_change(actor=actor, obj=by, verb="supersedes",
                  changes={"supersedes": [None, locked.reference]})
    moved = kernel.transition_item(actor=actor, item=locked, transition="supersede",
                                   version=locked.version, comment=comment)
    assert isinstance(moved, DecisionRecord)
    return moved


@transaction.atomic
def add_interface(*, actor: User, source: Component, target: Component, name: str,
                  protocol: str = "") -> ComponentInterface:
    _require(actor, source.project, "component.change")
    if target.project_id != source.project_id:
        raise InvalidInput.field("target", f"no component {target.reference!r} in "
                                 f"{source.project.code}")
    interface = ComponentInterface(project=source.project, source=source, target=target,
                                   name=name.strip(), protocol=protocol.strip(),
                                   created_by=actor)
    validate(interface, exclude=("project", "created_by"))
    if ComponentInterface.objects.filter(source=source, target=target,
                                         name=interface.name).exists():
        raise InvalidInput.field("name", f"{source.reference} → {target.reference} has an "
                                 f"interface “{interface.name}” already")
    interface.save()
    via = f" ({interface.protocol})" if interface.protocol else ""
    record_change(actor=actor, obj=source, verb="interface added",
                  changes={"interface": [None, f"→ {target.reference} {interface.name}{via}"]})
    return interface


@transaction.atomic
def remove_interface(*, actor: User, interface: ComponentInterface) -> None:
    source = interface.source
    _require(actor, source.project, "component.change")
    text = f"→ {interface.target.reference} {interface.name}"
    interface.delete()
    record_change(actor=actor, obj=source, verb="interface removed",
                  changes={"interface": [text, None]})
