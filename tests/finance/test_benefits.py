"""The benefits register: % realised towards increasing and decreasing targets, the status
against the planned trajectory, measurements (audited, refused at the field), the chart,
the finance page's financial targets and the roll-up across currencies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from projectoffice.audit.models import AuditEntry
from projectoffice.engine import benefits as engine
from projectoffice.engine.errors import InvalidInput as EngineInput
from projectoffice.errors import Conflict, Forbidden, InvalidInput
from projectoffice.finance import actions, benefits, rollup
from projectoffice.finance.benefit_migration import register_fields
from projectoffice.finance.models import Benefit, BenefitMeasurement
from projectoffice.finance.registers import BENEFITS
from projectoffice.portfolio import actions as portfolio_actions
from projectoffice.registers import actions as registers
from tests.finance.test_entry_pages import login

D = Decimal
JAN = dt.date(2026, 1, 1)
TODAY = dt.date(2026, 7, 1)


def make_benefit(office: Any, project: Any = None, **extra: Any) -> Benefit:
    """Cost per transaction from 4.20 down to 3.10, realised from February to December."""
    data = {"title": "Lower cost per transaction", "benefit_type": "cash_releasing",
            "measure": "Cost per transaction", "unit": "GBP", "baseline_value": D("4.20"),
            "baseline_date": JAN, "target_value": D("3.10"),
            "realisation_start": dt.date(2026, 2, 1),
            "full_realisation": dt.date(2026, 12, 1), "annual_value": D("100000"), **extra}
    item = registers.create_item(actor=office.pm, spec=BENEFITS,
                                 project=project or office.project, data=data, today=JAN)
    assert isinstance(item, Benefit)
    return item


# ---- the engine ----------------------------------------------------------------------------

def test_percent_realised_towards_an_increasing_target() -> None:
    assert engine.percent_realised(D(100), D(200), D(150)) == D(50)
    assert engine.percent_realised(D(100), D(200), D(220)) == D(120)
    assert engine.percent_realised(D(100), D(200), D(90)) == D(-10)


def test_percent_realised_towards_a_decreasing_target() -> None:
    # Cost per transaction 4.20 → 3.10: down to 3.65 is half-way, up is going backwards.
    assert engine.percent_realised(D("4.20"), D("3.10"), D("3.65")) == D(50)
    assert engine.percent_realised(D("4.20"), D("3.10"), D("3.10")) == D(100)
    assert engine.percent_realised(D("4.20"), D("3.10"), D("4.31")) == D(-10)


def test_target_equal_to_baseline_cannot_be_measured() -> None:
    with pytest.raises(EngineInput) as err:
        engine.percent_realised(D(5), D(5), D(4))
    assert err.value.field == "target_value"


def test_the_trajectory_is_linear_between_the_realisation_dates() -> None:
    start, full = dt.date(2026, 1, 1), dt.date(2026, 1, 11)
    assert engine.planned_percent(start, full, dt.date(2025, 12, 1)) == 0
    assert engine.planned_percent(start, full, dt.date(2026, 1, 6)) == 50
    assert engine.planned_percent(start, full, dt.date(2026, 3, 1)) == 100
    assert engine.planned_value(D(8), D(4), start, full, dt.date(2026, 1, 6)) == D(6)


def test_status_against_the_trajectory() -> None:
    start, full = dt.date(2026, 1, 1), dt.date(2026, 11, 1)  # 304 days
    day = dt.date(2026, 6, 1)  # 151 days in: about 49.7 % planned
    m = engine.Measurement
    assert engine.track(D(8), D(4), start, full, []).status == engine.Tracking.NOT_MEASURED
    on = engine.track(D(8), D(4), start, full, [m(dt.date(2026, 3, 1), D(7)), m(day, D("6.2"))])
    assert on.status == engine.Tracking.ON_TRACK and on.percent == D(45)
    assert on.planned_percent is not None and D(49) < on.planned_percent < D(50)
    behind = engine.track(D(8), D(4), start, full, [m(day, D(7))])
    assert behind.status == engine.Tracking.BEHIND and behind.percent == D(25)
    # The latest reading counts, whatever the order they come in.
    done = engine.track(D(8), D(4), start, full, [m(day, D("3.9")), m(dt.date(2026, 2, 1),
                                                                       D(7))])
    assert done.status == engine.Tracking.REALISED and done.latest == m(day, D("3.9"))
    early = engine.track(D(8), D(4), start, full, [m(dt.date(2025, 12, 1), D(8))])
    assert early.status == engine.Tracking.NOT_STARTED


# ---- moving the old list over ----------------------------------------------------------------

def test_old_benefit_rows_map_onto_the_register() -> None:
    today = dt.date(2026, 11, 1)
    money = register_fields({"project_id": 7, "name": "Lower operating cost",
                             "measure": "Cost per transaction", "target": "−20 %",
                             "owner_id": 3, "expected_by": dt.date(2027, 6, 1),
                             "annual_value": D("180000.00")}, number=2, today=today)
    assert money["reference"] == "BEN-0002" and money["number"] == 2
    assert money["title"] == "Lower operating cost" and money["owner_id"] == 3
    assert money["benefit_type"] == "cash_releasing" and money["annual_value"] == D(180000)
    assert money["target_value"] is None and "−20 %" in money["description"]
    assert money["full_realisation"] == money["due_date"] == dt.date(2027, 6, 1)
    assert money["status"] == "identified" and money["raised_on"] == today
    counted = register_fields({"project_id": 7, "name": "Days to close", "measure": "days",
                               "target": "3", "owner_id": None, "expected_by": None,
                               "annual_value": D(0)}, number=1, today=today)
    assert counted["benefit_type"] == "quantitative" and counted["target_value"] == D(3)
    assert counted["description"] == ""
    words = register_fields({"project_id": 7, "name": "Happier staff", "measure": "",
                             "target": "", "owner_id": None, "expected_by": None,
                             "annual_value": D(0)}, number=3, today=today)
    assert words["benefit_type"] == "qualitative" and words["annual_value"] == 0


# ---- the register and measurements ---------------------------------------------------------

def test_a_target_equal_to_the_baseline_is_refused_at_entry(office: Any) -> None:
    with pytest.raises(InvalidInput) as err:
        make_benefit(office, target_value=D("4.20"))
    assert "target_value" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        make_benefit(office, benefit_type="qualitative", baseline_value=None,
                     target_value=None)
    assert "annual_value" in err.value.errors
    with pytest.raises(InvalidInput) as err:
        make_benefit(office, full_realisation=dt.date(2026, 1, 15))
    assert "full_realisation" in err.value.errors
    assert not Benefit.objects.exists()


def test_planning_needs_the_trajectory(office: Any) -> None:
    item = make_benefit(office, realisation_start=None)
    with pytest.raises(InvalidInput) as err:
        registers.transition_item(actor=office.pm, item=item, transition="plan",
                                  version=item.version)
    assert "realisation_start" in err.value.errors
    registers.update_item(actor=office.pm, item=item, version=item.version,
                          changes={"realisation_start": dt.date(2026, 2, 1)})
    item = Benefit.objects.get()
    moved = registers.transition_item(actor=office.pm, item=item, transition="plan",
                                      version=item.version)
    assert moved.status == "planned" and moved.reference == "BEN-0001"


def test_measurements_give_percent_realised_and_realised_value(office: Any) -> None:
    item = make_benefit(office)
    accountant = office.members["project_accountant"]
    actions.record_measurement(actor=accountant, benefit=item, measured_on=dt.date(2026, 4, 1),
                               value="3.98", today=TODAY)
    actions.record_measurement(actor=accountant, benefit=item, measured_on=dt.date(2026, 6, 1),
                               value=D("3.65"), note="Q2 review", today=TODAY)
    state = benefits.state_of(item, list(item.measurements.all()))
    assert state.percent == D(50) and state.status == "on_track"
    assert state.realised_value == D("50000.00")
    entry = AuditEntry.objects.filter(verb="measured").order_by("-pk").first()
    assert entry is not None and "3.65" in str(entry.changes) and entry.actor == accountant


@pytest.mark.parametrize(("when", "value", "field"), [
    (dt.date(2025, 12, 31), "4", "measured_on"),  # before the baseline date
    (dt.date(2099, 1, 1), "4", "measured_on"),  # in the future
    (dt.date(2026, 3, 1), "four", "value"),
    (dt.date(2026, 3, 1), "NaN", "value"),
    (dt.date(2026, 3, 1), "1.123456", "value"),
])
def test_bad_measurements_name_the_field(office: Any, when: dt.date, value: str,
                                         field: str) -> None:
    item = make_benefit(office)
    with pytest.raises(InvalidInput) as err:
        actions.record_measurement(actor=office.pm, benefit=item, measured_on=when,
                                   value=value, today=TODAY)
    assert field in err.value.errors
    assert not BenefitMeasurement.objects.exists()


def test_measuring_needs_a_baseline_an_open_benefit_and_the_permission(office: Any) -> None:
    bare = make_benefit(office, baseline_value=None, baseline_date=None, target_value=None,
                        title="Vague")
    with pytest.raises(InvalidInput) as err:
        actions.record_measurement(actor=office.pm, benefit=bare, measured_on=JAN, value="1")
    assert "baseline_value" in err.value.errors
    item = make_benefit(office)
    with pytest.raises(Forbidden):
        actions.record_measurement(actor=office.members["stakeholder"], benefit=item,
                                   measured_on=JAN, value="4")
    closed = registers.transition_item(actor=office.pm, item=item, transition="abandon",
                                       version=item.version, comment="Scope cut")
    with pytest.raises(Conflict):
        actions.record_measurement(actor=office.pm, benefit=closed, measured_on=JAN,
                                   value="4")
    assert not BenefitMeasurement.objects.exists()


def test_measurements_through_the_api(office: Any, api_as: Any) -> None:
    item = make_benefit(office)
    path = f"/projects/MTX/benefits/{item.reference}/measurements"
    api = api_as(office.members["project_accountant"])
    created = api.post(path, {"measured_on": "2026-06-01", "value": 3.65, "note": "Q2"})
    assert created.status_code == 201, created.content
    assert D(created.json()["value"]) == D("3.65")
    for body, field in (({"measured_on": "2026-06-01", "value": "abc"}, "value"),
                        ({"measured_on": "2025-06-01", "value": "4"}, "measured_on"),
                        ({"measured_on": "not a day", "value": "4"}, "measured_on")):
        bad = api.post(path, body)
        assert bad.status_code == 422 and field in bad.content.decode(), bad.content
    assert BenefitMeasurement.objects.count() == 1
    refused = api_as(office.members["stakeholder"]).post(path, {"measured_on": "2026-06-01",
                                                                "value": "3"})
    assert refused.status_code == 403 and BenefitMeasurement.objects.count() == 1
    read = api_as(office.members["stakeholder"]).get(path).json()
    assert read["percent_realised"] == "50.0" and read["tracking"] in ("on_track", "behind")
    assert [m["note"] for m in read["measurements"]] == ["Q2"]
    assert api_as(office.outsider).get(path).status_code == 404
    missing = api.get("/projects/MTX/benefits/BEN-0099/measurements")
    assert missing.status_code == 404


def test_benefit_page_draws_the_trajectory_and_takes_measurements(office: Any) -> None:
    item = make_benefit(office)
    actions.record_measurement(actor=office.pm, benefit=item, measured_on=dt.date(2026, 5, 1),
                               value="3.9", today=TODAY)
    pm = login(office.pm)
    page = pm.get(f"/projects/MTX/benefits/{item.reference}/").content.decode()
    assert 'data-series="planned"' in page and 'data-series="actual"' in page
    assert 'data-point="2026-05-01"' in page and "Record a measurement" in page
    # Values kept to four places read as written: 4.20, not 4.2000.
    assert "<dt>Baseline value</dt><dd>4.2</dd>" in page and "4.2000" not in page
    url = f"/projects/MTX/benefits/{item.reference}/measure/"
    bad = pm.post(url, {"measured_on": "2025-01-01", "value": "3.8"})
    assert bad.status_code == 422 and "has-error" in bad.content.decode()
    assert "before the baseline date" in bad.content.decode()
    ok = pm.post(url, {"measured_on": "2026-06-01", "value": "3.8", "note": "June"})
    assert ok.status_code == 302 and item.measurements.count() == 2
    stakeholder = login(office.members["stakeholder"])
    seen = stakeholder.get(f"/projects/MTX/benefits/{item.reference}/").content.decode()
    assert "Record a measurement" not in seen
    assert stakeholder.post(url, {"measured_on": "2026-06-02", "value": "3"}).status_code \
        in (403, 422)
    assert item.measurements.count() == 2


def test_finance_page_shows_budget_and_benefit_targets(office: Any) -> None:
    item = make_benefit(office)
    actions.record_measurement(actor=office.pm, benefit=item, measured_on=dt.date(2026, 6, 1),
                               value="3.65", today=TODAY)
    make_benefit(office, title="Happier staff", benefit_type="qualitative",
                 baseline_value=None, target_value=None, annual_value=D(0))
    page = login(office.pm).get("/projects/MTX/finance/").content.decode()
    assert 'id="financial-targets"' in page
    assert 'data-target="benefit-planned">100,000.00' in page
    assert 'data-target="benefit-realised">50,000.00' in page
    assert 'data-target="benefit-percent">50.0 %' in page
    assert "BEN-0002" in page and "Happier staff" in page


# ---- across projects -----------------------------------------------------------------------

def test_rollup_in_two_currencies_and_a_missing_rate(office: Any, api_as: Any) -> None:
    euro = portfolio_actions.create_project(
        actor=office.pmo, code="ABC", name="Abacus", portfolio=office.portfolio,
        programme=office.programme, currency="EUR", manager=office.pm)
    gbp = make_benefit(office)
    actions.record_measurement(actor=office.pm, benefit=gbp, measured_on=dt.date(2026, 6, 1),
                               value="3.65", today=TODAY)  # 50 % of 100,000
    eur = make_benefit(office, project=euro, annual_value=D(40000), unit="EUR")
    actions.record_measurement(actor=office.pm, benefit=eur, measured_on=dt.date(2026, 6, 1),
                               value="3.10", today=TODAY)  # realised: all of 40,000
    projects = [office.project, euro]
    with pytest.raises(rollup.MissingRate, match="from EUR to GBP"):
        benefits.rollup(projects, TODAY, "GBP")
    api = api_as(office.pmo)
    refused = api.get("/benefits?currency=GBP&date=2026-07-01")
    assert refused.status_code == 422 and "EUR to GBP" in refused.content.decode()
    page = login(office.pmo).get("/benefits/?currency=GBP&date=2026-07-01").content.decode()
    assert 'id="rollup-error"' in page and "No exchange rate from EUR to GBP" in page
    actions.set_exchange_rate(actor=office.pmo, from_currency="EUR", to_currency="GBP",
                              rate=D("0.85"), effective_from=JAN)
    result = benefits.rollup(projects, TODAY, "GBP")
    rows = {r["code"]: r for r in result.rows}
    assert rows["ABC"]["planned"] == D("34000.00") and rows["ABC"]["realised"] == D("34000.00")
    assert rows["MTX"]["planned"] == D("100000.00") and rows["MTX"]["realised"] == D("50000.00")
    assert result.totals["planned"] == D("134000.00")
    assert result.totals["realised"] == D("84000.00")
    assert result.totals["benefits"] == 2 and result.totals["by_status"]["realised"] == 1
    body = api.get(f"/benefits?programme={office.programme.code}&currency=GBP"
                   "&date=2026-07-01").json()
    assert D(body["totals"]["planned"]) == D(134000)
    assert D(body["rates"]["EUR→GBP"]) == D("0.85")
    euros = api.get("/benefits?currency=EUR&date=2026-07-01").json()
    assert D(euros["totals"]["realised"]) == D(40000) + (D(50000) / D("0.85")).quantize(
        D("0.01"))
    page = login(office.pmo).get("/benefits/?currency=GBP&date=2026-07-01").content.decode()
    assert 'data-total="planned">134,000.00' in page and 'data-project="ABC"' in page
    # An outsider sees only the projects they belong to.
    theirs = api_as(office.outsider).get("/benefits").json()
    assert all(p["code"] not in ("MTX", "ABC") for p in theirs["projects"])


def test_the_milestone_must_be_a_task_of_the_plan(office: Any) -> None:
    from tests.planning.helpers import make_plan

    make_plan(office)
    with pytest.raises(InvalidInput) as err:
        make_benefit(office, milestone_uid=999)
    assert "milestone_uid" in err.value.errors
    item = make_benefit(office, milestone_uid=1)
    page = login(office.pm).get(f"/projects/MTX/benefits/{item.reference}/").content.decode()
    assert "Waits for milestone 1" in page


def test_next_realisation_dates_are_the_ones_to_come(office: Any) -> None:
    first = make_benefit(office)  # realisation 1 Feb → 1 Dec 2026
    make_benefit(office, title="Later", realisation_start=dt.date(2026, 9, 1),
                 full_realisation=dt.date(2027, 3, 1))
    states = benefits.project_benefits(office.project)
    summary = benefits.summarise(states, TODAY)
    assert [(day, s.benefit.reference) for day, s in summary.next_dates] == [
        (dt.date(2026, 9, 1), "BEN-0002"), (dt.date(2026, 12, 1), first.reference)]
    assert summary.planned == D(200000) and summary.by_status["not_measured"] == 2
    assert benefits.summarise(states, dt.date(2027, 4, 1)).next_dates == []


def test_rollup_queries_do_not_grow_with_benefits_or_measurements(office: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            benefits.rollup([office.project], TODAY, "GBP")
            assert benefits.project_benefits(office.project)
        return len(queries)

    item = make_benefit(office)
    actions.record_measurement(actor=office.pm, benefit=item, measured_on=dt.date(2026, 3, 1),
                               value="4.1", today=TODAY)
    few = count()
    for n in range(3):
        more = make_benefit(office, title=f"More {n}")
        for month in (3, 4, 5):
            actions.record_measurement(actor=office.pm, benefit=more,
                                       measured_on=dt.date(2026, month, 1), value="4",
                                       today=TODAY)
    assert count() == few
