"""`pmo schedule` through its own argparse registration."""

import argparse
import json
from datetime import datetime
from pathlib import Path

import pytest

from projectoffice.commands import schedule as schedule_command
from projectoffice.engine.cpm import schedule
from projectoffice.engine.network import Project
from projectoffice.formats.mspdi import read_mspdi

from .mspdi_samples import document


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="pmo")
    schedule_command.register(parser.add_subparsers())
    args = parser.parse_args(["schedule", *argv])
    code: int = args.func(args)
    return code


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.xml"
    path.write_bytes(document())
    return path


def test_json_has_exactly_the_agreed_shape(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(sample), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"project", "tasks"}
    assert out["project"] == {"start": "2026-01-05T08:00:00", "finish": "2026-01-13T12:00:00"}
    first = out["tasks"][1]
    assert list(first) == [
        "uid",
        "name",
        "summary",
        "milestone",
        "start",
        "finish",
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float_minutes",
        "free_float_minutes",
        "critical",
    ]
    assert first["uid"] == 2 and first["early_finish"] == "2026-01-06T17:00:00"
    assert out["tasks"][0]["summary"] is True
    assert out["tasks"][3]["milestone"] is True


def test_json_text_is_what_json_dumps_writes() -> None:
    tricky = document().replace(
        b"<Name>Design</Name>", "<Name>D\u00e9sign \\ &quot;x&quot;</Name>".encode()
    )
    result = schedule(read_mspdi(tricky).project)
    assert result.task(2).name == 'D\u00e9sign \\ "x"'
    expected = json.dumps(schedule_command.as_json(result), separators=(", ", ": "))
    assert schedule_command.json_text(result) == expected
    empty = schedule(Project(start=datetime(2026, 1, 5, 8), tasks=()))
    assert schedule_command.json_text(empty) == json.dumps(
        schedule_command.as_json(empty), separators=(", ", ": ")
    )


def test_table_by_default(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(sample)) == 0
    out = capsys.readouterr().out
    assert "Design" in out and "Critical" in out


def test_status_date_moves_unstarted_work(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(sample), "--json", "--status-date", "2026-01-08") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tasks"][1]["early_start"] == "2026-01-09T08:00:00"


def test_write_saves_a_scheduled_file(sample: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    assert run(str(sample), "--json", "--write", str(target)) == 0
    assert read_mspdi(str(target)).project == read_mspdi(str(sample)).project
    assert b"<EarlyStart>" in target.read_bytes()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<Project", "not well-formed XML"),
        (
            document().replace(
                b"<PredecessorUID>3</PredecessorUID><Type>1</Type>",
                b"<PredecessorUID>3</PredecessorUID><Type>7</Type>",
            ),
            "unknown link Type 7",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    assert run(str(path), "--json") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert expected in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_cycle_is_reported_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cyclic = document().replace(
        b"<Name>Design</Name>",
        b"<Name>Design</Name><PredecessorLink><PredecessorUID>4</PredecessorUID></PredecessorLink>",
    )
    path = tmp_path / "cycle.xml"
    path.write_bytes(cyclic)
    assert run(str(path)) == 2
    assert "cycle" in capsys.readouterr().err


def test_missing_file_and_bad_status_date(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("/nonexistent/plan.xml") == 2
    assert run(str(sample), "--status-date", "next week") == 2
    err = capsys.readouterr().err
    assert "No such file" in err and "not a date" in err


def test_json_start_and_finish_are_the_dates_each_task_is_scheduled_on(capsys) -> None:
    from benchmarks.mspdi_corpus import default_corpus

    path = default_corpus() / "assignment-assignments-project2010-mspdi.xml"
    if not path.is_file():
        pytest.skip("corpus absent")
    assert run(str(path), "--json") == 0
    tasks = {t["uid"]: t for t in json.loads(capsys.readouterr().out)["tasks"]}
    # Manual tasks: the dates MS Project saved, before the project's own start.
    assert (tasks[1]["start"], tasks[1]["finish"]) == ("2016-01-04T08:00:00",
                                                       "2016-01-15T17:00:00")
