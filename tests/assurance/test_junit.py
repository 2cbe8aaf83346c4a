"""JUnit XML import: a real file written by pytest --junitxml (with a failure and a skip),
matching on class name and name, creating missing cases, and refusing bad files whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projectoffice.assurance import actions, queries
from projectoffice.assurance.models import TestCase, TestExecution, TestRun
from projectoffice.cli import main
from projectoffice.controls.models import Issue
from projectoffice.errors import InvalidInput
from projectoffice.formats.junit import JUnitError, parse_junit
from tests.conftest import Api, Office

pytestmark = pytest.mark.django_db


def test_parses_what_pytest_writes(junit_from_pytest: Path) -> None:
    cases = parse_junit(junit_from_pytest.read_bytes(), "results.xml")
    outcomes = {c.name: c.outcome for c in cases}
    assert outcomes == {"test_adds": "passed", "test_signs_in": "passed",
                        "test_rounds_money": "failed", "test_prints": "skipped"}
    failed = next(c for c in cases if c.outcome == "failed")
    assert failed.classname == "test_tiny" and "binary floating point" in failed.message
    assert all(c.seconds is not None for c in cases)


@pytest.mark.parametrize("data, words", [
    (b"", "results.xml is empty"),
    (b"<testsuites><testsuite><testcase name='a'/>", "results.xml is not well-formed XML"),
    (b"<html><body>Not results</body></html>", "results.xml is not JUnit XML"),
    (b"<testsuite><testcase classname='x'/></testsuite>", "test case 1 has no name"),
    (b'<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuite><testcase name="&a;"/></testsuite>',
     "refused for safety"),
])
def test_bad_files_are_named_in_the_error(data: bytes, words: str) -> None:
    with pytest.raises(JUnitError) as bad:
        parse_junit(data, "results.xml")
    assert words in str(bad.value)


def test_import_creates_missing_cases_then_matches_them(office: Office,
                                                        junit_from_pytest: Path) -> None:
    data = junit_from_pytest.read_bytes()
    tester = office.members["testing_manager"]
    first = actions.import_junit(actor=tester, project=office.project, data=data,
                                 filename="results.xml", run_name="CI 101", build="101",
                                 raise_defects=True)
    assert (first.executed, first.created_cases, first.failed, first.defects) == (4, 4, 1, 1)
    assert TestCase.objects.filter(project=office.project, automated=True).count() == 4
    figures = queries.run_figures(first.run)
    assert figures.counts == {"passed": 2, "failed": 1, "skipped": 1}
    assert figures.pass_rate == pytest.approx(2 / 3)
    defect = Issue.objects.get(issue_type="defect")
    assert "binary floating point" in defect.description
    second = actions.import_junit(actor=tester, project=office.project, data=data,
                                  filename="results.xml", run_name="CI 102")
    assert second.created_cases == 0 and second.executed == 4
    assert TestCase.objects.filter(project=office.project).count() == 4
    # References continue after the imported cases.
    assert {c.reference for c in TestCase.objects.all()} == {
        "TC-0001", "TC-0002", "TC-0003", "TC-0004"}


def test_a_truncated_or_foreign_file_changes_nothing(office: Office,
                                                     junit_from_pytest: Path) -> None:
    data = junit_from_pytest.read_bytes()
    for broken, words in ((data[: len(data) // 2], "is not well-formed XML"),
                          (b"<feed><entry/></feed>", "is not JUnit XML")):
        with pytest.raises(InvalidInput) as bad:
            actions.import_junit(actor=office.pm, project=office.project, data=broken,
                                 filename="ci-results.xml", run_name="Broken")
        assert bad.value.errors["file"][0].startswith("ci-results.xml")
        assert words in bad.value.errors["file"][0]
    assert not TestRun.objects.exists() and not TestCase.objects.exists()


def test_import_through_the_api_and_the_page(office: Office, junit_from_pytest: Path,
                                            client: Any) -> None:
    api = Api(office.members["testing_manager"])
    response = api.client.post(
        "/api/v1/projects/MTX/test-runs/junit?run=API%20run&build=7",
        {"file": SimpleUploadedFile("results.xml", junit_from_pytest.read_bytes())},
        HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "API run" and body["results"]["failed"] == 1
    assert body["created_cases"] == 4 and body["pass_rate"] == pytest.approx(66.7)
    bad = api.client.post("/api/v1/projects/MTX/test-runs/junit",
                          {"file": SimpleUploadedFile("notes.xml", b"<notes/>")},
                          HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert bad.status_code == 422 and "notes.xml is not JUnit XML" in bad.json()["errors"][
        "file"][0]
    run = api.get(f"/projects/MTX/test-runs/{body['id']}").json()
    assert len(run["execution_list"]) == 4
    client.force_login(office.members["testing_manager"])
    page = client.post("/projects/MTX/testing/runs/", {
        "form": "junit", "run": "Page run",
        "file": SimpleUploadedFile("results.xml", junit_from_pytest.read_bytes())})
    assert page.status_code == 302
    shown = client.get(page["Location"]).content.decode()
    assert "Page run" in shown and "test_rounds_money" in shown
    refused = client.post("/projects/MTX/testing/runs/", {
        "form": "junit", "run": "Refused", "file": SimpleUploadedFile("cut.xml", b"<testsu")})
    assert refused.status_code == 200 and "cut.xml is not well-formed XML" in \
        refused.content.decode()
    assert not TestRun.objects.filter(name="Refused").exists()


def test_pmo_import_junit(office: Office, junit_from_pytest: Path, capsys: Any,
                          tmp_path: Path) -> None:
    code = main(["import-junit", str(junit_from_pytest), "--project", "MTX", "--run",
                 "Nightly", "--as", office.pm.username])
    assert code == 0, capsys.readouterr().err
    assert "4 results, 1 failed, 4 new test cases" in capsys.readouterr().out
    assert TestExecution.objects.filter(run__name="Nightly").count() == 4
    truncated = tmp_path / "cut.xml"
    truncated.write_bytes(junit_from_pytest.read_bytes()[:80])
    assert main(["import-junit", str(truncated), "--project", "MTX", "--run", "Cut",
                 "--as", office.pm.username]) == 2
    assert "cut.xml is not well-formed XML" in capsys.readouterr().err
    assert not TestRun.objects.filter(name="Cut").exists()
