"""Pages: a plan's schedule health and schedule risk, the roll-up across plans, the
thresholds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.controls.models import Risk
from projectoffice.errors import InvalidInput, OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import (
    object_operation,
    project_operation,
    project_permissions,
    projects_with,
    require_perm,
)
from projectoffice.portfolio.models import Project
from projectoffice.portfolio.settings_page import office_settings_page
from projectoffice.web.shortcuts import office_view

from . import actions, charts, queries
from .models import THRESHOLD_FIELDS, RunStatus, ScheduleHealthThresholds, SimulationRun

CHECK_KEYS = ("logic", "leads", "lags", "relationship_types", "hard_constraints",
              "high_float", "negative_float", "high_duration", "invalid_dates", "resources",
              "missed_tasks", "critical_path_test", "cpli", "bei")
SHORT = {"logic": "Logic", "leads": "Leads", "lags": "Lags", "relationship_types": "Rel.",
         "hard_constraints": "Constr.", "high_float": "Float+", "negative_float": "Float−",
         "high_duration": "Dur.", "invalid_dates": "Dates", "resources": "Res.",
         "missed_tasks": "Missed", "critical_path_test": "CPT", "cpli": "CPLI", "bei": "BEI"}


@login_required
@office_view
@project_operation("plan.view")
def health_page(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    inputs = queries.plan_inputs(project)
    assessment = queries.assess(project, inputs) if inputs else None
    records = queries.health_records(project)
    return render(request, "schedulerisk/health.html", {
        "project": project, "perms": perms, "plan": inputs.plan if inputs else None,
        "assessment": assessment,
        "checks": queries.check_rows(assessment, inputs) if assessment and inputs else [],
        "records": records, "trend_svg": charts.health_trend_svg(records) if records else "",
        "trend_rows": [(r, [next((c["passed"] for c in r.checks if c["key"] == key), None)
                            for key in CHECK_KEYS]) for r in records],
        "short": [SHORT[k] for k in CHECK_KEYS],
        "may_edit": "plan.edit" in perms})


@login_required
@office_view
@require_POST
@object_operation("plan.edit")  # the action checks it, and reports a refusal on the page
def record_health(request: AuthedRequest, code: str) -> HttpResponse:
    try:
        record = actions.record_schedule_health(actor=request.user, code=code,
                                                today=timezone.localdate())
        messages.success(request, f"Schedule health recorded at {record.status_date:%-d %b %Y}.")
    except OfficeError as exc:
        messages.error(request, exc.message)
    return redirect("schedule-health", code=code)


@login_required
@office_view
def rollup_page(request: AuthedRequest) -> HttpResponse:
    projects = list(projects_with(request.user, "plan.view").order_by("code"))
    rows = []
    for r in queries.rollup(projects):
        if r["assessment"] is None:
            continue
        rows.append({**r, "cells": [r["checks"].get(k) for k in CHECK_KEYS]})
    failing = {k: sum(1 for r in rows if r["checks"].get(k) is False) for k in CHECK_KEYS}
    return render(request, "schedulerisk/rollup.html", {
        "rows": rows, "heads": [(SHORT[k], failing[k]) for k in CHECK_KEYS],
        "names": {k: SHORT[k] for k in CHECK_KEYS}})


class ThresholdsForm(forms.ModelForm[ScheduleHealthThresholds]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ScheduleHealthThresholds
        fields = THRESHOLD_FIELDS


@login_required
@office_view
def thresholds_page(request: AuthedRequest) -> HttpResponse:
    return office_settings_page(
        request, load=queries.thresholds_row, form_class=ThresholdsForm, fields=THRESHOLD_FIELDS,
        save=actions.update_schedule_health_thresholds,
        saved="Schedule health thresholds saved.", url_name="schedule-health-thresholds",
        template="schedulerisk/thresholds.html")


# ---- schedule risk ------------------------------------------------------------------------


def _run_context(project: Any, run: SimulationRun | None,
                 runs: list[SimulationRun], sees_cost: bool = False) -> dict[str, Any]:
    if run is None or run.status != RunStatus.DONE:
        return {}
    results = run.results
    cost = results.get("cost") if sees_cost else None
    earlier = [r for r in runs if r.number < run.number and r.status == RunStatus.DONE]
    previous = earlier[0] if earlier else None
    curves = [(f"Run {run.number}", results)]
    if previous is not None:
        curves.append((f"Run {previous.number}", previous.results))
    milestones = []
    for m in results.get("milestones", []):
        p80 = m["p80"][:10]
        reference = (m["baseline"] or m["deterministic"])[:10]
        milestones.append({**m, "slips": p80 > reference,
                           "slip_days": queries.days_between(
                               _dt(reference), _dt(p80))})
    return {
        "results": results, "previous": previous,
        "histogram_svg": charts.histogram_svg(results),
        "scurve_svg": charts.scurve_svg(curves),
        "tornado_svg": charts.tornado_svg(results.get("drivers", [])),
        "cost": cost, "cost_svg": charts.cost_svg(cost) if cost else "",
        "milestones": milestones,
        "on_time_percent": round(100 * results.get("probability_on_time", 0)),
        "deltas": None if previous is None else {
            q: queries.days_between(getattr(previous, q), getattr(run, q))
            for q in ("p50", "p80", "p90")},
    }


def _dt(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@login_required
@office_view
@project_operation("plan.view")
def risk_page(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    runs = queries.runs_of(project)
    raw = request.GET.get("run", "")
    run = next((r for r in runs if str(r.number) == raw), None) if raw.isdigit() else None
    if run is None:
        run = next((r for r in runs if r.status == RunStatus.DONE), runs[0] if runs else None)
    active = [r for r in runs if r.status in (RunStatus.QUEUED, RunStatus.RUNNING)]
    inputs = queries.plan_inputs(project)
    model = queries.risk_model(project, inputs) if inputs else None
    return render(request, "schedulerisk/risk.html", {
        "project": project, "perms": perms, "runs": runs, "run": run, "active": active,
        "may_edit": "plan.edit" in perms, "has_plan": inputs is not None,
        "model_counts": {"estimates": len(model.estimates) if model else 0,
                         "classes": sum(1 for g in model.groups if g.uids) if model else 0,
                         "events": len(model.events) if model else 0},
        **_run_context(project, run, runs, "cost.view" in perms)})


@login_required
@office_view
@require_POST
@object_operation("plan.edit")  # the action checks it, and reports a refusal on the page
def start_run(request: AuthedRequest, code: str) -> HttpResponse:
    raw_iterations = request.POST.get("iterations", "")
    raw_seed = request.POST.get("seed", "").strip()
    try:
        if not raw_iterations.strip().isdigit():
            raise InvalidInput.field("iterations", "a whole number of iterations")
        if raw_seed and not raw_seed.isdigit():
            raise InvalidInput.field("seed", "a whole number from 0")
        run = actions.start_risk_run(actor=request.user, code=code,
                                     iterations=int(raw_iterations),
                                     seed=int(raw_seed) if raw_seed else None,
                                     note=request.POST.get("note", ""))
    except OfficeError as exc:
        messages.error(request, exc.message)
        return redirect("schedule-risk", code=code)
    messages.success(request, f"Run {run.number} started.")
    return redirect(f"{_url(code)}?run={run.number}")


def _url(code: str) -> str:
    return reverse("schedule-risk", kwargs={"code": code})


@login_required
@office_view
@project_operation("plan.view")
def run_progress(request: AuthedRequest, project: Project, number: int) -> HttpResponse:
    """The progress bar of a running run (polled); once done the page reloads itself."""
    run = SimulationRun.objects.filter(project=project, number=number).first()
    if run is None:
        return HttpResponse(status=404)
    response = render(request, "schedulerisk/_progress.html", {"project": project, "r": run})
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        response["HX-Redirect"] = f"{_url(project.code)}?run={run.number}"
    return response


@login_required
@office_view
@project_operation("plan.view")
def estimates_page(request: AuthedRequest, project: Project) -> HttpResponse:
    """Three-point estimates per task, risk classes and risk events: shown to everyone who
    sees the plan, edited by those who may edit it."""
    perms = project_permissions(request.user, project)
    may_edit = "plan.edit" in perms
    errors: dict[str, list[str]] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        require_perm(request.user, project, "plan.edit")
        current = actions.model_as_input(project)
        part = request.POST.get("part", "")
        try:
            model = _changed_model(current, part, request.POST)
            actions.save_risk_model(actor=request.user, code=project.code, **model)
            messages.success(request, "Risk model saved.")
            return redirect("schedule-risk-estimates", code=project.code)
        except InvalidInput as exc:
            errors = exc.errors or {"__all__": [exc.message]}
            posted = {k: str(v) for k, v in request.POST.items()}
            messages.error(request, "Nothing was saved: see the messages at the fields.")
    inputs = queries.plan_inputs(project)
    model = actions.model_as_input(project)
    estimates = {e["uid"]: e for e in model["estimates"]}
    per_day = (inputs.plan.minutes_per_day or 480) if inputs else 480
    rows = []
    for task in (inputs.leaves if inputs else []):
        if task.milestone:
            continue
        e = estimates.get(task.uid, {})
        key = f"estimates[{task.uid}]"
        rows.append({
            "task": task, "days": round(task.duration / per_day, 2),
            "min": posted.get(f"min-{task.uid}", e.get("min") or ""),
            "most_likely": posted.get(f"ml-{task.uid}", e.get("most_likely") or ""),
            "max": posted.get(f"max-{task.uid}", e.get("max") or ""),
            "risk_class": posted.get(f"class-{task.uid}", e.get("risk_class", "")),
            "errors": {f: errors.get(f"{key}.{f}", []) for f in
                       ("min", "most_likely", "max", "risk_class", "uid")},
        })
    risks = list(Risk.objects.filter(project=project).order_by("number"))
    names = {t.uid: t for t in (inputs.leaves if inputs else [])}
    events = [{**ev, "task": names.get(ev["task_uid"]),
               "risk_obj": next((r for r in risks if r.reference == ev["risk"]), None)}
              for ev in model["events"]]
    return render(request, "schedulerisk/estimates.html", {
        "project": project, "perms": perms, "may_edit": may_edit, "rows": rows,
        "classes": model["classes"], "events": events, "risks": risks,
        "tasks": [t for t in names.values()], "errors": errors, "posted": posted,
        "class_errors": _new_row_errors(errors, f"classes[{len(model['classes'])}]"),
        "event_errors": _new_row_errors(errors, f"events[{len(model['events'])}]"),
        "general_errors": [f"{_label(k)}: {x}" for k, msgs in errors.items()
                           if not k.startswith(("estimates[", f"classes[{len(model['classes'])}]",
                                                f"events[{len(model['events'])}]"))
                           for x in msgs]})


def _new_row_errors(errors: dict[str, list[str]], prefix: str) -> dict[str, list[str]]:
    return {k[len(prefix) + 1:]: v for k, v in errors.items() if k.startswith(prefix + ".")}


def _label(key: str) -> str:
    """``classes[0].max_percent`` → "New class · max percent" style labels for the list."""
    part, _, field = key.partition(".")
    what = {"classes": "Risk class", "events": "Risk event"}.get(part.split("[")[0], part)
    return f"{what} {field.replace('_', ' ')}".strip()


def _changed_model(current: dict[str, Any], part: str, post: Any) -> dict[str, Any]:
    model = {k: list(v) for k, v in current.items()}
    if part == "estimates":
        uids = [int(u) for u in post.getlist("uid") if u.isdigit()]
        kept = [e for e in model["estimates"] if e["uid"] not in uids]
        for uid in uids:
            values = {f: post.get(f"{p}-{uid}", "").strip()
                      for f, p in (("min", "min"), ("most_likely", "ml"), ("max", "max"))}
            risk_class = post.get(f"class-{uid}", "").strip()
            if any(values.values()) or risk_class:
                kept.append({"uid": uid, **{k: v or None for k, v in values.items()},
                             "risk_class": risk_class})
        model["estimates"] = kept
    elif part == "add-class":
        model["classes"].append({f: post.get(f, "").strip() for f in
                                 ("name", "min_percent", "likely_percent", "max_percent",
                                  "correlation")})
    elif part == "remove-class":
        name = post.get("name", "")
        model["classes"] = [c for c in model["classes"] if c["name"] != name]
        for e in model["estimates"]:
            if e["risk_class"] == name:
                e["risk_class"] = ""
        model["estimates"] = [e for e in model["estimates"]
                              if e["risk_class"] or e["min"] is not None]
    elif part == "add-event":
        uid = post.get("task_uid", "")
        model["events"].append({"risk": post.get("risk", ""),
                                "task_uid": int(uid) if uid.isdigit() else None,
                                "probability": post.get("probability", "").strip(),
                                "impact_days": post.get("impact_days", "").strip()})
    elif part == "remove-event":
        uid = post.get("task_uid", "")
        model["events"] = [e for e in model["events"]
                           if not (e["risk"] == post.get("risk") and str(e["task_uid"]) == uid)]
    else:
        raise InvalidInput.field("part", "unknown change")
    return model
