import json
import sys
from pathlib import Path

from projectoffice.engine.rcpsp import analyse, schedule_violations, validate
from projectoffice.engine.rcpsp_solve import OptimiseOptions, optimise_schedule
from projectoffice.formats.psplib import KnownBounds, parse_optimum_csv, parse_sm

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]


def test_parse_sm_reads_jobs_in_file_order() -> None:
    problem = parse_sm((DATA / "j301_1.sm").read_text())
    validate(problem)
    assert problem.size == 32
    assert problem.capacities == (12, 13, 4, 12)
    assert problem.durations[0] == 0 and problem.durations[-1] == 0
    assert problem.successors[0] == (1, 2, 3)  # file jobs 2, 3, 4
    assert problem.durations[1] == 8 and problem.demands[1] == (4, 0, 0, 0)
    assert analyse(problem).critical_path_length == 38  # the file's MPM-Time


def test_optimum_csv_forms() -> None:
    table = parse_optimum_csv("problem,optimum\na.sm,43\nb.sm,104..105\nc.sm,..77\nd.sm,87..82\n")
    assert table["a.sm"] == KnownBounds(43, 43) and table["a.sm"].optimal
    assert table["b.sm"] == KnownBounds(104, 105)
    assert table["c.sm"] == KnownBounds(None, 77)
    assert table["d.sm"] == KnownBounds(None, 82)  # inverted: keep the upper bound only


def test_optimising_mode_finds_the_published_optimum() -> None:
    problem = parse_sm((DATA / "j301_1.sm").read_text())
    result = optimise_schedule(problem, OptimiseOptions(time_limit=10.0))
    assert schedule_violations(problem, result.starts) == []
    assert result.makespan == 43 and result.optimal and result.lower_bound == 43


def test_benchmark_script_writes_start_times(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import psplib as benchmark  # the script, not this package's module
    finally:
        sys.path.pop(0)
    out = tmp_path / "starts.json"
    assert benchmark.main(["--set", str(DATA), "--time-limit", "2", "--json", str(out)]) == 0
    starts = json.loads(out.read_text())
    assert list(starts) == ["j301_1.sm"] and len(starts["j301_1.sm"]) == 32
