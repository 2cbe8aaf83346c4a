"""The real MS Project files of the corpus: every file schedules, and our dates agree with the
ones MS Project saved at least as often as recorded here (raise the floors as fidelity grows).

The corpus lives outside the repository (``$PMO_MSPDI_CORPUS`` or ``../shared/data/ms-project``);
without it these tests are skipped.
"""

from __future__ import annotations

import pytest

from benchmarks.mspdi_corpus import MEASURES, CorpusResult, default_corpus, run_corpus

# The share of non-summary tasks whose value equals the one MS Project saved.
FLOORS = {
    "start_finish": 1.0,
    "early_start": 1.0,
    "late_finish": 1.0,
    "total_slack": 1.0,
    "critical": 1.0,
}

_result: CorpusResult | None = None


def corpus() -> CorpusResult:
    global _result
    directory = default_corpus()
    if not directory.is_dir() or not any(directory.glob("*.xml")):
        pytest.skip(f"no MSPDI corpus at {directory}")
    if _result is None:
        _result = run_corpus(directory)
    return _result


def test_every_corpus_file_reads_and_schedules() -> None:
    result = corpus()
    assert result.failures == {}
    assert len(result.files) >= 80
    assert result.tasks >= 1500


@pytest.mark.parametrize("measure", MEASURES)
def test_agreement_with_the_dates_ms_project_saved_does_not_fall(measure: str) -> None:
    result = corpus()
    share = result.total.share(measure)
    assert share >= FLOORS[measure], (
        f"{measure}: {share:.2%} agree, below the floor {FLOORS[measure]:.2%}\n"
        + "\n".join(d for t in result.files.values() for d in t.differences[:3])
    )
