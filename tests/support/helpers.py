"""The support desk's part of the permission matrix: a ticket and an asset in the
register, a resolved ticket the caller raised (to close with a rating), a check-out to
return and an article."""

from __future__ import annotations

from typing import Any

from projectoffice.portfolio.access import has_perm
from projectoffice.registers import actions as kernel
from projectoffice.support import actions
from projectoffice.support.registers import ASSETS, TICKETS


def support_setup(office: Any, user: Any) -> dict[str, Any]:
    """Adds the ticket and asset to office.raid and returns the ids the paths need."""
    office.raid["tickets"] = kernel.create_item(
        actor=office.pm, spec=TICKETS, project=office.project, data={"title": "Printer jams"})
    office.raid["assets"] = asset = kernel.create_item(
        actor=office.pm, spec=ASSETS, project=office.project,
        data={"title": "Test licences", "asset_type": "licence", "seats": 5})
    requester = user if has_perm(user, office.project, "ticket.add") else office.pm
    resolved = kernel.create_item(actor=requester, spec=TICKETS, project=office.project,
                                  data={"title": "Cannot print"})
    resolved = kernel.transition_item(actor=office.pmo, item=resolved, transition="resolve",
                                      version=resolved.version, comment="Cleared")
    checkout = actions.check_out_asset(actor=office.pmo, asset=asset,  # type: ignore[arg-type]
                                       holder=office.members["planner"],
                                       today=asset.raised_on)
    article = actions.create_article(actor=office.pmo, title="Reset a password", body="Text")
    return {"resolved_ticket": resolved.reference, "resolved_version": resolved.version,
            "checkout": checkout.pk, "article": article.pk}


def support_bodies(ids: dict[str, Any]) -> dict[str, Any]:
    if "checkout" not in ids:
        return {}
    return {
        "POST /projects/{code}/tickets/{ref}/notes": {"body": "Known fault"},
        "POST /projects/{code}/tickets/{ref}/close": {"version": ids["resolved_version"],
                                                      "rating": 5},
        "POST /projects/{code}/tickets/{ref}/articles": {"article": ids["article"]},
        "POST /projects/{code}/assets/{ref}/checkouts": {"holder": "team_member"},
        "POST /projects/{code}/assets/{ref}/checkouts/{checkout_id}/return": {},
        "POST /support/articles": {"title": "Use the VPN", "body": "Install the client"},
        "PATCH /support/articles/{article_id}": {"version": 1, "title": "Renamed"},
        "PATCH /support/service-levels/{priority}": {"version": 0, "response_minutes": 60,
                                                   "resolution_minutes": 120},
    }


def support_path(path: str, ids: dict[str, Any]) -> str:
    if "checkout" not in ids:
        return path
    if path.startswith("/projects/{code}/tickets/{ref}/close"):
        path = path.replace("{ref}", ids["resolved_ticket"])
    return (path.replace("{checkout_id}", str(ids["checkout"]))
            .replace("{article_id}", str(ids["article"])).replace("{priority}", "high"))
