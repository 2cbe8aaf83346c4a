"""Pages of the testing service: runs (new, imported from JUnit XML, executed case by case)
and the traceability matrix. Each view calls an action or a query and renders."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from projectoffice.errors import OfficeError
from projectoffice.http import AuthedRequest
from projectoffice.portfolio.access import project_operation, project_permissions
from projectoffice.portfolio.models import Project
from projectoffice.registers.views import item_or_404, item_url
from projectoffice.web.shortcuts import errors_to_form, flash_errors, office_view

from . import actions, charts, queries
from .models import Result, TestCase, TestExecution, TestPlan, TestRun
from .registers import SERVICE, TEST_CASES

NAV = {"nav_service": SERVICE}


def _plans(project: Project) -> Any:
    return TestPlan.objects.filter(project=project).exclude(
        status__in=("complete", "cancelled")).order_by("number")


class RunForm(forms.Form):
    name = forms.CharField(max_length=200)
    build = forms.CharField(label="Build or release", max_length=100, required=False)
    environment = forms.CharField(max_length=100, required=False)
    test_plan = forms.ModelChoiceField(queryset=TestPlan.objects.none(), required=False)


class JUnitForm(forms.Form):
    file = forms.FileField(label="JUnit XML file")
    run = forms.CharField(label="Run name", max_length=200, required=False,
                          help_text="The file's name if left empty")
    build = forms.CharField(label="Build or release", max_length=100, required=False)
    test_plan = forms.ModelChoiceField(queryset=TestPlan.objects.none(), required=False)
    raise_defects = forms.BooleanField(label="Raise a defect for each failure",
                                       required=False)


def _bind(form_class: Any, project: Project, *args: Any) -> Any:
    form = form_class(*args)
    form.fields["test_plan"].queryset = _plans(project)
    form.fields["test_plan"].label_from_instance = lambda p: f"{p.reference} {p.title}"
    return form


def _run_rows(project: Project) -> list[tuple[TestRun, queries.RunFigures]]:
    return [(run, queries.run_figures(run)) for run in queries.runs_of(project)[:50]]


@login_required
@office_view
@project_operation("testcase.view")
def runs(request: AuthedRequest, project: Project) -> HttpResponse:
    perms = project_permissions(request.user, project)
    run_form, junit_form = _bind(RunForm, project), _bind(JUnitForm, project)
    if request.method == "POST":
        if request.POST.get("form") == "junit":
            junit_form = _bind(JUnitForm, project, request.POST, request.FILES)
            if junit_form.is_valid():
                data = junit_form.cleaned_data
                upload = data["file"]
                try:
                    done = actions.import_junit(
                        actor=request.user, project=project, data=upload.read(),
                        filename=upload.name or "results.xml", run_name=data["run"],
                        build=data["build"], test_plan=data["test_plan"],
                        raise_defects=data["raise_defects"])
                except OfficeError as exc:
                    errors_to_form(junit_form, exc)
                else:
                    messages.success(request, f"Imported {done.executed} results "
                                     f"({done.failed} failed); {done.created_cases} new "
                                     "test cases.")
                    return redirect("assurance-run", project.code, done.run.pk)
        else:
            run_form = _bind(RunForm, project, request.POST)
            if run_form.is_valid():
                try:
                    run = actions.create_run(actor=request.user, project=project,
                                             **run_form.cleaned_data)
                except OfficeError as exc:
                    errors_to_form(run_form, exc)
                else:
                    return redirect("assurance-run", project.code, run.pk)
    return render(request, "assurance/runs.html", {
        "project": project, "perms": perms, "rows": _run_rows(project),
        "run_form": run_form, "junit_form": junit_form, **NAV})


def _run(project: Project, run_id: int) -> TestRun:
    return get_object_or_404(TestRun.objects.select_related("test_plan"), project=project,
                             pk=run_id)


@login_required
@office_view
@project_operation("testcase.view")
def run_detail(request: AuthedRequest, project: Project, run_id: int) -> HttpResponse:
    run = _run(project, run_id)
    perms = project_permissions(request.user, project)
    executions = (TestExecution.objects.filter(run=run)
                  .select_related("case", "tester", "defect").order_by("-id"))
    latest = set(queries.latest_executions(TestExecution.objects.filter(run=run))
                 .values_list("id", flat=True))
    figures = queries.run_figures(run)
    planned = (TestCase.objects.filter(test_plan=run.test_plan).exclude(status="retired")
               .count() if run.test_plan else figures.cases)
    executed = {e.case_id for e in executions}
    to_run = (TestCase.objects.filter(project=project).exclude(status="retired")
              .exclude(pk__in=executed).order_by("number"))
    if run.test_plan:
        to_run = to_run.filter(test_plan=run.test_plan)
    return render(request, "assurance/run.html", {
        "project": project, "perms": perms, "run": run, "figures": figures,
        "executions": [(e, e.pk in latest) for e in executions[:500]],
        "more": max(0, figures.executions - 500), "to_run": to_run[:200],
        "burn_up": charts.burn_up_svg(queries.burn_up(TestExecution.objects.filter(run=run)),
                                      planned, f"Burn-up · {run.name}"),
        **NAV})


class StepForm(forms.Form):
    result = forms.ChoiceField(choices=Result.choices)
    note = forms.CharField(max_length=2000, required=False, label="Observed")


class ExecuteForm(forms.Form):
    result = forms.ChoiceField(choices=Result.choices, required=False,
                               help_text="For a case without steps")
    message = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=10000, required=False)
    severity = forms.ChoiceField(choices=[("low", "Low"), ("medium", "Medium"),
                                          ("high", "High"), ("critical", "Critical")],
                                 initial="medium", label="Defect severity if it fails")
    evidence = forms.FileField(required=False, label="Evidence (screenshot, log…)")


@login_required
@office_view
@project_operation("testing.manage")
def execute(request: AuthedRequest, project: Project, run_id: int, ref: str) -> HttpResponse:
    run = _run(project, run_id)
    case = item_or_404(TEST_CASES, project, ref, request.user)
    assert isinstance(case, TestCase)
    steps = list(case.steps.all())
    data = request.POST if request.method == "POST" else None
    step_forms = [StepForm(data, prefix=f"step-{s.position}", initial={"result": "passed"})
                  for s in steps]
    form = ExecuteForm(data, request.FILES if data else None)
    if data is not None and form.is_valid() and all(f.is_valid() for f in step_forms):
        try:
            execution = actions.record_execution(
                actor=request.user, run=run, case=case,
                steps=[actions.StepOutcome(f.cleaned_data["result"], f.cleaned_data["note"])
                       for f in step_forms],
                result=form.cleaned_data["result"] or None,
                message=form.cleaned_data["message"], severity=form.cleaned_data["severity"],
                evidence=form.cleaned_data["evidence"])
        except OfficeError as exc:
            errors_to_form(form, exc)
        else:
            text = f"{case.reference} {execution.get_result_display().lower()}"
            if execution.defect:
                text += f"; defect {execution.defect.reference} raised in the issue log"
            messages.success(request, text + ".")
            return redirect("assurance-run", project.code, run.pk)
    previous = TestExecution.objects.filter(case=case).select_related("run", "defect") \
        .order_by("-id").first()
    return render(request, "assurance/execute.html", {
        "project": project, "run": run, "case": case, "form": form, "previous": previous,
        "steps": list(zip(steps, step_forms, strict=True)), "case_url": item_url(case), **NAV})


@login_required
@require_POST
@office_view
@project_operation("testcase.change")
def case_steps(request: AuthedRequest, project: Project, ref: str) -> HttpResponse:
    case = item_or_404(TEST_CASES, project, ref, request.user)
    actions_text = request.POST.getlist("action")
    expected = request.POST.getlist("expected")
    steps = [(a, e) for a, e in zip(actions_text, expected, strict=False)
             if a.strip() or e.strip()]
    with flash_errors(request):
        actions.set_case_steps(actor=request.user, case=case,  # type: ignore[arg-type]
                               version=int(request.POST.get("version") or 0), steps=steps)
        messages.success(request, f"Steps of {case.reference} saved.")
    return redirect(item_url(case) + "#steps")


@login_required
@office_view
@project_operation("requirement.view")
def matrix(request: AuthedRequest, project: Project) -> HttpResponse:
    found = queries.traceability(project)
    gaps = request.GET.get("gaps") == "1"
    rows = [r for r in found.rows if r.untested] if gaps else found.rows
    return render(request, "assurance/matrix.html", {
        "project": project, "matrix": found, "rows": rows, "gaps": gaps,
        "perms": project_permissions(request.user, project), **NAV})


@login_required
@office_view
@project_operation("requirement.view")
def matrix_csv(request: AuthedRequest, project: Project) -> HttpResponse:
    return matrix_csv_response(project)


def matrix_csv_response(project: Project) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{project.code}-traceability.csv"')
    writer = csv.writer(response)
    writer.writerows(queries.matrix_csv_rows(queries.traceability(project)))
    return response

