"""Demo money for a project: resources with rates, an assignment on every work task, weeks
of approved timesheets matching the progress recorded in the plan, a budget, orders with
their invoices and payments (paid, part paid, unpaid, a reversal), an expense, forecasts
entered by hand with their history, benefits and the business case — all through the
actions."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from projectoffice.planning.models import Plan, PlanTask
from projectoffice.portfolio.models import Project
from projectoffice.resources import actions as resources
from projectoffice.timesheets import actions as timesheets

from . import actions
from .models import PurchaseOrder

TEAM = ("omar", "paula", "nina", "hana", "george", "dan")
TWO = Decimal("0.01")


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def demo_money(rng: random.Random, project: Project, manager: Any, accountant: Any,
               people: dict[str, Any], today: dt.date) -> None:
    plan = Plan.objects.filter(project=project).first()
    if plan is None or project.start_date is None:
        return
    start = project.start_date
    team = [people[u] for u in TEAM if u in people]
    persons = []
    for user in team:
        person = resources.create_resource(actor=manager, project=project,
                                           name=user.display_name or user.username, user=user)
        rate = Decimal(rng.randrange(55, 95))
        resources.set_rate(actor=manager, resource=person, effective_from=start,
                           standard=rate, overtime=rate * Decimal("1.5"))
        rise = today - dt.timedelta(weeks=8)
        if rise > start:
            resources.set_rate(actor=manager, resource=person, effective_from=rise,
                               standard=rate + 5, overtime=(rate + 5) * Decimal("1.5"))
        persons.append(person)
    kit = resources.create_resource(actor=manager, project=project, name="Test devices",
                                    kind="material", unit="device")
    resources.set_rate(actor=manager, resource=kit, effective_from=start,
                       standard=Decimal(400), cost_per_use=Decimal(150))
    status = plan.status_date or today
    leaves = [t for t in PlanTask.objects.filter(plan=plan, summary=False, milestone=False)
              if t.duration > 0]
    # The supplier's crew takes the work the office's own people have no room for.
    crew = resources.create_resource(actor=manager, project=project, name="Supplier delivery team",
                                     kind="work", max_units=Decimal(600))
    resources.set_rate(actor=manager, resource=crew, effective_from=start,
                       standard=Decimal(rng.randrange(70, 90)))
    staffing = _staff(leaves, persons, crew, _weekly_load(team, exclude=project))
    # Book the work the plan records as done, spread over the task's actual days.
    booked: dict[tuple[int, dt.date], dict[int, list[Decimal]]] = defaultdict(dict)
    rows: list[dict[str, Any]] = []
    for n, task in enumerate(leaves):
        resource, units = staffing[task.uid]
        rows.append({"resource_id": resource.pk, "task_uid": task.uid, "units": units * 100,
                     "work": (Decimal(task.duration) / 60 * units).quantize(TWO)})
        if n % 25 == 0:
            rows.append({"resource_id": kit.pk, "task_uid": task.uid,
                         "work": Decimal(rng.randint(2, 6))})
    assigned = {(a.resource_id, a.task_uid): a for a in resources.assign_resources(
        actor=manager, project=project, rows=rows)}
    demo_ev_methods(project, accountant)
    for task in leaves:
        resource = staffing[task.uid][0]
        if resource.user is None:
            continue  # the supplier invoices its crew's time
        user = resource.user
        assignment = assigned[(resource.pk, task.uid)]
        if not task.percent_complete or task.actual_start is None:
            continue
        last = min(task.actual_finish.date() if task.actual_finish else status, status)
        days = _weekdays(task.actual_start.date(), last)
        if not days:
            continue
        done = (assignment.work * Decimal(str(task.percent_complete)) / 100).quantize(TWO)
        daily = (done / len(days)).quantize(TWO)
        for k, day in enumerate(days):
            hours = daily if k < len(days) - 1 else done - daily * (len(days) - 1)
            week = booked[(user.pk, day - dt.timedelta(days=day.weekday()))]
            week.setdefault(assignment.pk, [Decimal(0)] * 7)[day.weekday()] += hours
    by_user = {u.pk: u for u in team}
    current = status - dt.timedelta(days=status.weekday())
    submitted = []
    for (user_pk, monday), lines in sorted(booked.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        for weekday in range(7):
            total = sum((h[weekday] for h in lines.values()), Decimal(0))
            if total > 24:  # parallel tasks: the person's day is full
                for h in lines.values():
                    h[weekday] = (h[weekday] * 24 / total).quantize(TWO, rounding="ROUND_DOWN")
        user = by_user[user_pk]
        sheet = timesheets.save_timesheet(
            actor=user, project=project, week_start=monday, version=None,
            lines=[{"assignment_id": a, "hours": [str(h) for h in hours]}
                   for a, hours in lines.items()])
        if monday >= current:
            continue  # the current week is left mid-flow by the timesheets demo
        sheet = timesheets.submit_timesheet(actor=user, project=project, week_start=monday,
                                            version=sheet.version, notify=False)
        submitted.append(sheet.pk)
    if submitted:
        # Past weeks, loaded at once: nobody is told of each one.
        timesheets.approve_timesheets(actor=manager, project=project, timesheet_ids=submitted,
                                      notify=False)
    demo_week_in_progress(rng, project, people, today)
    _demo_finance(rng, project, manager, accountant, people, start, status)
    demo_benefits(rng, project, manager, accountant, people, today)


def _mondays(task: PlanTask) -> list[dt.date]:
    if task.start is None or task.finish is None:
        return []
    first = task.start.date() - dt.timedelta(days=task.start.weekday())
    return [first + dt.timedelta(weeks=k)
            for k in range((task.finish.date() - first).days // 7 + 1)]


def _weekly_load(team: list[Any], exclude: Project) -> dict[int, dict[dt.date, Decimal]]:
    """Hours a week each of the team is already planned for on the other projects."""
    from projectoffice.resources.models import Assignment

    load: dict[int, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = (Assignment.objects.filter(resource__user__in=team).exclude(project=exclude)
            .values_list("resource__user_id", "project_id", "task_uid", "units"))
    tasks = {(t.plan.project_id, t.uid): t for t in PlanTask.objects.filter(
        plan__project_id__in={r[1] for r in rows}).select_related("plan")}
    for user_id, project_id, uid, units in rows:
        task = tasks.get((project_id, uid))
        if task is not None:
            for monday in _mondays(task):
                load[user_id][monday] += Decimal(40) * units / 100
    return load


def _staff(leaves: list[PlanTask], persons: list[Any], crew: Any,
           load: dict[int, dict[dt.date, Decimal]]) -> dict[int, tuple[Any, Decimal]]:
    """Who does each task, at what units: the least busy of the team with room for it (full
    time, three quarters, half or a quarter) up to about a 40-hour week across all their
    projects, else the supplier's crew; every twelfth task that nobody has room for still
    goes to the least busy person at a quarter (the office's genuine over-allocations)."""
    staffing: dict[int, tuple[Any, Decimal]] = {}
    ordered = sorted(leaves, key=lambda t: (t.start is None,
                                            t.start.timestamp() if t.start else 0, t.uid))
    for n, task in enumerate(ordered):
        weeks = _mondays(task)
        def peak(person: Any, weeks: list[dt.date] = weeks) -> Decimal:
            own = load[person.user_id]
            return max((own[w] for w in weeks), default=Decimal(0))
        choice: tuple[Any, Decimal] | None = None
        for person in sorted(persons, key=lambda p: (peak(p), p.pk)):
            room = Decimal(44) - peak(person)
            units = next((u for u in (Decimal(1), Decimal("0.75"), Decimal("0.5"),
                                      Decimal("0.25")) if Decimal(40) * u <= room), None)
            if units is not None:
                choice = (person, units)
                break
        if choice is None and n % 12 == 0:
            choice = (min(persons, key=lambda p: (peak(p), p.pk)), Decimal("0.25"))
        if choice is None:
            staffing[task.uid] = (crew, Decimal(1))
            continue
        staffing[task.uid] = choice
        for w in weeks:
            load[choice[0].user_id][w] += Decimal(40) * choice[1]
    return staffing


def _demo_finance(rng: random.Random, project: Project, manager: Any, accountant: Any,
                  people: dict[str, Any], start: dt.date, status: dt.date) -> None:
    months = [dt.date(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, 1)
              for k in range(6)]
    build = PlanTask.objects.filter(plan__project=project, summary=False,
                                    milestone=False).order_by("position").first()
    task_uid = build.uid if build else None
    budget = actions.create_budget(actor=accountant, project=project, name="Approved budget",
                                   lines=[{"task_uid": None, "category": category,
                                           "period": month,
                                           "amount": Decimal(rng.randrange(2, 9) * 1000)}
                                          for month in months
                                          for category in ("material", "services", "travel")])
    actions.approve_budget(actor=manager, project=project, number=budget.number,
                           version=budget.version)
    actions.create_budget(actor=accountant, project=project, name="Re-forecast (draft)",
                          lines=[{"task_uid": task_uid, "category": "services",
                                  "period": months[-1], "amount": Decimal(12000)}])
    issued = min(start + dt.timedelta(days=14), status)
    amount = Decimal(rng.randrange(20, 40) * 1000)
    actions.create_order(actor=accountant, project=project, number="PO-1001",
                         supplier="Northwind Consulting", amount=amount, issued=issued,
                         description="Integration specialists, fixed price", task_uid=task_uid)
    first = actions.record_invoice(actor=accountant, project=project, order_number="PO-1001",
                                   number="NW-2231",
                                   amount=(amount * Decimal("0.6")).quantize(TWO),
                                   date=min(issued + dt.timedelta(days=30), status))
    actions.record_invoice(actor=accountant, project=project, order_number="PO-1001",
                           number="NW-2290", amount=(amount * Decimal("0.5")).quantize(TWO),
                           date=status)
    actions.record_expense(actor=accountant, project=project, date=status,
                           amount=Decimal("412.60"), description="Travel to the supplier's site",
                           task_uid=task_uid)
    _demo_payments(rng, project, manager, first, start, status)
    _demo_forecasts(project, manager, accountant, status)
    invest = Decimal(rng.randrange(250, 450) * 1000)
    actions.set_cash_flows(actor=manager, project=project, flows=[
        {"period": 0, "costs": invest, "benefits": Decimal(0)},
        {"period": 1, "costs": Decimal(40000), "benefits": Decimal(120000)},
        {"period": 2, "costs": Decimal(40000), "benefits": Decimal(240000)},
        {"period": 3, "costs": Decimal(40000), "benefits": Decimal(280000)},
        {"period": 4, "costs": Decimal(40000), "benefits": Decimal(280000)}])


def _demo_payments(rng: random.Random, project: Project, manager: Any, first: Any,
                   start: dt.date, status: dt.date) -> None:
    """Northwind's first invoice paid but for a retention; a second order for hardware whose
    first invoice is paid in full (after a transfer to the wrong account was reversed) and
    whose latest invoice is unpaid.  Northwind's invoice above its order awaits approval."""
    def pay(invoice: Any, days: int, share: str, reference: str) -> Any:
        return actions.record_payment(
            actor=manager, project=project, invoice_id=invoice.pk,
            date=min(invoice.date + dt.timedelta(days=days), status),
            amount=(invoice.amount * Decimal(share)).quantize(TWO), reference=reference)

    bank = rng.randrange(40000, 90000)
    pay(first, 14, "0.5", f"BT-{bank}")
    pay(first, 40, "0.3", f"BT-{bank + 37}")  # 20 % retained until acceptance
    issued = min(start + dt.timedelta(days=21), status)
    amount = Decimal(rng.randrange(6, 15) * 1000)
    actions.create_order(actor=manager, project=project, number="PO-1002",
                         supplier="Contoso Hardware", amount=amount, issued=issued,
                         category="material", description="Test devices and racks")
    delivered = actions.record_invoice(actor=manager, project=project, order_number="PO-1002",
                                       number="CH-501",
                                       amount=(amount * Decimal("0.7")).quantize(TWO),
                                       date=min(issued + dt.timedelta(days=20), status))
    wrong = pay(delivered, 25, "1", f"BT-{bank + 52}")
    actions.reverse_payment(actor=manager, project=project, payment_id=wrong.pk,
                            date=min(wrong.date + dt.timedelta(days=3), status),
                            reason="Sent to the supplier's old bank account; returned")
    pay(delivered, 30, "1", f"BT-{bank + 58}")
    actions.record_invoice(actor=manager, project=project, order_number="PO-1002",
                           number="CH-517", amount=(amount * Decimal("0.2")).quantize(TWO),
                           date=max(issued, status - dt.timedelta(days=5)))
    # A change order adds two spare devices; the first project then closes the order, the
    # spares not being needed after all, which releases what it did not invoice.
    order = PurchaseOrder.objects.get(project=project, number="PO-1002")
    order = actions.amend_order(
        actor=manager, project=project, order_id=order.pk, version=order.version,
        changes={"amount": amount + 2000,
                 "description": "Test devices and racks, and two spare devices"},
        reason="Change order 1: two spare devices for the test lab")
    if not PurchaseOrder.objects.filter(closed_on__isnull=False).exists():
        actions.close_order(actor=manager, project=project, order_id=order.pk,
                            version=order.version, date=status,
                            reason="Delivered in full; the spare devices are not needed")


def _demo_forecasts(project: Project, manager: Any, accountant: Any, status: dt.date) -> None:
    """The project's estimate to complete a month ago (the plan holds) and now (a little
    above the calculated EAC), and one for its last phase."""
    from django.db.models import Sum

    from .cashflow import planned_by_month
    from .models import ActualCost
    from .queries import earned_value

    def actual(day: dt.date) -> Decimal:
        return ActualCost.objects.filter(project=project, date__lte=day) \
            .aggregate(s=Sum("amount"))["s"] or Decimal(0)

    ev = earned_value(project, history=False)
    if ev is not None:
        bac, eac = ev.figures["bac"], ev.figures["eac"]
    else:
        bac = eac = sum(planned_by_month(project)[0].values(), Decimal(0))
    earlier = status - dt.timedelta(days=28)
    hundred = Decimal(100)
    actions.enter_forecast(actor=accountant, project=project, as_of=earlier,
                           etc=max(Decimal(0), bac - actual(earlier)).quantize(hundred),
                           basis="Remaining budget: the plan holds")
    actions.enter_forecast(actor=manager, project=project, as_of=status,
                           etc=max(Decimal(0), (eac - actual(status)) * Decimal("1.02"))
                           .quantize(hundred),
                           basis="Integration runs late: two more weeks of the supplier's team")
    elements = [e for e in (ev.elements if ev else []) if e["level"] == 1 and e["ev"] < e["bac"]]
    if elements:
        last = elements[-1]
        actions.enter_forecast(actor=manager, project=project, task_uid=last["uid"],
                               as_of=status,
                               etc=((last["bac"] - last["ev"]) * Decimal("1.1")).quantize(hundred),
                               basis="Bottom-up estimate with the team")


def _months_back(today: dt.date, first: dt.date) -> list[dt.date]:
    """Month-end-ish days from ``first`` up to ``today``, about a month apart."""
    days, day = [], first
    while day <= today:
        days.append(day)
        day += dt.timedelta(days=30)
    return days


def demo_benefits(rng: random.Random, project: Project, manager: Any, accountant: Any,
                  people: dict[str, Any], today: dt.date) -> None:
    """Three or four benefits of different types: one on track, one behind its trajectory,
    one realised (and on some projects a qualitative one), each measured monthly."""
    from projectoffice.registers import actions as registers

    from .registers import BENEFITS

    owner = people.get("exec") or manager
    go_live = (PlanTask.objects.filter(plan__project=project, milestone=True)
               .order_by("position").values_list("uid", flat=True).last())
    day = dt.timedelta(days=1)
    # (title, type, measure, unit, baseline, target, start ago, full ahead, annual value,
    #  how the readings go: "on", "behind" or "done", description)
    plans: list[tuple[Any, ...]] = [
        ("Lower operating cost", "cash_releasing", "Cost per transaction", project.currency,
         Decimal("4.20"), Decimal("3.10"), 180, 180, 180000, "on",
         "Self-service and automated matching take manual handling out of each "
         "transaction; the saving is released from the operations budget."),
        ("Faster month-end close", "non_cash_releasing", "Working days to close the month",
         "days", Decimal(8), Decimal(4), 210, 90, 60000, "behind",
         "Finance staff time freed for analysis instead of reconciliations."),
        ("Fewer customer complaints", "quantitative", "Complaints a month", "complaints",
         Decimal(120), Decimal(80), 300, -30, 0, "done",
         "Clearer statements and faster answers should cut complaints by a third."),
    ]
    if rng.random() < 0.5:
        plans.append(("Better informed decisions", "qualitative", "Board survey", "", None,
                      None, 0, 240, 0, "", "Managers say the new reports let them decide "
                                           "without asking for extra analysis."))
    for (title, kind, measure, unit, baseline, target, ago, ahead, value, course,
         text) in plans:
        begins = today - ago * day
        based = begins - 60 * day
        item: Any = registers.create_item(
            actor=manager, spec=BENEFITS, project=project, today=based, data={
                "title": title, "description": text, "owner": owner, "benefit_type": kind,
                "measure": measure, "unit": unit, "baseline_value": baseline,
                "baseline_date": based if baseline is not None else None,
                "target_value": target,
                "realisation_start": begins if baseline is not None else None,
                "full_realisation": today + ahead * day, "due_date": today + ahead * day,
                "annual_value": Decimal(value),
                "milestone_uid": go_live if course == "on" else None})
        if baseline is None or target is None:
            continue
        item = registers.transition_item(actor=manager, item=item, transition="plan",
                                         version=item.version, today=based)
        item = registers.transition_item(actor=manager, item=item, transition="start",
                                         version=item.version, today=begins)
        full = today + ahead * day
        for n, when in enumerate(_months_back(today, begins + 20 * day)):
            share = Decimal((when - begins).days) / Decimal(max((full - begins).days, 1))
            share = min(share, Decimal(1))
            if course == "behind":
                share = share * Decimal("0.45")
            elif course == "done":
                share = min(Decimal("1.05"), share * Decimal("1.1"))
            noise = Decimal(rng.randrange(-3, 4)) / 100
            reading = baseline + (target - baseline) * (share + noise if share else share)
            actions.record_measurement(
                actor=accountant, benefit=item, measured_on=when,
                value=reading.quantize(Decimal("0.01")), today=today,
                note="Quarterly review figure" if n % 3 == 2 else "")
        if course == "done":
            registers.transition_item(actor=manager, item=item, transition="realise",
                                      version=item.version, today=today)


def demo_ev_methods(project: Project, accountant: Any) -> None:
    """Earned value methods other than physical % complete: the first phase with milestones
    earns by weighted milestones, the last work task of another phase by 50/50."""
    tasks = list(PlanTask.objects.filter(plan__project=project).order_by("position"))
    phases: list[tuple[PlanTask, list[PlanTask]]] = []
    for task in tasks:
        if task.outline_level == 1:
            phases.append((task, []))
        elif phases:
            phases[-1][1].append(task)
    weighted = None
    # A later phase: the first one is often all the work done so far.
    for phase, below in phases[1:] + phases[:1]:
        milestones = [t for t in below if t.milestone]
        if phase.summary and milestones and any(not t.milestone for t in below):
            share = 100 // len(milestones)
            weights = {str(m.uid): share for m in milestones}
            weights[str(milestones[-1].uid)] += 100 - share * len(milestones)
            actions.set_ev_method(actor=accountant, project=project, task_uid=phase.uid,
                                  method="weighted_milestones", milestone_weights=weights)
            weighted = phase
            break
    for phase, below in reversed(phases):
        work = [t for t in below if not t.summary and not t.milestone]
        if phase != weighted and work:
            actions.set_ev_method(actor=accountant, project=project, task_uid=work[-1].uid,
                                  method="50/50")
            break


def demo_week_in_progress(rng: random.Random, project: Project, people: dict[str, Any],
                          today: dt.date) -> None:
    """Last week as the submission status page shows it: one person has saved a draft, the
    others with work under way have not started theirs."""
    from projectoffice.timesheets.models import Timesheet

    monday = today - dt.timedelta(days=today.weekday() + 7)
    team = [people[u] for u in TEAM if u in people]
    free = [u for u in team if not Timesheet.objects.filter(project=project, person=u,
                                                            week_start=monday).exists()]
    if free:
        user = rng.choice(free)
        timesheets.save_timesheet(actor=user, project=project, week_start=monday, version=None,
                                  lines=[{"time_code": "admin",
                                          "hours": ["2", "1", "0", "0", "0", "0", "0"]}])


def demo_exchange_rates(pmo: Any, today: dt.date) -> None:
    """The rates the PMO keeps for roll-ups over projects in euros and dollars."""
    for pair, rates in ((("EUR", "GBP"), (("0.8600", 400), ("0.8450", 90))),
                        (("USD", "GBP"), (("0.7900", 400), ("0.7750", 90)))):
        for rate, days_ago in rates:
            actions.set_exchange_rate(actor=pmo, from_currency=pair[0], to_currency=pair[1],
                                      rate=Decimal(rate),
                                      effective_from=today - dt.timedelta(days=days_ago))
