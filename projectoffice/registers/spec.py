"""A register is declared once with a RegisterSpec; the kernel derives its numbering, API,
views, exports and permissions from the declaration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .workflow import Transition, Workflow

if TYPE_CHECKING:
    from .models import RegisterItem

# Called with (actor, locked item, transition) before a move; raises an OfficeError to refuse
# it (e.g. an approval above a threshold that needs the sponsor).
TransitionGuard = Callable[[Any, "RegisterItem", Transition], None]
# Called with (actor, saved item, transition, comment) after a move, in its transaction
# (e.g. to tell the requester of a decision).
AfterTransition = Callable[[Any, "RegisterItem", Transition, str], None]


@dataclass(frozen=True)
class RegisterSpec:
    key: str  # URL segment and API path: "issues"
    model: type[RegisterItem]
    prefix: str  # reference prefix: "ISS" gives ISS-0042
    area: str  # permission area: "issue" gives issue.view, issue.add, …
    label: str  # "Issue log"
    item_label: str  # "Issue"
    workflow: Workflow
    # The register's own editable fields, after the kernel's common ones.
    fields: tuple[str, ...] = ()
    # Extra columns in lists and exports, after reference, title, status, owner, due date.
    list_columns: tuple[str, ...] = ()
    # Read-only values the model computes (attribute, heading), shown in lists and exports
    # after the list columns: a dependency's live expected date.
    computed_columns: tuple[tuple[str, str], ...] = ()
    # Relations the list follows for those values, fetched with the page in one query.
    list_related: tuple[str, ...] = ()
    # Choice fields offered as list filters (besides status, priority and owner).
    filters: tuple[str, ...] = ()
    # A template included on the detail page for register-specific operations.
    detail_extra_template: str = ""
    # A template included in the detail page's main (wide) column, after the description.
    detail_main_template: str = ""
    # A template included on the list page above the table (e.g. a heat map).
    list_extra_template: str = ""
    transition_guard: TransitionGuard | None = None
    after_transition: AfterTransition | None = None
    # States in which the item's fields can no longer be edited (a decided change request).
    read_only_states: tuple[str, ...] = ()
    # Person fields whose holder is notified when assigned (the owner, an assignee…).
    notify_fields: tuple[str, ...] = ("owner",)
    # A template included among the list page's buttons (links to register-specific pages).
    list_buttons_template: str = ""
    description: str = ""
    icon: str = field(default="list")
    # The service (registers/services.py) the register belongs to; "" lists it in the
    # project's navigation directly, a key lists it on that service's hub instead.
    service: str = ""
    # A permission that sees every item of the register; without it a person sees only
    # the items they raised or own (a security incident, a support ticket). "" = no limit.
    restricted_to: str = ""
    # Fields only holders of a permission may read or set: (field, permission). A change's
    # cost impact is a cost figure (cost.view); others see every other field of the item.
    guarded: tuple[tuple[str, str], ...] = ()

    def perm(self, verb: str) -> str:
        return f"{self.area}.{verb}"


_REGISTRY: dict[str, RegisterSpec] = {}
# Called with (actor, new item) after an item of a register is created, in its transaction:
# another service deriving its own items (a change impact proposes a training need).
CreatedListener = Callable[[Any, "RegisterItem"], None]
_CREATED: dict[str, list[CreatedListener]] = {}


def when_created(key: str, listener: CreatedListener) -> None:
    """Lets another app act on each new item of a register without the register knowing."""
    listeners = _CREATED.setdefault(key, [])
    if listener not in listeners:
        listeners.append(listener)


def created_listeners(key: str) -> list[CreatedListener]:
    return list(_CREATED.get(key, ()))


# Called with each item of any register after it is created or edited, in its transaction:
# the search index keeps up with the registers without the kernel knowing it.
SavedListener = Callable[["RegisterItem"], object]
_SAVED: list[SavedListener] = []


def when_saved(listener: SavedListener) -> None:
    if listener not in _SAVED:
        _SAVED.append(listener)


def saved_listeners() -> list[SavedListener]:
    return list(_SAVED)


def register(spec: RegisterSpec) -> RegisterSpec:
    if spec.key in _REGISTRY and _REGISTRY[spec.key].model is not spec.model:
        raise ValueError(f"register {spec.key!r} is declared twice")
    _REGISTRY[spec.key] = spec
    spec.model.register_spec = spec
    return spec


def get_spec(key: str) -> RegisterSpec | None:
    return _REGISTRY.get(key)


def all_specs() -> list[RegisterSpec]:
    return list(_REGISTRY.values())


def service_specs(service: str) -> list[RegisterSpec]:
    """The registers of one service; "" gives those listed in the navigation directly."""
    return [s for s in _REGISTRY.values() if s.service == service]
