"""Task information: all of a task's fields on one form, saved as one edit."""

from __future__ import annotations

from typing import Any

from django.test import Client

from projectoffice.planning.models import Plan, PlanLink, PlanTask
from tests.conftest import PASSWORD

from .helpers import SIMPLE, build, task


def client_for(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def form_of(client: Client, uid: int) -> dict[str, Any]:
    """What the form sends when saved unchanged, as read from the page's own values."""
    page = client.get(f"/projects/MTX/plan/tasks/{uid}/")
    assert page.status_code == 200
    ctx = page.context
    data: dict[str, Any] = {"version": ctx["plan"].version, **ctx["values"]}
    data = {k: v for k, v in data.items() if k not in ("milestone", "effort_driven") or v}
    links = [link for link in ctx["links"] if link["task"]]
    data["link_task"] = [link["task"] for link in links]
    data["link_type"] = [link["type"] for link in links]
    data["link_lag"] = [link["lag"] for link in links]
    return data


def test_change_a_links_type_and_lag_and_the_notes_in_one_edit(office: Any) -> None:
    build(office.pm, office.project, SIMPLE)
    build_uid = task(office.project, 2).uid
    client = client_for(office.pm)
    data = form_of(client, build_uid)
    assert data["link_task"] == ["1"] and data["link_type"] == ["FS"]
    version = Plan.objects.get(project=office.project).version
    data.update(link_type=["SS"], link_lag=["2d"], notes="Starts with design")
    saved = client.post(f"/projects/MTX/plan/tasks/{build_uid}/", data)
    assert saved.status_code == 302 and saved["Location"].endswith(f"#task-{build_uid}")
    link = PlanLink.objects.get(plan__project=office.project, successor__uid=build_uid)
    assert (link.type, link.lag) == ("SS", 2 * 480)
    build_task = task(office.project, 2)
    assert build_task.notes == "Starts with design"
    assert Plan.objects.get(project=office.project).version == version + 1  # one edit
    # Design (5d) starts 5 Jan; Build now starts two working days after it.
    assert build_task.start.date().isoformat() == "2026-01-07"


def test_a_bad_value_is_shown_at_its_field_and_nothing_changes(office: Any) -> None:
    build(office.pm, office.project, SIMPLE)
    uid = task(office.project, 3).uid
    client = client_for(office.pm)
    data = form_of(client, uid)
    data.update(duration="3x", name="Renamed")
    version = Plan.objects.get(project=office.project).version
    answer = client.post(f"/projects/MTX/plan/tasks/{uid}/", data)
    assert answer.status_code == 422
    assert "duration" in answer.context["errors"]
    assert answer.context["values"]["duration"] == "3x"  # what was typed stays
    assert PlanTask.objects.get(plan__project=office.project, uid=uid).name == "Docs"
    assert Plan.objects.get(project=office.project).version == version
    # A link to itself is a cycle: refused at the predecessors.
    data = form_of(client, uid)
    data["link_task"] = ["3"]
    data["link_type"], data["link_lag"] = ["FS"], [""]
    answer = client.post(f"/projects/MTX/plan/tasks/{uid}/", data)
    assert answer.status_code == 422 and answer.context["message"]


def test_readers_see_it_read_only_and_cannot_save(office: Any) -> None:
    build(office.pm, office.project, SIMPLE)
    uid = task(office.project, 2).uid
    reader = client_for(office.members["stakeholder"])
    page = reader.get(f"/projects/MTX/plan/tasks/{uid}/")
    assert page.status_code == 200 and not page.context["editable"]
    assert b"<fieldset disabled>" in page.content
    assert reader.post(f"/projects/MTX/plan/tasks/{uid}/", {"name": "x"}).status_code == 403
    assert client_for(office.outsider).get(f"/projects/MTX/plan/tasks/{uid}/").status_code == 404
    assert client_for(office.pm).get("/projects/MTX/plan/tasks/999/").status_code == 404
    resources = reader.get(f"/projects/MTX/resources/task/{uid}/")
    assert resources.status_code == 200 and b"No resources on this task" in resources.content


def test_resources_are_typed_with_their_units_together_with_the_fields(office: Any) -> None:
    from projectoffice.resources import actions as resource_actions
    from projectoffice.resources.models import Assignment

    build(office.pm, office.project, SIMPLE)
    for name in ("Dan", "Omar"):
        resource_actions.create_resource(actor=office.pm, project=office.project, name=name)
    uid = task(office.project, 2).uid
    client = client_for(office.pm)
    data = form_of(client, uid)
    assert data["resources"] == ""
    # A name the project lacks: refused at the field, and the name typed with it is not saved.
    data.update(resources="Dan[50%], Nobody", name="Build it")
    refused = client.post(f"/projects/MTX/plan/tasks/{uid}/", data)
    assert refused.status_code == 422
    assert "no resource 'Nobody'" in refused.context["errors"]["resources"]
    assert task(office.project, 2).name == "Build"
    assert not Assignment.objects.filter(project=office.project).exists()
    data.update(resources="Dan[50%], omar")
    assert client.post(f"/projects/MTX/plan/tasks/{uid}/", data).status_code == 302
    assert task(office.project, 2).name == "Build it"
    assert dict(Assignment.objects.filter(project=office.project, task_uid=uid)
                .values_list("resource__name", "units")) == {"Dan": 50, "Omar": 100}
    assert form_of(client, uid)["resources"] == "Dan[50%], Omar"
