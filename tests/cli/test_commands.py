from __future__ import annotations

import datetime as dt

import pytest

from projectoffice.accounts.models import User
from projectoffice.accounts.roles import ProjectRole
from projectoffice.cli import main
from projectoffice.controls.models import Action, Issue
from projectoffice.demo import DEMO_PASSWORD, PROJECT_TEMPLATES, load_demo
from projectoffice.portfolio.models import Membership, Programme, Project


@pytest.mark.django_db
def test_createuser_non_interactive(capsys):
    assert main(["createuser", "zoe", "--password", "a-long-passphrase-7", "--name", "Zoë",
                 "--role", "pmo_staff"]) == 0
    user = User.objects.get(username="zoe")
    assert user.global_role == "pmo_staff" and user.check_password("a-long-passphrase-7")
    assert main(["createuser", "zoe", "--password", "a-long-passphrase-7"]) == 2
    assert "taken" in capsys.readouterr().err
    assert main(["createuser", "weak", "--password", "123"]) == 2


@pytest.mark.django_db
def test_check_reports_database(capsys):
    assert main(["check"]) == 0
    assert "Migrations: up to date" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_portfolio_fills_every_role_and_register():
    logins = load_demo(projects=3, progress=False)
    assert logins.password == DEMO_PASSWORD
    assert Project.objects.count() == 3 and Programme.objects.count() == 3
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(ProjectRole.values)
    assert Issue.objects.count() >= 18 and Action.objects.count() >= 24
    assert Issue.objects.exclude(status="open").exists()
    assert Action.objects.filter(status="done").exists()
    user = User.objects.get(username="alice")
    assert user.check_password(DEMO_PASSWORD)
    # Saved reports: shared with the office and a project, one e-mailed on a schedule, each
    # of which runs.
    from projectoffice.reportbuilder.models import SavedReport
    from projectoffice.reportbuilder.queries import run_report

    saved = list(SavedReport.objects.order_by("pk"))
    assert {r.scope for r in saved} == {"office", "project"}
    assert any(r.schedule for r in saved)
    assert all(run_report(r.owner, r).count for r in saved), [r.name for r in saved]
    # Documents with versions in every review state; meetings with minutes and actions.
    from projectoffice.documents.models import DocumentVersion, VersionState
    from projectoffice.meetings.models import Meeting

    states = set(DocumentVersion.objects.values_list("state", flat=True))
    assert states == set(VersionState.values)
    held = Meeting.objects.exclude(minutes="").filter(minutes_issued_at__isnull=False)
    assert held.exists() and all(m.actions.exists() and m.decisions.exists() for m in held)
    # Plans with a task calendar and reporting periods for the milestone trend.
    from projectoffice.planning.models import MilestoneSnapshot, PlanCalendar, PlanTask

    assert PlanCalendar.objects.filter(name__startswith="Six-day week").exists()
    assert PlanTask.objects.filter(calendar_uid=2, name__endswith="data migration").exists()
    assert MilestoneSnapshot.objects.values("status_date").distinct().count() >= 2
    # Building the demo made hundreds of task assignments: only the newest few are unread.
    from projectoffice.registers.models import Notification

    for username in ("omar", "dan", "paula"):
        assert Notification.objects.filter(recipient__username=username, kind="task",
                                            read_at__isnull=True).count() <= 3
    # The team member of the README has a working week to fill, with one day of leave.
    from projectoffice.people.models import Absence

    omar_this_week = Absence.objects.filter(
        person__username="omar", status="approved",
        start__lte=dt.date.today() + dt.timedelta(days=6 - dt.date.today().weekday()),
        end__gte=dt.date.today() - dt.timedelta(days=dt.date.today().weekday()))
    assert sum(a.days for a in omar_this_week) == 1
    # The demo calendars carry public holidays: no task works on Christmas Day.
    for calendar in PlanCalendar.objects.all():
        names = {e["start"][5:]: e["name"] for e in calendar.exceptions}
        assert names.get("12-25") == "Christmas Day", calendar.name
    for task in PlanTask.objects.filter(summary=False, milestone=False, start__isnull=False):
        christmases = {dt.date(y, 12, 25) for y in range(task.start.year, task.finish.year + 1)}
        assert all(not (task.start.date() == day or task.finish.date() == day)
                   for day in christmases), task
    # A second load does not duplicate the portfolio.
    load_demo(projects=3, progress=False)
    assert Project.objects.count() == 3


@pytest.mark.django_db
def test_large_demo_names_projects_uniquely():
    load_demo(projects=10, progress=False)
    codes = list(Project.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 10
    # Change requests in every state, one applied with its baseline, assessments that move
    # milestones; internal dependencies linked to a task of the other plan.
    from projectoffice.controls.models import ChangeRequest, Dependency
    from projectoffice.controls.workflows import CHANGE_WORKFLOW
    from projectoffice.planning.models import Baseline

    changes = list(ChangeRequest.objects.all())
    assert {c.status for c in changes} == {s.key for s in CHANGE_WORKFLOW.states}
    applied = [c for c in changes if c.status == "applied" and c.baseline_number]
    assert applied and all(Baseline.objects.filter(
        plan__project=c.project, number=c.baseline_number, name__startswith=c.reference)
        for c in applied)
    assert any(m["days"] for c in changes if c.impact for m in c.impact["milestones"])
    # The story projects' internal dependencies are each linked to a task of the other plan
    # (the bulk copies beyond the eight stories keep their dependencies unlinked).
    stories = [t[0] for t in PROJECT_TEMPLATES]
    internal = Dependency.objects.filter(dependency_type="internal", project__code__in=stories)
    assert internal.count() >= len(stories) - 1  # each story but the CRM depends on it
    assert not internal.filter(other_task__isnull=True).exists()


def test_pmo_schedule_runs_through_the_real_entry_point(tmp_path, capsys):
    import json
    import subprocess
    import sys

    from tests.formats.mspdi_samples import document

    plan = tmp_path / "plan.xml"
    plan.write_bytes(document())
    result = subprocess.run([sys.executable, "-m", "projectoffice.cli", "schedule", str(plan),
                             "--json"], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    schedule = json.loads(result.stdout)
    assert set(schedule) == {"project", "tasks"} and schedule["tasks"]
    broken = tmp_path / "broken.xml"
    broken.write_text("<Project><Tasks><Task>")
    failed = subprocess.run([sys.executable, "-m", "projectoffice.cli", "schedule", str(broken)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1


def test_serve_says_where_mail_goes_and_the_demo_sign_ins_last(settings, tmp_path):
    from projectoffice.cli import _demo_sign_ins_file, _serve_banner
    from projectoffice.mail import OUTBOX_BACKEND

    settings.DATA_DIR = tmp_path
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    assert _serve_banner("127.0.0.1", 8080).splitlines() == [
        "Project Office is serving on http://127.0.0.1:8080/",
        "Mail: no mail server is configured (PMO_EMAIL_HOST): e-mail is kept in the office's "
        "Outbox, readable by the Project Office manager."]
    database = settings.DATABASES["default"]["NAME"]
    _demo_sign_ins_file(settings).write_text(f"{database}\nSign in with:\n  alice  PM\n")
    assert _serve_banner("127.0.0.1", 8080).endswith("\n\nSign in with:\n  alice  PM")
    # Sign-ins written for another database are not shown.
    _demo_sign_ins_file(settings).write_text("elsewhere\nSign in with:\n  alice  PM\n")
    assert "Sign in" not in _serve_banner("127.0.0.1", 8080)
