"""The time and money API: a week through submit and approval, errors naming the field,
earned value with the same figures as the page."""

from __future__ import annotations

from typing import Any

from projectoffice.finance import queries
from tests.timesheets.helpers import cost_loaded


def test_week_submit_approve_and_earned_value(office: Any, api_as: Any) -> None:
    world = cost_loaded(office)
    member, pm = api_as(world["member"]), api_as(office.pm)
    grid = member.get("/projects/MTX/timesheets/mine/2026-01-07").json()
    assert grid["week_start"] == "2026-01-05" and grid["lines"][0]["label"] == "Design"
    bad = member.post("/projects/MTX/timesheets/mine/2026-01-05", {"lines": [
        {"assignment_id": world["design"].pk, "hours": ["-1", "0", "0", "0", "0", "0", "0"]}]})
    assert bad.status_code == 422 and "lines.0.hours.0" in bad.json()["errors"]
    saved = member.post("/projects/MTX/timesheets/mine/2026-01-05", {"lines": [
        {"assignment_id": world["design"].pk, "hours": ["8", "8", "8", "8", "0", "0", "0"]}]})
    assert saved.status_code == 200, saved.content
    sheet = member.post("/projects/MTX/timesheets/mine/2026-01-05/submit",
                        {"version": saved.json()["version"]}).json()
    assert member.get("/projects/MTX/timesheets").status_code == 403
    waiting = pm.get("/projects/MTX/timesheets").json()
    assert [w["id"] for w in waiting] == [sheet["id"]]
    decided = pm.post(f"/projects/MTX/timesheets/{sheet['id']}/decision",
                      {"version": sheet["version"], "approve": True})
    assert decided.json()["status"] == "approved"
    again = member.post("/projects/MTX/timesheets/mine/2026-01-05",
                        {"version": decided.json()["version"], "lines": []})
    assert again.status_code == 409
    ev = pm.get("/projects/MTX/earned-value").json()
    figures = queries.earned_value(office.project).figures  # type: ignore[union-attr]
    assert ev["figures"]["ac"] == str(figures["ac"]) == "1680.00"
    assert ev["figures"]["ev"] == "1600.00" and ev["s_curve"][-1]["pv"] is not None
