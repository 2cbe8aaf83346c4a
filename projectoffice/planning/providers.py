"""What the plan pages and files show that apps built on plans know — the planned cost of
each task, the resources and assignments in an MS Project file.  Planning never imports
those apps (they import planning); each registers its part here when it starts
(``AppConfig.ready``), and without it planning shows no costs and writes no resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from projectoffice.accounts.models import User
from projectoffice.formats import mspdi
from projectoffice.portfolio.models import Project

# The planned cost of each task's assignments by task UID (tasks without any left out).
TaskCosts = Callable[[Project], dict[int, Decimal]]
# The project's resources and the assignments of the tasks ``uids`` for an MSPDI file;
# without costs (False) the resources carry no rates.
ResourcesOut = Callable[[Project, set[int], bool],
                        tuple[tuple[mspdi.Resource, ...], tuple[mspdi.Assignment, ...]]]
# Takes the resources and assignments of an imported MSPDI file, in the import's
# transaction, when the importer may manage the project's resources.
ResourcesIn = Callable[[User, Project, mspdi.MspdiPlan, bool], None]
# Each task's resource names as MS Project's column writes them (``Dan[50%], Omar``).
ResourceNames = Callable[[Project], dict[int, str]]
# Hours of work assigned on each task.
TaskWork = Callable[[Project], dict[int, Decimal]]
# Replaces a task's assignments by the resources the text names (the grid's column).
SetResourceNames = Callable[[User, Project, int, str], None]


def _no_costs(project: Project) -> dict[int, Decimal]:
    return {}


def _no_resources(project: Project, uids: set[int], costs: bool
                  ) -> tuple[tuple[mspdi.Resource, ...], tuple[mspdi.Assignment, ...]]:
    return (), ()


def _ignore(actor: User, project: Project, plan: mspdi.MspdiPlan, keep_recorded: bool) -> None:
    return None


def _no_names(project: Project) -> dict[int, str]:
    return {}


def _no_work(project: Project) -> dict[int, Decimal]:
    return {}


def _cannot_assign(actor: User, project: Project, uid: int, text: str) -> None:
    raise ValueError("resources cannot be assigned here")


@dataclass
class Providers:
    task_costs: TaskCosts = _no_costs
    resources_out: ResourcesOut = _no_resources
    resources_in: ResourcesIn = _ignore
    resource_names: ResourceNames = _no_names
    task_work: TaskWork = _no_work
    set_resource_names: SetResourceNames = _cannot_assign
    # The permission that lets an importer bring in the file's resources.
    resources_permission: str = "resource.manage"


providers = Providers()


def provide(**given: Callable[..., object]) -> None:
    """Registers the functions given by name (the fields of ``Providers``)."""
    for name, function in given.items():
        if name not in Providers.__dataclass_fields__:
            raise TypeError(f"planning has no provider {name!r}")
        setattr(providers, name, function)
