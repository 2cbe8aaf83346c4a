"""Our scheduler against MPXJ's MicrosoftScheduler on random plans, date for date.

Each plan is written as MSPDI, read back by us and by MPXJ, and scheduled by both.  The cases
where MS Project and MPXJ are known to disagree are kept out of the plans or out of the
comparison (see random_networks.py, oracle_compare.py and docs/scheduling.md).
"""

from pathlib import Path

import pytest

from projectoffice.engine.cpm import schedule
from projectoffice.formats.mspdi import MspdiPlan, read_mspdi, write_mspdi

from .mpxj_oracle import mpxj_oracle
from .oracle_compare import compare
from .random_networks import random_plan

pytestmark = pytest.mark.oracle

SEEDS = range(60)


def test_random_plans_agree_with_mpxj(tmp_path: Path) -> None:
    oracle = mpxj_oracle()
    compared = 0
    differences: list[str] = []
    for seed in SEEDS:
        fields, found = compare(random_plan(seed), oracle, tmp_path, f"plan{seed}")
        compared += fields
        differences += found
    assert compared > 10_000
    assert differences == [], "\n".join(differences[:30])


def test_random_plans_with_progress_agree_with_mpxj(tmp_path: Path) -> None:
    oracle = mpxj_oracle()
    differences: list[str] = []
    for seed in range(1000, 1030):
        _, found = compare(random_plan(seed, progress=True), oracle, tmp_path, f"plan{seed}")
        differences += found
    assert differences == [], "\n".join(differences[:30])


def test_a_file_we_write_reschedules_to_the_same_dates_in_mpxj(tmp_path: Path) -> None:
    oracle = mpxj_oracle()
    plan = MspdiPlan(random_plan(7))
    result = schedule(plan.project)
    path = tmp_path / "scheduled.xml"
    path.write_bytes(write_mspdi(plan, result))
    theirs = oracle.schedule_file(path)
    mine = schedule(read_mspdi(str(path)).project)
    assert mine.tasks == result.tasks
    for task in result.tasks:
        other = theirs[task.uid]
        if plan.project.tasks[[t.uid for t in plan.project.tasks].index(task.uid)].elapsed:
            continue
        assert (task.early_start, task.early_finish) == (other.early_start, other.early_finish)


def test_mpxj_reads_our_dates_as_written(tmp_path: Path) -> None:
    oracle = mpxj_oracle()
    plan = MspdiPlan(random_plan(3))
    result = schedule(plan.project)
    path = tmp_path / "scheduled.xml"
    path.write_bytes(write_mspdi(plan, result))
    project = oracle.read(path)
    starts = {int(t.getUniqueID()): str(t.getStart().toString()) for t in project.getTasks()}
    for task in result.tasks:
        assert starts[task.uid][:16] == task.start.isoformat()[:16]
