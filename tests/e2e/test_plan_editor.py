"""A planner in a real browser: change a duration in the grid, see the successor, the project
finish and the critical path move; save a baseline and see the variance."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import Office
from tests.planning.helpers import SIMPLE, build

from .test_issue_workflow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_edit_a_duration_and_compare_with_the_baseline(page, live_server, tmp_path):
    office = Office()
    build(office.pm, office.project, SIMPLE)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan")
    expect(page.locator("#plan-finish")).to_have_text("23 Jan 2026")
    docs = page.locator('tr.plan-row[data-row="3"]')
    expect(docs).not_to_have_class("plan-row critical")

    page.get_by_role("button", name="Save baseline").click()
    expect(page.get_by_role("status")).to_contain_text("Baseline 0")

    # A bad duration is refused at the cell and nothing changes.
    cell = page.get_by_label("Duration of row 3")
    cell.fill("3x")
    cell.press("Enter")
    expect(page.locator(".cell-error")).to_contain_text("not a duration")
    expect(page.locator("#plan-finish")).to_have_text("23 Jan 2026")

    cell = page.get_by_label("Duration of row 3")
    cell.fill("15d")
    cell.press("Enter")
    expect(page.locator("#plan-finish")).to_have_text("30 Jan 2026")
    expect(page.locator('tr.plan-row[data-row="3"]')).to_have_class("plan-row critical")
    expect(page.locator('tr.plan-row[data-row="2"]')).not_to_have_class("plan-row critical")
    expect(page.get_by_label("Finish of row 4")).to_have_value("2026-01-30")
    # The critical bar is drawn red on the chart.
    expect(page.locator('.gantt g[data-row="3"] rect.g-crit')).to_have_count(1)
    page.screenshot(path=str(tmp_path / "plan.png"), full_page=True)

    page.get_by_role("link", name="Baselines & variance").click()
    expect(page.locator('[data-finish-variance="4"]')).to_have_text("5.0")


def test_a_named_calendar_given_to_a_task_from_the_grid(page, live_server):
    office = Office()
    build(office.pm, office.project, SIMPLE)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    page.get_by_role("link", name="Calendars").click()
    page.get_by_role("link", name="New calendar").click()
    page.get_by_label("Name", exact=True).fill("Weekend crew")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(day).fill("")
    page.get_by_label("Saturday").fill("08:00-12:00, 13:00-17:00")
    page.get_by_label("Sunday").fill("08:00-12:00, 13:00-17:00")
    page.get_by_role("button", name="Create calendar").click()
    expect(page.get_by_role("status")).to_contain_text("Weekend crew")
    expect(page.locator("#calendar-list")).to_contain_text("Weekend crew")
    page.get_by_role("link", name="Back to the plan").click()
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-01-12")
    page.get_by_label("Calendar of row 3").select_option(label="Weekend crew")
    # Docs now works on Saturday and Sunday only, right after Design (Friday 9 January).
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-01-10")
    expect(page.get_by_label("Finish of row 3")).to_have_value("2026-01-17")
    expect(page.get_by_label("Calendar of row 3")).to_have_value("2")


def test_a_large_plan_draws_more_rows_as_it_scrolls(page, live_server):
    from projectoffice.planning.views import WINDOW

    office = Office()
    total = WINDOW + 60
    build(office.pm, office.project, [
        {"name": f"Step {k}", "duration": "1d", **({"predecessors": str(k - 1)} if k > 1
                                                   else {})} for k in range(1, total + 1)])
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    expect(page.locator("tr.plan-row")).to_have_count(WINDOW)
    page.locator(".plan-split").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    expect(page.locator("tr.plan-row")).to_have_count(total)
    expect(page.locator(f'.gantt g[data-row="{total}"]')).to_have_count(1)
    # Editing a fetched row keeps every row on the page.
    cell = page.get_by_label(f"Duration of row {total}")
    cell.fill("2d")
    cell.press("Enter")
    expect(page.get_by_label(f"Duration of row {total}")).to_have_value("2d")
    expect(page.locator("tr.plan-row")).to_have_count(total)


def test_the_keyboard_moves_past_the_last_row_drawn(page, live_server):
    from projectoffice.planning.views import WINDOW

    office = Office()
    build(office.pm, office.project, [{"name": f"Step {k}", "duration": "1d"}
                                      for k in range(1, WINDOW + 21)])
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    expect(page.locator("tr.plan-row")).to_have_count(WINDOW)
    last = page.get_by_label(f"Duration of row {WINDOW}")
    last.focus()
    last.press("ArrowDown")
    expect(page.get_by_label(f"Duration of row {WINDOW + 1}")).to_be_focused()
    expect(page.locator("tr.plan-row")).to_have_count(WINDOW + 20)


def test_a_task_added_at_the_end_of_a_large_plan_is_shown_ready_for_its_name(page,
                                                                            live_server):
    from projectoffice.planning.views import WINDOW

    office = Office()
    total = WINDOW + 30
    build(office.pm, office.project, [{"name": f"Step {k}", "duration": "1d"}
                                      for k in range(1, total + 1)])
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    expect(page.locator("tr.plan-row")).to_have_count(WINDOW)
    page.get_by_role("button", name="Add task").click()
    expect(page.locator("tr.plan-row")).to_have_count(total + 1)
    name = page.get_by_label(f"Name of row {total + 1}")
    expect(name).to_be_focused()
    expect(name).to_be_in_viewport()
    name.fill("Hand over")
    name.press("Enter")
    expect(page.get_by_label(f"Name of row {total + 1}")).to_have_value("Hand over")


def test_the_chart_opens_at_the_status_date_zooms_in_place_and_the_grid_resizes(
        page, live_server):
    import datetime as dt

    from projectoffice.planning import actions
    from projectoffice.planning.models import Plan

    office = Office()
    build(office.pm, office.project, [{"name": f"Stage {n}", "duration": "20d",
                                       **({"predecessors": str(n - 1)} if n > 1 else {})}
                                      for n in range(1, 13)])
    plan = Plan.objects.get(project=office.project)
    actions.set_plan_settings(actor=office.pm, project=office.project, version=plan.version,
                              status_date=dt.date(2026, 9, 1))
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/?zoom=day")
    chart = page.locator(".plan-chart")

    def centre() -> str:
        return page.evaluate("""() => {
            const c = document.querySelector('.plan-chart'), s = c.querySelector('svg.gantt');
            const days = (c.scrollLeft + c.clientWidth / 2) / parseFloat(s.dataset.ppd);
            return new Date(Date.parse(s.dataset.origin + 'T00:00:00Z') + days * 864e5)
                .toISOString().slice(0, 10); }""")

    # Opened at the status date: it is in view, a third of the way across.
    assert chart.evaluate("c => c.scrollLeft") > 0
    assert "2026-08-2" in centre() or "2026-09-0" in centre()
    # Zoom without a reload: the page keeps its state and the same date stays in the middle.
    page.evaluate("() => { window.stillHere = true; }")
    before = centre()
    page.get_by_label("Zoom").select_option("month")
    expect(page.locator("svg.gantt")).to_have_attribute("data-ppd", "3.0")
    assert page.evaluate("() => window.stillHere") is True
    assert "zoom=month" in page.url
    # The date in the middle before is still in view (in the middle unless the chart's end
    # stops the scroll).
    first, last = page.evaluate("""() => {
        const c = document.querySelector('.plan-chart'), s = c.querySelector('svg.gantt');
        const day = d => new Date(Date.parse(s.dataset.origin + 'T00:00:00Z')
            + d / parseFloat(s.dataset.ppd) * 864e5).toISOString().slice(0, 10);
        return [day(c.scrollLeft), day(c.scrollLeft + c.clientWidth)]; }""")
    assert first <= before <= last

    # The splitter narrows the grid, by mouse and keyboard, and the width is remembered.
    handle = page.get_by_role("separator", name="Width of the task grid (drag, or use the "
                                               "arrow keys)")
    grid = page.locator("#plan-grid")
    width = grid.evaluate("g => g.offsetWidth")
    box = handle.bounding_box()
    page.mouse.move(box["x"] + 4, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] - 200, box["y"] + 40, steps=5)
    page.mouse.up()
    narrowed = grid.evaluate("g => g.offsetWidth")
    assert width - 210 <= narrowed <= width - 190
    handle.focus()
    handle.press("ArrowRight")
    assert grid.evaluate("g => g.offsetWidth") == narrowed + 24
    page.reload()
    assert page.locator("#plan-grid").evaluate("g => g.offsetWidth") == narrowed + 24


def test_task_information_changes_a_links_type_and_lag(page, live_server):
    office = Office()
    build(office.pm, office.project, SIMPLE)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    page.locator('tr.plan-row[data-row="2"] td.rowid').dblclick()
    dialog = page.get_by_role("dialog", name="Task information · 2 Build")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Predecessor 1")).to_have_value("1")
    dialog.get_by_label("Type of link 1").select_option("SS")
    dialog.get_by_label("Lag of link 1").fill("2d")
    dialog.get_by_label("Duration").fill("4x")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.locator(".errorlist")).to_contain_text("duration")
    dialog.get_by_label("Duration").fill("10d")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Predecessors of row 2")).to_have_value("1SS+2d")
    # Shift+F2 in a cell opens the row's information too.
    page.get_by_label("Duration of row 3").press("Shift+F2")
    expect(page.get_by_role("dialog", name="Task information · 3 Docs")).to_be_visible()


def test_drag_a_bar_to_move_it_and_from_bar_to_bar_to_link(page, live_server):
    from projectoffice.planning.models import PlanTask

    office = Office()
    build(office.pm, office.project, SIMPLE)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/?zoom=week")
    release_before = page.get_by_label("Finish of row 4").input_value()
    docs = page.locator('.plan-chart g[data-row="3"] rect.g-bar')
    box = docs.bounding_box()
    y = box["y"] + box["height"] / 2
    # Three weeks to the right at nine pixels a day.
    page.mouse.move(box["x"] + 3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 3 + 90, y, steps=6)
    page.mouse.move(box["x"] + 3 + 189, y, steps=6)
    page.mouse.up()
    # Docs now finishes after Build: the release, its successor, moves later.
    expect(page.get_by_label("Finish of row 4")).not_to_have_value(release_before)
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-02-02")
    docs_task = PlanTask.objects.get(plan__project=office.project, position=3)
    assert docs_task.constraint == "SNET"
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-01-12")

    # Link Build (row 2) to Docs (row 3) by dragging from one bar down onto the other.
    build_bar = page.locator('.plan-chart g[data-row="2"] rect.g-bar').bounding_box()
    docs_bar = page.locator('.plan-chart g[data-row="3"] rect.g-bar').bounding_box()
    page.mouse.move(build_bar["x"] + 10, build_bar["y"] + 5)
    page.mouse.down()
    page.mouse.move(build_bar["x"] + 12, build_bar["y"] + 20, steps=4)
    page.mouse.move(docs_bar["x"] + docs_bar["width"] / 2, docs_bar["y"] + 5, steps=6)
    page.mouse.up()
    expect(page.get_by_label("Predecessors of row 3")).to_have_value("1, 2")


def test_choose_columns_and_type_progress_a_constraint_and_resources(page, live_server):
    from projectoffice.planning.models import PlanLayout, PlanTask
    from projectoffice.resources import actions as resource_actions
    from projectoffice.resources.models import Assignment

    office = Office()
    build(office.pm, office.project, SIMPLE)
    resource_actions.create_resource(actor=office.pm, project=office.project, name="Dan")
    resource_actions.create_resource(actor=office.pm, project=office.project, name="Omar")
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    expect(page.get_by_role("columnheader", name="Resource names")).to_have_count(0)

    page.get_by_text("Columns ▾").click()
    chooser = page.get_by_role("form", name="Columns of the task grid")
    for label in ("Resource names", "Constraint type", "Constraint date", "WBS"):
        chooser.get_by_label(label).check()
    chooser.get_by_label("Calendar").uncheck()
    chooser.get_by_role("button", name="Show these columns").click()
    expect(page.get_by_role("columnheader", name="Resource names")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Calendar")).to_have_count(0)
    assert "resources" in PlanLayout.objects.get(user=office.pm).columns

    # % complete, typed in place.
    done = page.get_by_label("% complete of row 2")
    done.fill("150")
    done.press("Enter")
    expect(page.locator(".cell-error")).to_contain_text("between 0 and 100")
    done = page.get_by_label("% complete of row 2")
    done.fill("40")
    done.press("Enter")
    # The grid drawn again without the error: the edit is saved.
    expect(page.locator(".cell-error")).to_have_count(0)
    expect(page.get_by_label("% complete of row 2")).to_have_value("40")
    assert PlanTask.objects.get(plan__project=office.project, position=2).percent_complete == 40

    # A constraint: its type, then its date; the task moves to it.
    page.get_by_label("Constraint type of row 3").select_option("SNET")
    # Saved: the constraint takes the task's scheduled start as its date.
    expect(page.get_by_label("Constraint date of row 3")).to_have_value("2026-01-12")
    when = page.get_by_label("Constraint date of row 3")
    when.fill("2026-01-19")
    when.press("Enter")
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-01-19")

    # Resources typed as MS Project writes them; a name the project lacks is refused.
    names = page.get_by_label("Resource names of row 2")
    names.fill("Dan[50%], Nobody")
    names.press("Enter")
    expect(page.locator(".cell-error")).to_contain_text("no resource 'Nobody'")
    assert not Assignment.objects.filter(project=office.project).exists()
    names = page.get_by_label("Resource names of row 2")
    names.fill("dan[50%], Omar")
    names.press("Enter")
    expect(page.get_by_label("Resource names of row 2")).to_have_value("Dan[50%], Omar")
    units = dict(Assignment.objects.filter(project=office.project)
                 .values_list("resource__name", "units"))
    assert units == {"Dan": 50, "Omar": 100}
    expect(page.locator('tr.plan-row[data-row="3"] td.wbs')).to_have_text("3")

    # The columns and the grid's width follow the person: kept on the server.
    handle = page.get_by_role("separator", name="Width of the task grid (drag, or use the "
                                               "arrow keys)")
    handle.focus()
    handle.press("ArrowLeft")
    width = page.locator("#plan-grid").evaluate("g => g.offsetWidth")
    for _ in range(50):
        if PlanLayout.objects.get(user=office.pm).grid_width == width:
            break
        page.wait_for_timeout(100)
    assert PlanLayout.objects.get(user=office.pm).grid_width == width
    page.evaluate("() => localStorage.clear()")
    page.reload()
    expect(page.get_by_role("columnheader", name="Resource names")).to_be_visible()
    assert page.locator("#plan-grid").evaluate("g => g.offsetWidth") == width


def test_drag_a_bars_end_to_change_its_duration(page, live_server):
    office = Office()
    build(office.pm, office.project, SIMPLE)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/?zoom=day")
    expect(page.get_by_label("Duration of row 3")).to_have_value("3d")
    docs = page.locator('.plan-chart g[data-row="3"] rect.g-bar')
    # The chart opens at today, far from this January plan: bring the bar into view.
    page.locator(".plan-chart").evaluate(
        "(c, x) => { c.scrollLeft = x - 200; }", float(docs.get_attribute("x")))
    bar = docs.bounding_box()
    x, y = bar["x"] + bar["width"] - 2, bar["y"] + bar["height"] / 2
    # Docs ends on Wednesday 14 January; its end dragged two days on, to Friday.
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y, steps=4)
    page.mouse.move(x + 60, y, steps=4)
    page.mouse.up()
    expect(page.get_by_label("Duration of row 3")).to_have_value("5d")
    expect(page.get_by_label("Finish of row 3")).to_have_value("2026-01-16")
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-01-12")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_label("Duration of row 3")).to_have_value("3d")


# Every cell post waits 600 ms in the browser before it is sent: the next edit is made while
# the previous one is still saving, whatever the speed of the machine.
SLOW_CELL_POSTS = """(() => {
  const send = window.fetch;
  window.cellPosts = 0;
  window.fetch = (url, options) => {
    if (options && options.method === 'POST' && String(url).includes('/plan/cell/')) {
      window.cellPosts += 1;
      return new Promise(done => setTimeout(done, 600)).then(() => send(url, options));
    }
    return send(url, options);
  };
})();"""


def test_an_edit_made_while_the_previous_one_saves_is_queued_not_dropped(page, live_server):
    from projectoffice.planning.models import PlanTask

    office = Office()
    build(office.pm, office.project, SIMPLE)
    page.add_init_script(SLOW_CELL_POSTS)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    build_days = page.get_by_label("Duration of row 2")
    build_days.fill("12d")
    build_days.press("Enter")
    # The first edit is still on its way…
    expect(page.locator("#plan-workspace")).to_have_attribute("aria-busy", "true")
    docs_days = page.get_by_label("Duration of row 3")
    docs_days.fill("4d")
    docs_days.press("Enter")
    assert page.locator("#plan-workspace").get_attribute("aria-busy") == "true"
    # …and both land, one after the other.
    expect(page.get_by_label("Duration of row 3")).to_have_value("4d")
    expect(page.get_by_label("Duration of row 2")).to_have_value("12d")
    expect(page.locator("#plan-workspace")).not_to_have_attribute("aria-busy", "true")
    assert page.evaluate("() => window.cellPosts") == 2
    durations = dict(PlanTask.objects.filter(plan__project=office.project)
                     .values_list("name", "duration"))
    assert durations["Build"] == 12 * 480 and durations["Docs"] == 4 * 480
    # The focus went on from the last cell edited.
    expect(page.get_by_label("Duration of row 4")).to_be_focused()


def test_bars_move_and_link_from_the_keyboard(page, live_server):
    from projectoffice.planning.models import PlanTask

    office = Office()
    build(office.pm, office.project, SIMPLE)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    # The shortcuts are listed on the page.
    page.get_by_text("Keyboard shortcuts").click()
    keys = page.locator("#plan-keys")
    expect(keys).to_contain_text("move the row's bar a day earlier (later)")
    expect(keys).to_contain_text("link the row above to this row")

    # Docs (row 3) starts on Monday 12 January: Alt+→ twice moves its bar two days on, with
    # a Start No Earlier Than as a drag sets; each press is its own edit.
    start = page.get_by_label("Start of row 3")
    expect(start).to_have_value("2026-01-12")
    page.get_by_label("Duration of row 3").focus()
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Alt+ArrowRight")
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-01-14")
    docs = PlanTask.objects.get(plan__project=office.project, position=3)
    assert (docs.constraint, docs.constraint_date.date().isoformat()) == ("SNET", "2026-01-14")
    expect(page.get_by_label("Duration of row 3")).to_be_focused()
    page.keyboard.press("Alt+ArrowLeft")
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-01-13")
    # The page is still the plan: Alt+← did not go back in the browser's history.
    assert page.url.endswith("/projects/MTX/plan/")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_label("Start of row 3")).to_have_value("2026-01-14")

    # Ctrl+F2 links the row above (Build, 2) to Docs, finish-to-start: Docs follows Build.
    build_finish = page.get_by_label("Finish of row 2").input_value()
    page.get_by_label("Duration of row 3").focus()
    page.keyboard.press("Control+F2")
    expect(page.get_by_label("Predecessors of row 3")).to_have_value("1, 2")
    assert page.get_by_label("Start of row 3").input_value() > build_finish
    # Ctrl+Shift+F2 removes Docs' links.
    page.get_by_label("Duration of row 3").focus()
    page.keyboard.press("Control+Shift+F2")
    expect(page.get_by_label("Predecessors of row 3")).to_have_value("")
    expect(page.get_by_role("dialog")).to_have_count(0)  # not Shift+F2's task information

    # The splitter: Home makes the grid narrowest, End shows every column.
    handle = page.get_by_role("separator", name="Width of the task grid (drag, or use the "
                                               "arrow keys)")
    grid = page.locator("#plan-grid")
    handle.focus()
    handle.press("Home")
    assert grid.evaluate("g => g.offsetWidth") == 120
    handle.press("End")
    widest = grid.evaluate("g => g.offsetWidth")
    assert widest > 400
    # Kept for the person (the request is sent once the keys stop).
    from projectoffice.planning.models import PlanLayout

    for _ in range(50):
        layout = PlanLayout.objects.filter(user=office.pm).first()
        if layout and layout.grid_width == widest:
            break
        page.wait_for_timeout(100)
    assert layout and layout.grid_width == widest


def test_columns_are_reordered_in_the_chooser_and_kept_for_the_person(page, live_server):
    from projectoffice.planning.models import PlanLayout

    office = Office()
    build(office.pm, office.project, SIMPLE)
    sign_in(page, live_server, "project_manager")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    page.get_by_text("Columns ▾").click()
    chooser = page.get_by_role("form", name="Columns of the task grid")

    def column(key: str):  # type: ignore[no-untyped-def]
        return chooser.locator(f'li.column-choice[data-key="{key}"]')

    # The grid shows Task mode, Duration, Start, Finish, …: Finish up twice, Task mode down.
    column("finish").get_by_role("button", name="Move up").click()
    column("finish").get_by_role("button", name="Move up").click()
    expect(column("finish").get_by_role("button", name="Move up")).to_be_focused()
    column("mode").get_by_role("button", name="Move down").click()
    chooser.get_by_role("button", name="Show these columns").click()
    headers = page.locator(".plan-table thead th")
    expect(headers.nth(2)).to_have_text("Finish")
    expect(headers.nth(3)).to_have_text("Task mode")
    expect(headers.nth(4)).to_have_text("Duration")
    expect(headers.nth(5)).to_have_text("Start")
    assert PlanLayout.objects.get(user=office.pm).columns[:4] == [
        "finish", "mode", "duration", "start"]
    # The cells follow their headers, and the chooser opens in the person's order.
    expect(page.locator('tr.plan-row[data-row="3"] td').nth(2).locator("input")).to_have_attribute(
        "aria-label", "Finish of row 3")
    page.get_by_text("Columns ▾").click()
    expect(page.locator("li.column-choice").first).to_have_attribute("data-key", "finish")


def test_a_planner_without_resource_management_sees_resource_names_read_only(page,
                                                                             live_server):
    from projectoffice.planning import actions
    from projectoffice.resources import actions as resource_actions

    office = Office()
    build(office.pm, office.project, SIMPLE)
    dan = resource_actions.create_resource(actor=office.pm, project=office.project, name="Dan")
    resource_actions.assign_resource(actor=office.pm, project=office.project,
                                     resource_id=dan.pk, task_uid=2)
    planner = office.members["planner"]
    actions.save_plan_layout(actor=planner, columns=["duration", "resources", "start"])
    sign_in(page, live_server, "planner")
    page.goto(f"{live_server.url}/projects/MTX/plan/")
    # The planner edits durations, but assigning needs resource.manage, as in the API.
    expect(page.get_by_label("Duration of row 2")).to_be_editable()
    expect(page.get_by_label("Resource names of row 2")).to_have_count(0)
    expect(page.locator('tr.plan-row[data-row="2"] td.res')).to_have_text("Dan")
    page.get_by_text("Columns ▾").click()
    expect(page.locator('li.column-choice[data-key="resources"]')).to_contain_text("(read-only)")
