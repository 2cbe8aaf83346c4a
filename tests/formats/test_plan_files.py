"""Plan files other than MSPDI: chosen by content, read through MPXJ, clear without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.mspdi_corpus import default_corpus
from projectoffice.engine.cpm import schedule
from projectoffice.formats import mpxj_bridge
from projectoffice.formats.mpxj_bridge import MpxjUnavailable, read_plan_file
from projectoffice.formats.mspdi import MspdiError, read_mspdi
from projectoffice.formats.sniff import MPP, MSPDI, PMXML, UNKNOWN, XER, plan_kind

from .mpxj_oracle import java_available


def corpus(*parts: str) -> Path:
    path = default_corpus().joinpath(*parts)
    if not path.is_file():
        pytest.skip("corpus absent")
    return path


def test_the_kind_of_file_comes_from_its_content() -> None:
    assert plan_kind(corpus("mpp", "task-links-project2013-mpp14.mpp").read_bytes()) == MPP
    assert plan_kind(corpus("p6", "PredecessorCalendar.xer").read_bytes()) == XER
    assert plan_kind(corpus("task-links-project2013-mspdi.xml").read_bytes()) == MSPDI
    assert plan_kind(b'<?xml version="1.0"?>\n<APIBusinessObjects xmlns="x">') == PMXML
    assert plan_kind(b"just some text") == UNKNOWN


def test_a_p6_file_given_as_mspdi_says_it_is_a_p6_file() -> None:
    data = corpus("p6", "PredecessorCalendar.xer").read_bytes()
    with pytest.raises(MspdiError, match="Primavera P6 XER export, not MS Project XML"):
        read_mspdi(data)
    with pytest.raises(MspdiError, match=r"MS Project \.mpp file, not MS Project XML"):
        read_mspdi(corpus("mpp", "task-dates-project2003-mpp9.mpp").read_bytes())


def test_without_java_the_message_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(mpxj_bridge, "java_runtime", lambda: None)
    with pytest.raises(MpxjUnavailable, match=r"needs a Java runtime.*Java 11 or later"):
        read_plan_file(corpus("mpp", "task-links-project2013-mpp14.mpp").read_bytes())


def test_without_mpxj_the_message_names_the_extra(monkeypatch) -> None:
    real = mpxj_bridge.importlib.util.find_spec
    monkeypatch.setattr(mpxj_bridge.importlib.util, "find_spec",
                        lambda name: None if name == "mpxj" else real(name))
    with pytest.raises(MpxjUnavailable, match=r"pip install 'projectoffice\[mpp\]'"):
        read_plan_file(corpus("p6", "PredecessorCalendar.xer").read_bytes())


@pytest.mark.oracle
@pytest.mark.parametrize("plan", ["task-links-project2013", "task-dates-project2010",
                                  "calendar-calendars-project2007"])
def test_an_mpp_gives_the_tasks_and_dates_of_the_mspdi_of_the_same_plan(plan: str) -> None:
    if not java_available():
        pytest.skip("java is not installed")
    mpp = next(default_corpus().joinpath("mpp").glob(f"{plan}-mpp*.mpp"), None)
    if mpp is None:
        pytest.skip("corpus absent")
    ours = schedule(read_plan_file(mpp.read_bytes()).project)
    saved = schedule(read_plan_file(corpus(f"{plan}-mspdi.xml").read_bytes()).project)
    assert [(t.uid, t.name, t.start, t.finish, t.critical) for t in ours.tasks] == [
        (t.uid, t.name, t.start, t.finish, t.critical) for t in saved.tasks]


@pytest.mark.oracle
def test_a_primavera_xer_reads_and_schedules() -> None:
    if not java_available():
        pytest.skip("java is not installed")
    plan = read_plan_file(corpus("p6", "PredecessorCalendar.xer").read_bytes())
    assert len(plan.project.tasks) > 0
    assert schedule(plan.project).tasks


@pytest.mark.skipif(not java_available(), reason="needs a Java runtime")
def test_one_mpxj_child_reads_every_file_of_the_process_and_survives_a_bad_one() -> None:
    first = corpus("mpp", "task-links-project2003-mpp9.mpp").read_bytes()
    second = corpus("p6", "PredecessorCalendar.xer").read_bytes()
    read_plan_file(first)
    child = mpxj_bridge.reader_pid()
    assert child is not None
    assert read_plan_file(second).project.tasks
    with pytest.raises(MspdiError, match="cannot be read"):
        read_plan_file(first[:2048])  # an .mpp cut short
    assert read_plan_file(first).project.tasks
    # Java started once: the same child answered every file, the bad one included.
    assert mpxj_bridge.reader_pid() == child
    reply = mpxj_bridge.last_reply()
    assert reply is not None and reply.ok and reply.read_ms > 0
