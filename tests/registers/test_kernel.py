"""The register kernel through its actions: numbering, workflow, annexes, audit."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projectoffice.audit.queries import history_of
from projectoffice.controls.actions import escalate_issue
from projectoffice.controls.registers import ACTIONS, ISSUES
from projectoffice.errors import Conflict, Forbidden, InvalidInput, NotFound, StaleVersion
from projectoffice.registers import actions, queries
from projectoffice.registers.workflow import State, Transition, Workflow


def test_references_count_per_project_and_register(office):
    second = actions.create_item(actor=office.pm, spec=ISSUES, project=office.project,
                                 data={"title": "Second"})
    assert (office.issue.reference, second.reference) == ("ISS-0001", "ISS-0002")
    assert office.action.reference == "ACT-0001"
    other = actions.create_item(actor=office.pmo, spec=ISSUES, project=office.other,
                                data={"title": "Elsewhere"})
    assert other.reference == "ISS-0001"


def test_workflow_moves_record_history_and_close(office):
    issue = actions.transition_item(actor=office.pm, item=office.issue, transition="start",
                                    version=1)
    issue = actions.transition_item(actor=office.pm, item=issue, transition="resolve",
                                    version=2)
    issue = actions.transition_item(actor=office.pm, item=issue, transition="close", version=3,
                                    today=dt.date(2026, 3, 2))
    assert issue.status == "closed" and issue.is_closed and issue.version == 4
    assert issue.closed_on == dt.date(2026, 3, 2)
    moves = [(t.from_state, t.to_state) for t in queries.transitions_of(issue)]
    assert moves == [("open", "in_progress"), ("in_progress", "resolved"),
                     ("resolved", "closed")]
    verbs = [e.verb for e in history_of(issue)]
    assert verbs == ["close", "resolve", "start", "created"]
    reopened = actions.transition_item(actor=office.pm, item=issue, transition="reopen",
                                       version=4, comment="Supplier slipped again")
    assert reopened.status == "open" and reopened.closed_on is None


def test_a_move_not_allowed_from_the_state_is_a_conflict(office):
    with pytest.raises(Conflict, match="not possible"):
        actions.transition_item(actor=office.pm, item=office.issue, transition="close",
                                version=1)
    office.issue.refresh_from_db()
    assert office.issue.status == "open" and office.issue.version == 1


def test_unknown_move_and_missing_comment_name_the_field(office):
    with pytest.raises(InvalidInput) as unknown:
        actions.transition_item(actor=office.pm, item=office.issue, transition="explode",
                                version=1)
    assert "transition" in unknown.value.errors
    with pytest.raises(InvalidInput) as missing:
        actions.transition_item(actor=office.pm, item=office.issue, transition="withdraw",
                                version=1)
    assert "comment" in missing.value.errors


def test_a_move_needs_its_own_permission(office):
    team_member = office.members["team_member"]
    done = actions.transition_item(actor=team_member, item=office.action,
                                   transition="complete", version=1)
    assert done.status == "done"
    with pytest.raises(Forbidden):
        actions.transition_item(actor=team_member, item=office.issue, transition="resolve",
                                version=1)


def test_outsiders_do_not_learn_the_project_exists(office):
    with pytest.raises(NotFound):
        actions.update_item(actor=office.outsider, item=office.issue, version=1,
                            changes={"title": "Hijacked"})


def test_stale_version_changes_nothing(office):
    actions.update_item(actor=office.pm, item=office.issue, version=1,
                        changes={"title": "First edit"})
    with pytest.raises(StaleVersion):
        actions.update_item(actor=office.members["administrator"], item=office.issue,
                            version=1, changes={"title": "Second edit"})
    office.issue.refresh_from_db()
    assert office.issue.title == "First edit" and office.issue.version == 2


def test_update_records_field_level_before_and_after(office):
    actions.update_item(actor=office.pm, item=office.issue, version=1,
                        changes={"title": "Renamed", "severity": "critical"})
    entry = history_of(office.issue).first()
    assert entry.verb == "updated" and entry.actor == office.pm
    assert entry.changes == {"title": ["Supplier late", "Renamed"],
                             "severity": ["high", "critical"]}


def test_owner_must_be_able_to_see_the_project(office):
    with pytest.raises(InvalidInput) as err:
        actions.update_item(actor=office.pm, item=office.issue, version=1,
                            changes={"owner": office.outsider})
    assert "owner" in err.value.errors


def test_due_date_before_raised_is_refused(office):
    with pytest.raises(InvalidInput) as err:
        actions.create_item(actor=office.pm, spec=ACTIONS, project=office.project,
                            today=dt.date(2026, 5, 1),
                            data={"title": "Backdated", "due_date": dt.date(2026, 4, 1)})
    assert "due_date" in err.value.errors
    assert not ACTIONS.model.objects.filter(title="Backdated").exists()


def test_comments_attachments_and_links(office):
    comment = actions.add_comment(actor=office.members["team_member"], item=office.issue,
                                  body="  Chased by phone  ")
    assert comment.body == "Chased by phone"
    payload = b"minutes of the supplier call"
    attachment = actions.add_attachment(
        actor=office.pm, item=office.issue,
        upload=SimpleUploadedFile("call.txt", payload, content_type="text/plain"))
    assert attachment.sha256 == hashlib.sha256(payload).hexdigest()
    assert attachment.size == len(payload)
    with attachment.file.open("rb") as stored:
        assert stored.read() == payload
    actions.link_items(actor=office.pm, item=office.issue, target_reference="act-0001",
                       kind="follows_up")
    assert [(p, o.reference) for p, o in queries.links_of(office.issue)] == [
        ("follows up", "ACT-0001")]
    assert [(p, o.reference) for p, o in queries.links_of(office.action)] == [
        ("follows up (from)", "ISS-0001")]
    with pytest.raises(InvalidInput):
        actions.link_items(actor=office.pm, item=office.issue, target_reference="ACT-0001",
                           kind="follows_up")
    with pytest.raises(InvalidInput):
        actions.add_comment(actor=office.pm, item=office.issue, body="   ")


def test_links_stay_inside_the_project(office):
    actions.create_item(actor=office.pmo, spec=ACTIONS, project=office.other,
                        data={"title": "Elsewhere"})
    office_action_count = ACTIONS.model.objects.filter(project=office.other).count()
    assert office_action_count == 1
    with pytest.raises(InvalidInput, match="no item"):
        actions.link_items(actor=office.pm, item=office.issue, target_reference="ACT-0002")


def test_escalation_climbs_to_programme_then_portfolio(office):
    issue = escalate_issue(actor=office.pm, issue=office.issue, version=1, reason="Budget")
    assert issue.escalation_level == "programme"
    issue = escalate_issue(actor=office.pm, issue=issue, version=2, reason="Still stuck")
    assert issue.escalation_level == "portfolio"
    with pytest.raises(Conflict):
        escalate_issue(actor=office.pm, issue=issue, version=3, reason="Again")
    with pytest.raises(Forbidden):
        escalate_issue(actor=office.members["team_member"], issue=issue, version=3,
                       reason="x")


def test_workflow_declarations_are_checked():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(initial="a", states=(State("a", "A"),),
                 transitions=(Transition("go", "Go", ("a",), "b", "x.y"),))
    with pytest.raises(ValueError, match="initial"):
        Workflow(initial="z", states=(State("a", "A"),), transitions=())


def test_list_filters_and_sorting(office):
    today = dt.date.today()
    actions.create_item(actor=office.pm, spec=ACTIONS, project=office.project,
                        today=today - dt.timedelta(days=20),
                        data={"title": "Late one", "due_date": today - dt.timedelta(days=3),
                              "priority": "high"})
    qs = queries.project_items(ACTIONS, office.project)
    overdue = queries.filter_items(ACTIONS, qs, queries.ItemFilter(overdue=True), office.pm,
                                   today)
    assert [a.title for a in overdue] == ["Late one"]
    high = queries.filter_items(ACTIONS, qs, queries.ItemFilter(priority="high"), office.pm,
                                today)
    assert [a.title for a in high] == ["Late one"]
    by_title = queries.filter_items(ACTIONS, qs, queries.ItemFilter(sort="title"), office.pm,
                                    today)
    assert [a.title for a in by_title] == ["Chase supplier", "Late one"]
