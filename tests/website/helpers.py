"""The security, data and website services' part of the permission matrix: a security
incident and an access review (with its lines), a data asset and a migration, and a
published status page; and which registers read as missing to whom."""

from __future__ import annotations

from typing import Any

from projectoffice.datamgmt.registers import DATA_ASSETS, DATA_MIGRATIONS
from projectoffice.infosec import actions as infosec
from projectoffice.infosec.registers import SECURITY_INCIDENTS
from projectoffice.registers import actions as kernel
from projectoffice.registers.spec import get_spec
from projectoffice.website import actions as website

TRANSITIONS = {"security-incidents": "investigate", "access-reviews": "cancel",
               "data-assets": "go_live", "data-migrations": "rehearse"}


def technical_setup(office: Any) -> dict[str, Any]:
    def make(spec: Any, **data: Any) -> Any:
        return kernel.create_item(actor=office.pmo, spec=spec, project=office.project,
                                  data=data)

    office.raid["security-incidents"] = make(SECURITY_INCIDENTS, title="Lost laptop")
    office.raid["access-reviews"] = review = infosec.start_access_review(
        actor=office.pmo, project=office.project, title="Quarterly review")
    office.raid["data-assets"] = make(DATA_ASSETS, title="Customer database")
    office.raid["data-migrations"] = make(DATA_MIGRATIONS, title="Customers", source="CRM",
                                          target="Hub")
    page = website.publish_status_page(actor=office.pm, project=office.project)
    post = website.post_status_announcement(actor=office.pm, page=page, title="News")
    programme_page = website.update_programme_page(actor=office.pmo,
                                                   programme=office.programme,
                                                   version=None, changes={})
    programme_post = website.post_status_announcement(actor=office.pmo, page=programme_page,
                                                      title="Programme news")
    programme_page = website.publish_programme_page(actor=office.pmo,
                                                    programme=office.programme)
    page.refresh_from_db()
    line = review.lines.get(user__username="planner")
    return {"review_line": line.pk, "status_version": page.version, "status_post": post.pk,
            "programme_post": programme_post.pk, "programme_version": programme_page.version}


def technical_bodies(ids: dict[str, Any]) -> dict[str, Any]:
    if "review_line" not in ids:
        return {}
    return {
        "POST /projects/{code}/data-migrations": {"title": "Orders", "source": "ERP",
                                                  "target": "Hub"},
        "POST /projects/{code}/data-migrations/{ref}/runs": {
            "kind": "rehearsal", "run_on": "2026-03-02", "source_count": 10,
            "target_count": 10},
        "POST /projects/{code}/access-reviews/{ref}/lines/load": {},
        "POST /projects/{code}/access-reviews/{ref}/lines/{line_id}/decide": {
            "decision": "confirmed"},
        "PATCH /projects/{code}/status-page": {"version": ids["status_version"],
                                               "headline": "All well"},
        "POST /projects/{code}/status-page/publish": {},
        "POST /projects/{code}/status-page/revoke": {},
        "POST /projects/{code}/status-page/announcements": {"title": "News"},
        "POST /projects/{code}/status-page/announcements/{post_id}/remove": {},
        "PATCH /programmes/{code}/status-page": {"version": ids["programme_version"],
                                                 "headline": "All well"},
        "POST /programmes/{code}/status-page/publish": {},
        "POST /programmes/{code}/status-page/revoke": {},
        "POST /programmes/{code}/status-page/announcements": {"title": "News"},
        "POST /programmes/{code}/status-page/announcements/{post_id}/remove": {},
    }


def technical_path(path: str, ids: dict[str, Any]) -> str:
    post = ids.get("programme_post" if path.startswith("/programmes/") else "status_post", "")
    return path.replace("{line_id}", str(ids.get("review_line", ""))).replace(
        "{post_id}", str(post))


def hidden_item(path: str, user: Any, role_perms: frozenset[str], office: Any) -> bool:
    """Whether the path names an item of a restricted register that `user` neither raised
    nor may oversee: it reads as missing (404) even with the register's permission."""
    parts = path.split("/")
    if len(parts) < 5 or not path.startswith("/projects/{code}/") or parts[4] != "{ref}" \
            or path.startswith("/projects/{code}/tickets/{ref}/close"):  # the caller's own
        return False
    spec = get_spec(parts[3])
    if spec is None or not spec.restricted_to or user.is_superuser:
        return False
    item = office.raid.get(parts[3])
    return spec.restricted_to not in role_perms and (
        item is None or user.pk not in (item.created_by_id, item.owner_id))


def refusals(want: str, path: str, user: Any, role_perms: frozenset[str],
             office: Any) -> set[str]:
    """The answers that hold for an operation on a register item: an item hidden from the
    caller reads as missing (404), or is refused (403) where the operation's own
    permission is checked first; a register the caller may not read at all (access
    reviews) refuses its item operations."""
    if want == "404" or user.is_superuser or not path.startswith("/projects/{code}/"):
        return {want}
    spec = get_spec(path.split("/")[3])
    if spec is not None and "/{ref}" in path and spec.perm("view") not in role_perms:
        return {"403"}
    if hidden_item(path, user, role_perms, office):
        return {"404"} if want == "ok" else {"403", "404"}
    return {want}
