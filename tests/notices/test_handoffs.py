"""Every hand-off in one table: when work passes from one person to another, the one it
passes to hears of it (a notification of the hand-off's kind) and the one who acted does not.

Each row names the hand-off, how it is triggered, who must be told and the kind. `setup`
prepares the world (its own notifications do not count), `trigger` makes the hand-off and
returns who acted, `told` says who must hear of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projectoffice.controls.registers import DEPENDENCIES
from projectoffice.documents import actions as documents
from projectoffice.facilities.registers import REQUESTS
from projectoffice.people import actions as people
from projectoffice.planning import actions as planning
from projectoffice.planning.models import Plan, PlanTask
from projectoffice.registers import actions as registers
from projectoffice.registers.models import Notification, NotificationKind
from projectoffice.resources import actions as resources
from tests.conftest import Office, make_user
from tests.planning.helpers import build

MONDAY = dt.date(2027, 3, 1)
Ctx = dict[str, Any]


def member(office: Office, role: str) -> Any:
    return office.members[role]


# --- absences --------------------------------------------------------------------------

def with_line_manager(office: Office) -> Ctx:
    tess, lena = member(office, "team_member"), make_user("lena")
    people.update_profile(actor=office.pmo, person=tess, version=1,
                          changes={"line_manager": lena})
    return {"person": tess, "manager": lena}


def leave_request(ctx: Ctx) -> Any:
    return people.record_absence(actor=ctx["person"], person=ctx["person"], kind="leave",
                                 start=MONDAY, end=MONDAY)


def requested_leave(office: Office) -> Ctx:
    ctx = with_line_manager(office)
    ctx["absence"] = leave_request(ctx)
    return ctx


def request_leave(office: Office, ctx: Ctx) -> Any:
    leave_request(ctx)
    return ctx["person"]


def approve_leave(office: Office, ctx: Ctx) -> Any:
    people.approve_absence(actor=ctx["manager"], absence=ctx["absence"], version=1)
    return ctx["manager"]


def refuse_leave(office: Office, ctx: Ctx) -> Any:
    people.refuse_absence(actor=ctx["manager"], absence=ctx["absence"], version=1,
                          reason="Release week")
    return ctx["manager"]


def no_line_manager(office: Office) -> Ctx:
    return {"person": member(office, "team_member")}


# --- documents -------------------------------------------------------------------------

def draft_version(office: Office) -> Ctx:
    v1 = documents.upload_version(actor=office.pm, document=office.document,
                                  upload=SimpleUploadedFile("plan.txt", b"the plan"))
    return {"version": v1}


def send_for_review(office: Office, ctx: Ctx) -> Any:
    documents.submit_for_review(actor=office.pm, doc_version=ctx["version"],
                                reviewers=[member(office, "quality_manager"),
                                           member(office, "testing_manager")],
                                version=ctx["version"].version)
    return office.pm


def version_in_review(office: Office) -> Ctx:
    """Sent for review by the planner (not the document's owner, the PM)."""
    ctx = draft_version(office)
    ctx["version"] = documents.submit_for_review(
        actor=member(office, "planner"), doc_version=ctx["version"],
        reviewers=[member(office, "quality_manager")], version=ctx["version"].version)
    return ctx


def reject_version(office: Office, ctx: Ctx) -> Any:
    reviewer = member(office, "quality_manager")
    documents.decide_review(actor=reviewer, doc_version=ctx["version"], decision="rejected",
                            comment="Section 3 is missing", version=ctx["version"].version)
    return reviewer


# --- change requests -------------------------------------------------------------------

def submitted_change(office: Office, cost: str = "25000") -> Ctx:
    """Requested by the team member, owned by the quality manager, costing more than the
    threshold: the PMO manager decides (the project has no sponsor)."""
    change = office.raid["changes"]
    change = registers.update_item(actor=office.pm, item=change, version=change.version,
                                   changes={"requested_by": member(office, "team_member"),
                                            "owner": member(office, "quality_manager"),
                                            "cost_impact": Decimal(cost), "delay_days": 2})
    change = registers.transition_item(actor=office.pm, item=change, transition="submit",
                                       version=change.version)
    return {"change": change}


def move_change(ctx: Ctx, actor: Any, move: str, comment: str = "") -> Any:
    ctx["change"] = registers.transition_item(actor=actor, item=ctx["change"], transition=move,
                                              version=ctx["change"].version, comment=comment)
    return actor


def assess_change(office: Office, ctx: Ctx) -> Any:
    return move_change(ctx, member(office, "administrator"), "assess")


def assessed_change(office: Office) -> Ctx:
    ctx = submitted_change(office)
    assess_change(office, ctx)
    return ctx


def approved_change(office: Office) -> Ctx:
    ctx = assessed_change(office)
    move_change(ctx, office.pmo, "approve", "Worth it")
    return ctx


def change_people(office: Office, ctx: Ctx) -> list[Any]:
    return [member(office, "team_member"), member(office, "quality_manager"), office.pm]


# --- facility requests, tasks, dependencies, mentions ------------------------------------

def submitted_request(office: Office) -> Ctx:
    item = registers.create_item(actor=office.pm, spec=REQUESTS, project=office.project,
                                 data={"title": "Laptops", "quantity": 2,
                                       "requested_by": member(office, "team_member")})
    item = registers.transition_item(actor=office.pm, item=item, transition="submit",
                                     version=item.version)
    return {"item": item}


def approve_request(office: Office, ctx: Ctx) -> Any:
    actor = member(office, "administrator")
    registers.transition_item(actor=actor, item=ctx["item"], transition="approve",
                              version=ctx["item"].version, comment="Ordered")
    return actor


def planned_task(office: Office) -> Ctx:
    build(office.pm, office.project, [{"name": "Build", "duration": "5d"}])
    dev = resources.create_resource(actor=office.pm, project=office.project, name="Tess",
                                    user=member(office, "team_member"))
    return {"resource": dev}


def assign_task(office: Office, ctx: Ctx) -> Any:
    resources.assign_resource(actor=office.pm, project=office.project,
                              resource_id=ctx["resource"].pk, task_uid=1)
    return office.pm


def dependency_on_time(office: Office) -> Ctx:
    """MTX needs OTHER's "Go live" five days after it is planned, owned by the planner."""
    build(office.outsider, office.other, [{"name": "Build", "duration": "5d"},
                                          {"name": "Go live", "duration": "0d",
                                           "predecessors": "1"}])
    finish = PlanTask.objects.get(plan__project=office.other, name="Go live").finish
    dependency = registers.create_item(
        actor=office.pmo, spec=DEPENDENCIES, project=office.project,
        data={"title": "Their release", "dependency_type": "internal",
              "other_project": office.other, "other_reference": "Go live",
              "owner": member(office, "planner"),
              "needed_by": finish.date() + dt.timedelta(days=5)})
    assert not dependency.late
    return {"dependency": dependency}


def slip_other_plan(office: Office, days: int = 20) -> Any:
    plan = Plan.objects.get(project=office.other)
    build_uid = PlanTask.objects.get(plan=plan, name="Build").uid
    planning.edit_plan(actor=office.outsider, project=office.other, version=plan.version,
                       edits=[{"uid": build_uid, "duration": f"{days}d"}])
    return office.outsider


def mention(office: Office, ctx: Ctx) -> Any:
    registers.add_comment(actor=office.pm, item=office.issue,
                          body="@team_member can you check? cc @outsider and @nobody.")
    return office.pm


def nothing(office: Office) -> Ctx:
    return {}


# --- security ----------------------------------------------------------------------------

def report_incident(office: Office, ctx: Ctx) -> Any:
    from projectoffice.infosec.registers import SECURITY_INCIDENTS

    registers.create_item(actor=member(office, "team_member"), spec=SECURITY_INCIDENTS,
                          project=office.project, data={"title": "Laptop stolen"})
    return member(office, "team_member")


# --- training ----------------------------------------------------------------------------

def training_session(office: Office) -> Ctx:
    from tests.engagement.helpers import engagement_setup
    from tests.training.helpers import training_setup

    return training_setup(office, engagement_setup(office))


def enrol_planner(office: Office, ctx: Ctx) -> Any:
    from projectoffice.training import actions as training

    actor = member(office, "training_manager")
    training.enrol(actor=actor, session=ctx["session"], person=member(office, "planner"))
    return actor


# --- timesheets --------------------------------------------------------------------------

def week_of_time(office: Office) -> Ctx:
    """A person with time on two projects this week: MTX's part is the project manager's to
    approve, OTHER's the outsider's (OTHER's manager)."""
    from projectoffice.timesheets import actions as timesheets
    from tests.timesheets.week_helpers import WEEK2, line, two_projects

    world = two_projects(office)
    timesheets.save_week(actor=world["member"], week_start=WEEK2, versions={}, lines=[
        line(world["design"], 8), line(world["support"], 2)])
    return {"person": world["member"], "week": WEEK2}


def submit_week(office: Office, ctx: Ctx) -> Any:
    from projectoffice.timesheets import actions as timesheets

    ctx["parts"] = timesheets.submit_week(actor=ctx["person"], week_start=ctx["week"])
    return ctx["person"]


def submitted_week(office: Office) -> Ctx:
    ctx = week_of_time(office)
    submit_week(office, ctx)
    return ctx


def decide_mtx_part(approve: bool) -> Callable[[Office, Ctx], Any]:
    def decide(office: Office, ctx: Ctx) -> Any:
        from projectoffice.timesheets import actions as timesheets

        part = next(p for p in ctx["parts"] if p.project == office.project)
        timesheets.decide_part(actor=office.pm, timesheet_id=part.pk, version=part.version,
                               approve=approve, comment="" if approve else "Wrong task")
        return office.pm
    return decide


@dataclass(frozen=True)
class Handoff:
    name: str
    how: str
    who: str
    kind: str
    setup: Callable[[Office], Ctx]
    trigger: Callable[[Office, Ctx], Any]
    told: Callable[[Office, Ctx], list[Any]]


HANDOFFS = [
    Handoff("absence requested", "a person asks for leave", "their line manager",
            NotificationKind.ABSENCE, with_line_manager, request_leave,
            lambda o, c: [c["manager"]]),
    Handoff("absence requested, no line manager", "a person without a line manager asks for "
            "leave", "the PMO manager", NotificationKind.ABSENCE, no_line_manager,
            request_leave, lambda o, c: [o.pmo]),
    Handoff("absence approved", "the line manager approves", "the person",
            NotificationKind.ABSENCE, requested_leave, approve_leave,
            lambda o, c: [c["person"]]),
    Handoff("absence refused", "the line manager refuses with a reason", "the person",
            NotificationKind.ABSENCE, requested_leave, refuse_leave,
            lambda o, c: [c["person"]]),
    Handoff("document review requested", "a version is sent for review", "each reviewer",
            NotificationKind.REVIEW, draft_version, send_for_review,
            lambda o, c: [member(o, "quality_manager"), member(o, "testing_manager")]),
    Handoff("document review decided", "a reviewer rejects the version",
            "who sent it for review and the document's owner", NotificationKind.REVIEW,
            version_in_review, reject_version, lambda o, c: [member(o, "planner"), o.pm]),
    Handoff("change request assessed", "the assessment is completed",
            "requester, owner, project manager and who must decide (above the threshold)",
            NotificationKind.CHANGE, submitted_change, assess_change,
            lambda o, c: [*change_people(o, c), o.pmo]),
    Handoff("change request decided", "the PMO manager approves", "requester, owner and "
            "project manager", NotificationKind.CHANGE, assessed_change,
            lambda o, c: move_change(c, o.pmo, "approve", "Worth it"), change_people),
    Handoff("change request rejected", "the PMO manager rejects", "requester, owner and "
            "project manager", NotificationKind.CHANGE, assessed_change,
            lambda o, c: move_change(c, o.pmo, "reject", "Not now"), change_people),
    Handoff("change request applied", "the change is applied to the plan", "requester, "
            "owner and project manager", NotificationKind.CHANGE, approved_change,
            lambda o, c: move_change(c, member(o, "administrator"), "apply"), change_people),
    Handoff("facility request decided", "the request is approved", "the requester",
            NotificationKind.REQUEST, submitted_request, approve_request,
            lambda o, c: [member(o, "team_member")]),
    Handoff("task assigned", "a person's resource is assigned to a plan task", "the person",
            NotificationKind.TASK, planned_task, assign_task,
            lambda o, c: [member(o, "team_member")]),
    Handoff("internal dependency now late", "the other project's plan slips past the date "
            "needed", "the dependency's owner and the project manager",
            NotificationKind.DEPENDENCY, dependency_on_time,
            lambda o, c: slip_other_plan(o), lambda o, c: [member(o, "planner"), o.pm]),
    Handoff("timesheet submitted", "a person submits a week with time on two projects",
            "each project's approver", NotificationKind.TIMESHEET, week_of_time, submit_week,
            lambda o, c: [o.pm, o.outsider]),
    Handoff("timesheet approved", "a project manager approves their part", "the person",
            NotificationKind.TIMESHEET, submitted_week, decide_mtx_part(True),
            lambda o, c: [c["person"]]),
    Handoff("timesheet rejected", "a project manager rejects their part with a comment",
            "the person", NotificationKind.TIMESHEET, submitted_week, decide_mtx_part(False),
            lambda o, c: [c["person"]]),
    Handoff("mention in a comment", "@username in a register item's comment",
            "the person mentioned, if they may see the project", NotificationKind.MENTION,
            nothing, mention, lambda o, c: [member(o, "team_member")]),
    Handoff("place on a training session", "the training manager enrols a member",
            "the person enrolled", NotificationKind.TRAINING, training_session, enrol_planner,
            lambda o, c: [member(o, "planner")]),
    Handoff("security incident reported", "a member reports a security incident",
            "the project's security managers", NotificationKind.INCIDENT, nothing,
            report_incident, lambda o, c: [member(o, "security_manager")]),
]


def test_the_table_covers_every_hand_off_kind() -> None:
    covered = {h.kind for h in HANDOFFS}
    expected = {k for k in NotificationKind.values if k not in (
        NotificationKind.ASSIGNED, NotificationKind.ESCALATED,
        NotificationKind.DUE, NotificationKind.OVERDUE, NotificationKind.ANNOUNCEMENT,
        NotificationKind.BOOKING, NotificationKind.MEETING)}
    assert expected <= covered, expected - covered


@pytest.mark.parametrize("handoff", HANDOFFS, ids=[h.name for h in HANDOFFS])
def test_each_hand_off_tells_who_it_passes_to(handoff: Handoff, office: Office) -> None:
    ctx = handoff.setup(office)
    seen = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    actor = handoff.trigger(office, ctx)
    made = Notification.objects.filter(pk__gt=seen, kind=handoff.kind)
    told = sorted(made.values_list("recipient__username", flat=True))
    want = sorted(u.username for u in handoff.told(office, ctx))
    assert told == want, f"{handoff.name}: {handoff.how} should tell {handoff.who}"
    assert actor.username not in told


def test_a_late_dependency_is_told_once_per_occurrence(office: Office) -> None:
    dependency_on_time(office)

    def late_notes() -> int:
        return Notification.objects.filter(kind=NotificationKind.DEPENDENCY).count()

    slip_other_plan(office, 20)
    assert late_notes() == 2  # the owner and the project manager
    slip_other_plan(office, 25)  # still late: no news
    assert late_notes() == 2
    slip_other_plan(office, 1)  # back on time, then late again: a new occurrence
    slip_other_plan(office, 30)
    assert late_notes() == 4
    from projectoffice.controls.handoffs import tell_late_dependencies

    assert tell_late_dependencies(actor=None) == 0  # the daily sweep finds nothing new


def test_mentions_are_links_and_reach_only_who_may_see(office: Office) -> None:
    from django.test import Client

    from tests.conftest import PASSWORD

    mention(office, {})
    assert not Notification.objects.filter(recipient=office.outsider).exists()
    client = Client()
    assert client.login(username="project_manager", password=PASSWORD)
    page = client.get(f"/projects/MTX/issues/{office.issue.reference}/").content.decode()
    assert '<a class="mention" href="/people/team_member/">@team_member</a>' in page
    assert "@nobody." in page and 'href="/people/nobody/"' not in page
    from projectoffice.registers.mentions import mentioned_names

    assert mentioned_names("mail a@b.org, @x.y. and @x.y") == ["x.y"]


def test_documents_awaiting_my_review(office: Office) -> None:
    from projectoffice.documents.queries import reviews_awaiting

    ctx = draft_version(office)
    send_for_review(office, ctx)
    reviewer = member(office, "quality_manager")
    [review] = reviews_awaiting(reviewer)
    assert review.version == ctx["version"] and not reviews_awaiting(office.pm).exists()
    reject_version(office, {"version": type(ctx["version"]).objects.get(
        pk=ctx["version"].pk)})
    assert not reviews_awaiting(reviewer).exists()
