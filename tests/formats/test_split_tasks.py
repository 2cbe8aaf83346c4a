"""Split tasks: a task under way whose work stopped and resumes later keeps the gap, as the
Stop and Resume MS Project saved say."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.mspdi_corpus import compare_file, default_corpus
from projectoffice.engine.cpm import schedule
from projectoffice.formats.mspdi import read_mspdi

D = datetime
NAME = "assignment-assignments-project2003-mspdi.xml"


def corpus_file() -> Path:
    path = default_corpus() / NAME
    if not path.is_file():
        pytest.skip(f"corpus file {NAME} is absent")
    return path


def test_in_progress_tasks_resume_where_ms_project_saved() -> None:
    plan = read_mspdi(str(corpus_file()))
    resumed = {t.uid: t.resume for t in plan.project.tasks if t.resume is not None}
    assert resumed == {2: D(2016, 1, 6, 13), 3: D(2016, 1, 11, 8)}
    result = schedule(plan.project)
    for uid in (2, 3):
        assert (result.task(uid).start, result.task(uid).finish) == (
            D(2016, 1, 4, 8), D(2016, 1, 15, 17))  # as saved
    assert compare_file(corpus_file()).share("start_finish") == 1.0


def test_a_split_moves_the_rest_of_the_work_by_the_gap(tmp_path: Path) -> None:
    data = corpus_file().read_text(encoding="utf-8")
    # Task 3 half done by Friday 8 January; split for a week: work resumes on 18 January.
    split = data.replace("<Resume>2016-01-11T08:00:00</Resume>",
                         "<Resume>2016-01-18T08:00:00</Resume>", 1)
    assert split != data
    plan = read_mspdi(split.encode())
    task = schedule(plan.project).task(3)
    assert (task.start, task.finish) == (D(2016, 1, 4, 8), D(2016, 1, 22, 17))
