"""Manually scheduled and inactive tasks in a stored plan: edited, scheduled, imported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks.mspdi_corpus import default_corpus
from projectoffice.formats.mspdi import read_mspdi
from projectoffice.planning import actions, gantt, queries
from projectoffice.planning.exchange import export_mspdi, import_mspdi
from projectoffice.planning.models import PlanTask

from .helpers import SIMPLE, build, task

D = dt.datetime


def edit(office, **change) -> None:
    plan = queries.get_plan(office.project)
    actions.edit_plan(actor=office.pm, project=office.project, version=plan.version,
                      edits=[{"op": "update", **change}])


def test_a_task_made_manual_stays_put_and_is_flagged_when_its_predecessor_grows(office) -> None:
    build(office.pm, office.project, SIMPLE)
    edit(office, uid=2, mode="manual")
    build_ = task(office.project, 2)
    assert build_.manual and build_.manual_start == D(2026, 1, 12, 8)
    assert build_.start == D(2026, 1, 12, 8) and not build_.links_violated
    edit(office, uid=1, duration="8d")  # Design now ends on the 14th
    build_ = task(office.project, 2)
    assert (build_.start, build_.finish) == (D(2026, 1, 12, 8), D(2026, 1, 23, 17))
    assert build_.links_violated
    # Its successor still follows it (and the longer Docs path).
    assert task(office.project, 4).finish == D(2026, 1, 23, 17)
    # Moving it in the grid moves the manual task itself, not a constraint.
    edit(office, uid=2, start="2026-01-15")
    build_ = task(office.project, 2)
    assert build_.start == D(2026, 1, 15, 8) and build_.constraint == "ASAP"
    assert not build_.links_violated
    edit(office, uid=2, mode="auto")
    assert not task(office.project, 2).manual


def test_an_inactive_task_is_kept_and_ignored(office) -> None:
    build(office.pm, office.project, SIMPLE)
    edit(office, uid=2, mode="inactive")
    build_, release = task(office.project, 2), task(office.project, 4)
    assert not build_.active and not build_.critical
    # Release now only waits for Docs (three days after Design).
    assert release.finish == D(2026, 1, 14, 17)
    plan = queries.get_plan(office.project)
    assert plan.finish == D(2026, 1, 14, 17)
    rows = queries.plan_view(office.project).rows
    html = gantt.render_rows(rows, True, [])
    assert 'class="plan-row inactive"' in html
    assert '<option value="inactive" selected>' in html


def test_bad_mode_is_refused_at_the_cell(office) -> None:
    build(office.pm, office.project, SIMPLE)
    with pytest.raises(Exception, match="auto, manual or inactive"):
        edit(office, uid=2, mode="sometimes")


def test_a_real_file_with_manual_tasks_imports_with_ms_projects_dates(office) -> None:
    path = default_corpus() / "assignment-assignments-project2010-mspdi.xml"
    if not path.is_file():
        pytest.skip("corpus absent")
    data = Path(path).read_bytes()
    import_mspdi(actor=office.pm, project=office.project, data=data)
    rows = {t.uid: t for t in PlanTask.objects.filter(plan__project=office.project)}
    for uid in (1, 2, 3):
        assert rows[uid].manual
        assert (rows[uid].start, rows[uid].finish) == (D(2016, 1, 4, 8), D(2016, 1, 15, 17))
        assert rows[uid].critical
    again = read_mspdi(export_mspdi(office.project)).project
    assert all(t.manual and t.manual_start == D(2016, 1, 4, 8) for t in again.tasks)


def test_actual_duration_is_kept_on_import_so_in_progress_tasks_finish_as_saved(office) -> None:
    path = default_corpus() / "assignment-assignments-project2003-mspdi.xml"
    if not path.is_file():
        pytest.skip("corpus absent")
    data = path.read_bytes()
    # A third done: 26h40m of 80h, which 33% of the duration would put 16 minutes short.
    data = data.replace(
        b"<PercentComplete>25</PercentComplete>", b"<PercentComplete>33</PercentComplete>")
    data = data.replace(b"<ActualDuration>PT20H0M0S</ActualDuration>",
                        b"<ActualDuration>PT26H40M0S</ActualDuration>")
    data = data.replace(b"<RemainingDuration>PT60H0M0S</RemainingDuration>",
                        b"<RemainingDuration>PT53H20M0S</RemainingDuration>")
    import_mspdi(actor=office.pm, project=office.project, data=data)
    rows = list(PlanTask.objects.filter(plan__project=office.project, summary=False))
    assert any(r.actual_duration == 1600 for r in rows)
    for row in rows:
        assert (row.start, row.finish) == (D(2016, 1, 4, 8), D(2016, 1, 15, 17)), row.uid


def test_a_split_in_progress_task_keeps_its_resume_through_import_and_export(office) -> None:
    path = default_corpus() / "assignment-assignments-project2003-mspdi.xml"
    if not path.is_file():
        pytest.skip("corpus absent")
    # Task 3, half done by Friday 8 January, split for a week: its work resumes on the 18th.
    data = path.read_bytes().replace(b"<Resume>2016-01-11T08:00:00</Resume>",
                                     b"<Resume>2016-01-18T08:00:00</Resume>", 1)
    import_mspdi(actor=office.pm, project=office.project, data=data)
    row = PlanTask.objects.get(plan__project=office.project, uid=3)
    assert row.resume == D(2016, 1, 18, 8)
    assert (row.start, row.finish) == (D(2016, 1, 4, 8), D(2016, 1, 22, 17))
    again = read_mspdi(export_mspdi(office.project)).project
    resumed = {t.uid: t.resume for t in again.tasks if t.resume is not None}
    assert resumed == {2: D(2016, 1, 6, 13), 3: D(2016, 1, 18, 8)}
