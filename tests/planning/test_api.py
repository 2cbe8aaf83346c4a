"""The plan API: bulk edits, conflicts, errors at the cell, baselines, exchange."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from .helpers import SIMPLE


def test_bulk_edit_conflict_and_errors(office, api_as) -> None:
    planner = api_as(office.members["planner"])
    r = planner.post("/projects/MTX/plan/edits",
                     {"edits": [{"op": "insert", **row} for row in SIMPLE]})
    assert r.status_code == 200, r.content
    plan = r.json()
    assert [t["id"] for t in plan["tasks"]] == [1, 2, 3, 4]
    assert plan["critical_path"] == [1, 2, 4]
    assert plan["tasks"][1]["predecessors_text"] == "1"
    version = plan["version"]
    r = planner.post("/projects/MTX/plan/edits", {"version": version, "edits": [
        {"uid": 2, "duration": "12d"}, {"uid": 3, "predecessors": "1FS+2d"}]})
    assert r.status_code == 200
    assert r.json()["tasks"][2]["predecessors_text"] == "1FS+2d"
    # A second planner with the old version gets a conflict and changes nothing.
    pm = api_as(office.pm)
    r = pm.post("/projects/MTX/plan/edits", {"version": version, "edits": [
        {"uid": 2, "duration": "1d"}]})
    assert r.status_code == 409 and "reload" in r.json()["message"]
    r = pm.post("/projects/MTX/plan/edits", {"version": version + 1, "edits": [
        {"uid": 1, "predecessors": "4"}]})
    assert r.status_code == 422 and "cycle" in r.json()["errors"]["tasks.1.predecessors"][0]
    assert pm.get("/projects/MTX/plan").json()["tasks"][1]["duration_text"] == "12d"
    r = api_as(office.members["stakeholder"]).post("/projects/MTX/plan/edits", {
        "version": version + 1, "edits": [{"uid": 1, "name": "x"}]})
    assert r.status_code == 403


def test_baseline_variance_and_exports(office, api_as) -> None:
    pm = api_as(office.pm)
    version = pm.post("/projects/MTX/plan/edits", {"edits": [
        {"op": "insert", **row} for row in SIMPLE]}).json()["version"]
    assert pm.post("/projects/MTX/plan/baselines", {"number": 0, "name": "Agreed"}
                   ).status_code == 201
    pm.post("/projects/MTX/plan/edits", {"version": version, "edits": [
        {"uid": 1, "duration": "8d"}]})
    rows = pm.get("/projects/MTX/plan/variance?baseline=0").json()
    assert rows[3]["finish_variance"] == 3.0
    csv = pm.get("/projects/MTX/plan/export?format=csv")
    assert csv.status_code == 200 and b"Release" in csv.content
    assert pm.get("/projects/MTX/plan/export?format=xlsx").content[:2] == b"PK"
    xml = pm.get("/projects/MTX/plan/export?format=mspdi")
    assert b"<Project" in xml.content and b"Baseline" in xml.content


def test_import_reports_every_problem_and_changes_nothing(office, api_as) -> None:
    pm = api_as(office.pm)
    pm.post("/projects/MTX/plan/edits", {"edits": [{"op": "insert", **r} for r in SIMPLE]})
    bad = b"""<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">
      <Tasks>
        <Task><UID>1</UID><Name>A</Name><Duration>PT8H0M0S</Duration></Task>
        <Task><UID>2</UID><Name>B</Name><Duration>3x</Duration>
          <PredecessorLink><PredecessorUID>9</PredecessorUID><Type>1</Type></PredecessorLink>
        </Task>
        <Task><UID>3</UID><Name>C</Name><Start>soon</Start>
          <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>7</Type></PredecessorLink>
        </Task>
      </Tasks></Project>"""
    r = pm.client.post("/api/v1/projects/MTX/plan/import?wait=true",
                       {"file": SimpleUploadedFile("bad.xml", bad)},
                       HTTP_AUTHORIZATION=f"Bearer {pm.token}")
    assert r.status_code == 422
    problems = r.json()["errors"]["file"]
    assert any("UID 2" in p and "Duration" in p for p in problems)
    assert any("UID 2" in p and "UID 9" in p for p in problems)
    assert any("UID 3" in p and "Type" in p for p in problems)
    assert any("UID 3" in p and "Start" in p for p in problems)
    assert len(pm.get("/projects/MTX/plan").json()["tasks"]) == 4


def test_master_schedule_endpoint(office, api_as) -> None:
    pm = api_as(office.pm)
    pm.post("/projects/MTX/plan/edits", {"edits": [{"op": "insert", **r} for r in SIMPLE]})
    master = pm.get("/master-schedule").json()
    assert [p["project"] for p in master["projects"]] == ["MTX"]
    assert master["projects"][0]["milestones"][0]["name"] == "Release"


def test_links_are_added_changed_and_removed_by_their_ends(office, api_as) -> None:
    planner = api_as(office.members["planner"])
    r = planner.post("/projects/MTX/plan/edits",
                     {"edits": [{"op": "insert", **row} for row in SIMPLE]})
    version = r.json()["version"]
    r = planner.post("/projects/MTX/plan/edits", {"version": version, "edits": [
        {"op": "link", "uid": 3, "predecessor": 2, "type": "SS", "lag": "2d"}]})
    assert r.status_code == 200, r.content
    assert r.json()["tasks"][2]["predecessors_text"] == "1, 2SS+2d"
    r = planner.post("/projects/MTX/plan/edits", {"version": r.json()["version"], "edits": [
        {"op": "link", "uid": 3, "predecessor": 2, "type": "FF"},
        {"op": "unlink", "uid": 3, "predecessor": 1}]})
    assert r.json()["tasks"][2]["predecessors_text"] == "2FF"
    version = r.json()["version"]
    r = planner.post("/projects/MTX/plan/edits", {"version": version, "edits": [
        {"op": "unlink", "uid": 3, "predecessor": 1},
        {"op": "link", "uid": 1, "predecessor": 4},
        {"op": "link", "uid": 2, "predecessor": 1, "lag": "soon"}]})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert "no link from task 1" in errors["edits.0.predecessor"][0]
    assert "edits.2.lag" in errors
    r = planner.post("/projects/MTX/plan/edits", {"version": version, "edits": [
        {"op": "link", "uid": 1, "predecessor": 4}]})
    assert r.status_code == 422 and "cycle" in r.json()["errors"]["tasks.1.predecessors"][0]
