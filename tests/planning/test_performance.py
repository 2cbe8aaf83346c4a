"""What keeps large plans fast: an edit writes only what changed and keeps a small undo
state, reads are a fixed number of queries whatever the size, and the master schedule
shares the plans' calendars."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projectoffice.planning import actions
from projectoffice.planning import workspace as wsp
from projectoffice.planning.consolidation import build_master, master_out
from projectoffice.planning.models import Plan, PlanTask
from tests.conftest import PASSWORD

from .helpers import SIMPLE, build, task


def chain(n: int, prefix: str = "Step") -> list[dict[str, object]]:
    return [{"name": f"{prefix} {k}", "duration": "1d",
             **({"predecessors": str(k - 1)} if k > 1 else {})} for k in range(1, n + 1)]


def test_an_edit_writes_only_the_rows_that_changed(office) -> None:
    plan = build(office.pm, office.project, chain(40))
    ws = wsp.load(plan)
    ws.tasks[39].name = "Renamed last step"  # moves no date
    assert wsp.save(ws, wsp.schedule(ws)) == {"created": 0, "updated": 1, "deleted": 0}
    last_start, ninth = task(office.project, 40).start, task(office.project, 9).finish
    ws = wsp.load(Plan.objects.get(pk=plan.pk))
    ws.tasks[9].duration = 3 * 480  # steps 10..40 move
    counts = wsp.save(ws, wsp.schedule(ws))
    assert counts["updated"] == 31
    assert task(office.project, 40).start - last_start >= dt.timedelta(days=2)
    assert task(office.project, 9).finish == ninth
    # Stored rows equal what a fresh load and schedule say.
    fresh = wsp.load(Plan.objects.get(pk=plan.pk))
    assert wsp.save(fresh, wsp.schedule(fresh))["updated"] == 0


def test_undo_keeps_only_the_inverse_of_the_edit(office) -> None:
    plan = build(office.pm, office.project, chain(60))
    before = [(t.uid, t.name, t.duration, t.finish) for t in PlanTask.objects.filter(plan=plan)]
    plan = actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                             edits=[{"uid": 5, "duration": "4d"}])
    assert [t["uid"] for t in plan.undo_state["tasks"]] == [5]
    assert plan.undo_state["links"] is None and len(plan.undo_state["order"]) == 60
    plan = actions.undo_plan_edit(actor=office.pm, project=office.project,
                                  version=plan.version)
    assert [(t.uid, t.name, t.duration, t.finish)
            for t in PlanTask.objects.filter(plan=plan)] == before
    # Deleting a task with its links, inserting another, then undoing.
    plan = actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                             edits=[{"op": "delete", "uid": 10},
                                    {"op": "insert", "before": 3, "name": "Extra"}])
    assert plan.tasks.count() == 60 and plan.tasks.filter(name="Extra").exists()
    assert len(plan.undo_state["tasks"]) < 60
    plan = actions.undo_plan_edit(actor=office.pm, project=office.project,
                                  version=plan.version)
    assert [(t.uid, t.name, t.duration, t.finish)
            for t in PlanTask.objects.filter(plan=plan)] == before
    assert plan.links.count() == 59


def test_plan_page_queries_do_not_grow_with_the_plan(office) -> None:
    client = Client()
    assert client.login(username=office.pm.username, password=PASSWORD)
    build(office.pm, office.project, chain(5))
    with CaptureQueriesContext(connection) as small:
        assert client.get("/projects/MTX/plan/").status_code == 200
    plan = Plan.objects.get(project=office.project)
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"op": "insert", **row} for row in chain(120, "More")])
    with CaptureQueriesContext(connection) as large:
        page = client.get("/projects/MTX/plan/")
    assert "More 120" in page.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_master_schedule_loads_many_plans_in_fixed_queries_and_shares_calendars(
        office) -> None:
    build(office.pm, office.project, SIMPLE)
    build(office.pmo, office.other, [
        {"name": "Integrate", "duration": "5d", "predecessors": "MTX:4FS+1d"},
        {"name": "Live", "duration": "0d", "predecessors": "1"}])
    plans = list(Plan.objects.select_related("project").order_by("project__code"))
    with CaptureQueriesContext(connection) as two:
        master = build_master(plans)
    assert len(master.network.calendars) == 1  # both plans use the standard calendar
    summary = master_out(master)
    assert summary["finish"] == task(office.other, 2).finish
    assert len(two.captured_queries) <= 5
    # A plan with a calendar of its own keeps it in the master schedule.
    week = [[[480, 720], [780, 1020]]] * 4 + [[], [], []]  # no Fridays
    plan = Plan.objects.get(project=office.other)
    actions.save_calendar(actor=office.pmo, project=office.other, version=plan.version,
                          uid=2, name="Four days", week=week, exceptions=[])
    plan = Plan.objects.get(project=office.other)
    actions.edit_plan(actor=office.pmo, project=office.other, version=plan.version,
                      edits=[{"uid": 1, "calendar_uid": 2}])
    plans = list(Plan.objects.select_related("project").order_by("project__code"))
    master = build_master(plans)
    assert len(master.network.calendars) == 2
    assert master_out(master)["finish"] == task(office.other, 2).finish


def test_large_plan_page_draws_a_window_and_fetches_the_rest(office) -> None:
    from projectoffice.planning.views import WINDOW

    client = Client()
    assert client.login(username=office.pm.username, password=PASSWORD)
    build(office.pm, office.project, chain(WINDOW + 60))
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/projects/MTX/plan/").content.decode()
    assert page.count('<tr class="plan-row') == WINDOW
    assert f'data-rendered="{WINDOW}"' in page and f'data-total="{WINDOW + 60}"' in page
    assert page.count('<g data-row="') == WINDOW
    # The chart is sized for every row, so the scroll bar shows the whole plan.
    assert f'height="{44 + 26 * (WINDOW + 60) + 4}"' in page
    assert len(ctx.captured_queries) < 20
    more = client.get(f"/projects/MTX/plan/rows/?start={WINDOW}&count=100").json()
    assert (more["start"], more["stop"], more["total"]) == (WINDOW, WINDOW + 60, WINDOW + 60)
    assert more["grid"].count('<tr class="plan-row') == 60
    assert f'data-row="{WINDOW + 60}"' in more["grid"]
    assert more["svg"].startswith(f'<g class="g-rows" data-start="{WINDOW}"')
    assert more["svg"].count('<g data-row="') == 60
    # The link from the last row drawn with the page to the first fetched one is drawn
    # with the fetched window, once.
    first = client.get("/projects/MTX/plan/").content.decode()
    links_first = first.count('class="g-link')
    assert links_first == WINDOW - 1 and more["svg"].count('class="g-link') == 60
    # An edit keeps as many rows drawn as the page had.
    plan = Plan.objects.get(project=office.project)
    edited = client.post("/projects/MTX/plan/cell/", {
        "uid": 1, "field": "name", "value": "First", "version": plan.version,
        "rows": WINDOW + 60}).content.decode()
    assert edited.count('<tr class="plan-row') == WINDOW + 60
    assert client.get("/projects/MTX/plan/rows/?start=x&count=1").status_code == 422
