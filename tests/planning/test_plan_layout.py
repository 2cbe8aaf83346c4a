"""A person's grid: columns in their order, Resource names as their permissions allow, and
the grid drawn after an edit from the rows just saved, the same as read back."""

from __future__ import annotations

import pytest

from projectoffice.errors import InvalidInput
from projectoffice.planning import actions, columns, queries, workspace
from projectoffice.planning.models import PlanLayout
from projectoffice.resources import actions as resource_actions

from .helpers import SIMPLE, build
from .test_views import client_for


def test_columns_are_kept_in_the_order_chosen(office) -> None:
    layout = actions.save_plan_layout(actor=office.pm,
                                      columns=["finish", "duration", "finish", "notes"])
    assert layout.columns == ["finish", "duration", "notes"]
    assert [c.key for c in columns.chosen(layout.columns)] == ["finish", "duration", "notes"]
    # The chooser offers the person's columns first, in their order, then the others.
    offered = [c.key for c in columns.offered(layout.columns, {"resource.manage"})]
    assert offered[:3] == ["finish", "duration", "notes"]
    assert sorted(offered) == sorted(columns.COLUMNS)
    with pytest.raises(InvalidInput) as refused:
        actions.save_plan_layout(actor=office.pm, columns=["finish", "colour"])
    assert "colour" in refused.value.message
    assert PlanLayout.objects.get(user=office.pm).columns == ["finish", "duration", "notes"]
    # None chosen: the standard set, in the standard order.
    assert [c.key for c in columns.chosen([])][:3] == ["mode", "duration", "start"]


def test_the_form_saves_the_order_it_sends(office) -> None:
    build(office.pm, office.project, SIMPLE)
    client = client_for(office.pm)
    response = client.post("/projects/MTX/plan/layout/", {
        "what": "columns", "columns": ["start", "mode", "duration"]})
    assert response.status_code == 302
    page = client.get("/projects/MTX/plan/").content.decode()
    assert (page.index('class="col-start"') < page.index('class="col-mode"')
            < page.index('class="col-duration"'))


def test_resource_names_are_read_only_without_resource_manage(office) -> None:
    build(office.pm, office.project, SIMPLE)
    dan = resource_actions.create_resource(actor=office.pm, project=office.project, name="Dan")
    resource_actions.assign_resource(actor=office.pm, project=office.project,
                                     resource_id=dan.pk, task_uid=2)
    planner = office.members["planner"]
    for person in (planner, office.pm):
        actions.save_plan_layout(actor=person, columns=["duration", "resources"])
    shown = client_for(planner).get("/projects/MTX/plan/").content.decode()
    # The planner edits durations but sees who is assigned as text, as the API allows.
    assert 'aria-label="Duration of row 2"' in shown
    assert 'aria-label="Resource names of row 2"' not in shown
    assert '<td class="res">Dan</td>' in shown
    managed = client_for(office.pm).get("/projects/MTX/plan/").content.decode()
    assert 'aria-label="Resource names of row 2"' in managed
    # And the server refuses the change, whatever the page shows.
    refused = client_for(planner).post("/projects/MTX/plan/cell/", {
        "uid": 3, "field": "resources", "value": "Dan", "version": 1})
    assert refused.status_code == 403


def test_the_grid_after_an_edit_is_the_plan_read_back(office) -> None:
    build(office.pm, office.project, SIMPLE)
    plan = queries.get_plan(office.project)
    assert plan is not None
    with workspace.reuse_saved():
        actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                          edits=[{"op": "insert", "before": 3, "name": "Test",
                                  "duration": "2d", "predecessors": "2"},
                                 {"uid": 2, "duration": "7d"}])
        drawn = queries.plan_view(office.project)
        assert workspace.saved(drawn.plan) is not None  # drawn from the rows just saved
    read = queries.plan_view(office.project)
    keys = set(queries.ROW_FIELDS) | {"id", "predecessors_text", "duration_text"}
    assert ([{k: r[k] for k in keys} for r in drawn.rows]
            == [{k: r[k] for k in keys} for r in read.rows])
    assert drawn.links == read.links
    # Outside the block, or at another version, nothing is reused.
    assert workspace.saved(read.plan) is None
