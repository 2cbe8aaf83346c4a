"""Resources and assignments: many at once, all-or-nothing; rates by effective date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.errors import InvalidInput
from projectoffice.resources import actions
from projectoffice.resources.models import Assignment
from projectoffice.resources.queries import rate_on
from tests.timesheets.helpers import cost_loaded


def test_assign_many_is_all_or_nothing(office: Any) -> None:
    world = cost_loaded(office)
    person = world["person"]
    with pytest.raises(InvalidInput) as exc:
        actions.assign_resources(actor=office.pm, project=office.project, rows=[
            {"resource_id": person.pk, "task_uid": 1, "work": 8},
            {"resource_id": 999, "task_uid": 2}, {"resource_id": person.pk, "task_uid": 77}])
    assert set(exc.value.errors) == {"rows.0.resource_id", "rows.1.resource_id",
                                     "rows.2.task_uid"}
    assert Assignment.objects.count() == 2
    crane = actions.create_resource(actor=office.pm, project=office.project, name="Crane",
                                    kind="work")
    made = actions.assign_resources(actor=office.pm, project=office.project, rows=[
        {"resource_id": crane.pk, "task_uid": 1, "work": 8},
        {"resource_id": crane.pk, "task_uid": 2, "work": 16}])
    assert [a.task_uid for a in made] == [1, 2]


def test_rate_in_force_and_one_user_per_resource(office: Any) -> None:
    world = cost_loaded(office)
    rates = list(world["person"].rates.all())
    assert rate_on(rates, dt.date(2026, 1, 7)).standard == Decimal(50)  # type: ignore[union-attr]
    assert rate_on(rates, dt.date(2026, 1, 8)).standard == Decimal(60)  # type: ignore[union-attr]
    assert rate_on(rates, dt.date(2024, 12, 31)) is None
    with pytest.raises(InvalidInput) as exc:
        actions.create_resource(actor=office.pm, project=office.project, name="Again",
                                user=world["member"])
    assert "user" in exc.value.errors
