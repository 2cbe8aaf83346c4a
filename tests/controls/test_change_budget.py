"""Change requests that change the budget: budget-line edits beside the plan edits, their
sum in the assessed cost, a new approved budget version when the change is applied."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.audit.models import AuditEntry
from projectoffice.controls.models import ChangeRequest
from projectoffice.finance import actions as fin
from projectoffice.finance.models import BudgetStatus, BudgetVersion
from projectoffice.planning.models import Baseline, Plan
from tests.conftest import PASSWORD
from tests.controls.test_change_impact import move, new_change, uid
from tests.controls.test_change_impact import world as world


def approved_budget(office: Any, name: str = "Original") -> BudgetVersion:
    budget = fin.create_budget(actor=office.pm, project=office.project, name=name, lines=[
        {"task_uid": uid(office.project, "Build"), "category": "labour",
         "period": dt.date(2026, 5, 1), "amount": Decimal("10000")},
        {"task_uid": None, "category": "services", "period": dt.date(2026, 6, 1),
         "amount": Decimal("2000")}])
    return fin.approve_budget(actor=office.pm, project=office.project, number=budget.number,
                              version=budget.version)


def budget_edit(**fields: Any) -> dict[str, Any]:
    return {"op": "budget", "category": "labour", "period": "2026-05", "amount": "1200.00",
            **fields}


@pytest.fixture
def funded(world: Any) -> Any:
    world.budget = approved_budget(world)
    return world


def test_budget_edits_are_assessed_and_applied_as_a_new_approved_budget(
        funded: Any, api_as: Any) -> None:
    office = funded
    pm, sponsor = api_as(office.pm), api_as(office.sponsor)
    build_uid = uid(office.project, "Build")
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": build_uid, "duration": "12d"}})
    assert r.status_code == 200, r.content
    r = pm.post(base + "/edits", {"version": r.json()["version"],
                                  "edit": budget_edit(wbs=build_uid)})
    assert r.status_code == 200, r.content
    r = pm.post(base + "/edits", {"version": r.json()["version"], "edit": budget_edit(
        category="material", period="2026-07", amount="800")})
    assert r.status_code == 200, r.content
    edits = r.json()["plan_edits"]
    assert [e["op"] for e in edits] == ["update", "budget", "budget"]
    assert edits[1]["wbs"] == build_uid and edits[1]["amount"] == "1200.00"
    currency = office.project.currency
    assert edits[1]["text"] == f"Budget: +1,200.00 {currency} on Labour, May 2026, 2 Build"
    assert edits[2]["text"] == (f"Budget: +800.00 {currency} on Material, Jul 2026, "
                                "the project as a whole")

    r = pm.post(base + "/assess", {"version": r.json()["version"], "cost_impact": "500"})
    assert r.status_code == 200, r.content
    impact = r.json()["impact"]
    assert impact["budget_cost"] == "2000.00"
    assert impact["budget_number"] == office.budget.number
    assert Decimal(r.json()["cost_impact"]) == (Decimal(impact["resource_cost"])
                                                + Decimal("2000") + Decimal("500"))
    assert r.json()["delay_days"] == 2

    r = move(pm, ref, "submit", r.json()["version"])
    r = move(pm, ref, "assess", r.json()["version"])
    r = move(sponsor, ref, "approve", r.json()["version"], "Agreed")
    assert r.json()["status"] == "approved", r.content
    r = move(pm, ref, "apply", r.json()["version"])
    assert r.status_code == 200 and r.json()["status"] == "applied", r.content

    revised = BudgetVersion.objects.get(project=office.project, number=office.budget.number + 1)
    assert revised.status == BudgetStatus.APPROVED and revised.approved_by == office.pm
    assert revised.name.startswith(ref)
    lines = {(ln.task_uid, ln.category, ln.period): ln.amount for ln in revised.lines.all()}
    assert lines == {(build_uid, "labour", dt.date(2026, 5, 1)): Decimal("11200.00"),
                     (None, "services", dt.date(2026, 6, 1)): Decimal("2000.00"),
                     (None, "material", dt.date(2026, 7, 1)): Decimal("800.00")}
    # The original version is untouched; the latest approved one counts.
    assert sum(ln.amount for ln in office.budget.lines.all()) == Decimal("12000")
    assert fin.current_budget(office.project) == revised
    entry = AuditEntry.objects.get(object_id=str(revised.pk), verb="created",
                                   content_type__model="budgetversion")
    assert entry.changes["source"] == [None, ref]
    assert entry.changes["copied_from"] == [None, office.budget.number]
    assert entry.changes["total"] == ["12000.00", "14000.00"]
    # The plan edit went in with its baseline in the same move.
    plan = Plan.objects.get(project=office.project)
    assert Baseline.objects.filter(plan=plan, number=1).exists()
    change = ChangeRequest.objects.get(project=office.project, reference=ref)
    own = AuditEntry.objects.get(object_id=str(change.pk), verb="applied to the plan")
    assert own.changes["budget"] == [office.budget.number, revised.number]

    page = pm.client
    page.login(username="project_manager", password=PASSWORD)
    html = page.get(f"/projects/MTX/changes/{ref}/").content.decode()
    assert "Budget: +1,200.00" in html and "2000.00 budget edits" in html
    assert f"Applied to the budget: version {revised.number}" in html
    finance = page.get("/projects/MTX/finance/").content.decode()
    assert ref in finance


def test_a_budget_changed_since_the_assessment_is_refused_with_nothing_applied(
        funded: Any, api_as: Any) -> None:
    office = funded
    pm = api_as(office.pm)
    build_uid = uid(office.project, "Build")
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": {
        "op": "update", "uid": build_uid, "duration": "11d"}})
    r = pm.post(base + "/edits", {"version": r.json()["version"], "edit": budget_edit()})
    r = pm.post(base + "/assess", {"version": r.json()["version"]})
    assert r.status_code == 200, r.content
    r = move(pm, ref, "submit", r.json()["version"])
    r = move(pm, ref, "assess", r.json()["version"])
    r = move(pm, ref, "approve", r.json()["version"], "Small")
    assert r.json()["status"] == "approved", r.content
    # Finance approves another budget version meanwhile.
    newer = approved_budget(office, "Rebaselined")
    plan = Plan.objects.get(project=office.project)
    plan_version = plan.version
    refused = move(pm, ref, "apply", r.json()["version"])
    assert refused.status_code == 409, refused.content
    assert "re-assess first" in refused.json()["message"]
    assert "budget" in refused.json()["errors"]
    plan.refresh_from_db()
    assert plan.version == plan_version
    assert not Baseline.objects.filter(plan=plan).exists()
    assert fin.current_budget(office.project) == newer
    assert BudgetVersion.objects.filter(project=office.project).count() == 2
    change = ChangeRequest.objects.get(project=office.project, reference=ref)
    assert change.status == "approved"

    # Re-assessed against the new budget, it applies.
    r = pm.post(base + "/assess", {"version": change.version})
    assert r.json()["impact"]["budget_number"] == newer.number
    r = move(pm, ref, "apply", r.json()["version"])
    assert r.status_code == 200 and r.json()["status"] == "applied", r.content
    assert fin.current_budget(office.project).number == newer.number + 1  # type: ignore[union-attr]


@pytest.mark.parametrize(("edit", "field"), [
    (budget_edit(category="catering"), "edit.category"),
    (budget_edit(period="May"), "edit.period"),
    (budget_edit(period="2026-13"), "edit.period"),
    (budget_edit(amount="lots"), "edit.amount"),
    (budget_edit(amount="1.005"), "edit.amount"),
    (budget_edit(amount="0"), "edit.amount"),
    (budget_edit(wbs=9999), "edit.wbs"),
    (budget_edit(amount="-50000"), "edit.amount"),
    (budget_edit(duration="5d"), "edit.duration"),
])
def test_budget_edit_validation_names_the_field(funded: Any, api_as: Any,
                                                edit: dict[str, Any], field: str) -> None:
    pm = api_as(funded.pm)
    ref, v = new_change(pm)
    r = pm.post(f"/projects/MTX/changes/{ref}/edits", {"version": v, "edit": edit})
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"], r.json()
    assert ChangeRequest.objects.get(project=funded.project, reference=ref).plan_edits == []


def test_without_an_approved_budget_there_is_nothing_to_change(world: Any,
                                                                api_as: Any) -> None:
    pm = api_as(world.pm)
    fin.create_budget(actor=world.pm, project=world.project, name="Draft only", lines=[
        {"category": "labour", "period": dt.date(2026, 5, 1), "amount": Decimal("10")}])
    ref, v = new_change(pm)
    r = pm.post(f"/projects/MTX/changes/{ref}/edits", {"version": v, "edit": budget_edit()})
    assert r.status_code == 422
    assert "no approved budget" in r.json()["errors"]["edit.op"][0]


def test_a_budget_only_change_is_added_from_the_page_and_applied(funded: Any,
                                                                  api_as: Any) -> None:
    office = funded
    pm = api_as(office.pm)
    ref, v = new_change(pm, "More testing budget")
    page = pm.client
    page.login(username="project_manager", password=PASSWORD)
    html = page.get(f"/projects/MTX/changes/{ref}/").content.decode()
    assert 'value="budget"' in html and 'name="category"' in html
    r = page.post(f"/projects/MTX/changes/{ref}/edits/", {
        "version": v, "kind": "budget", "wbs": "", "category": "services",
        "period": "2026-06", "amount": "-500"})
    assert r.status_code == 302
    change = ChangeRequest.objects.get(project=office.project, reference=ref)
    assert change.plan_edits == [{"op": "budget", "wbs": None, "category": "services",
                                  "period": "2026-06", "amount": "-500"}]
    r = page.post(f"/projects/MTX/changes/{ref}/edits/", {
        "version": change.version, "kind": "budget", "category": "services",
        "period": "June", "amount": "10"}, follow=True)
    assert "give the month" in r.content.decode()
    r = pm.post(f"/projects/MTX/changes/{ref}/assess", {"version": change.version})
    assert r.json()["impact"]["budget_cost"] == "-500.00" and r.json()["delay_days"] == 0
    r = move(pm, ref, "submit", r.json()["version"])
    r = move(pm, ref, "assess", r.json()["version"])
    r = move(pm, ref, "approve", r.json()["version"], "Saves money")
    r = move(pm, ref, "apply", r.json()["version"])
    assert r.status_code == 200 and r.json()["status"] == "applied", r.content
    revised = fin.current_budget(office.project)
    assert revised is not None and revised.number == office.budget.number + 1
    assert {ln.category: ln.amount for ln in revised.lines.all()}["services"] == \
        Decimal("1500.00")
    # No plan edit: no baseline.
    assert not Baseline.objects.filter(plan__project=office.project).exists()
    change.refresh_from_db()
    assert change.baseline_number is None
    assert AuditEntry.objects.filter(object_id=str(change.pk),
                                     verb="applied to the budget").exists()


@pytest.mark.django_db
def test_the_demo_has_an_applied_change_with_a_budget_edit() -> None:
    from django.test import Client

    from projectoffice.accounts.models import User
    from projectoffice.demo import load_demo

    load_demo(projects=4, progress=False)
    applied = [c for c in ChangeRequest.objects.filter(status="applied")
               if any(e.get("op") == "budget" for e in c.plan_edits)]
    assert applied
    change = applied[0]
    assert change.impact is not None and change.impact["budget_cost"] == "1200.00"
    revised = fin.current_budget(change.project)
    assert revised is not None and revised.number == change.impact["applied_budget"]
    assert revised.name.startswith(change.reference)
    client = Client()
    client.force_login(User.objects.get(username="pmo"))
    html = client.get(f"/projects/{change.project.code}/finance/").content.decode()
    assert change.reference in html


def test_removing_a_budget_edit_forgets_the_assessment(funded: Any, api_as: Any) -> None:
    pm = api_as(funded.pm)
    ref, v = new_change(pm)
    base = f"/projects/MTX/changes/{ref}"
    r = pm.post(base + "/edits", {"version": v, "edit": budget_edit()})
    r = pm.post(base + "/assess", {"version": r.json()["version"]})
    assert r.json()["cost_impact"] == "1200.00"
    r = pm.delete(f"{base}/edits/1?version={r.json()['version']}")
    assert r.status_code == 200, r.content
    assert r.json()["plan_edits"] == [] and r.json()["impact"] is None
    change = ChangeRequest.objects.get(project=funded.project, reference=ref)
    assert AuditEntry.objects.filter(object_id=str(change.pk),
                                     verb="budget edit removed").exists()
