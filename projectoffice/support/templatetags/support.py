"""What the ticket and asset pages show beyond the kernel's: service-level clocks, internal
notes (support team only), articles, the rating form; an asset's holders and seats."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from projectoffice.engine import service_levels as sl
from projectoffice.portfolio.access import has_perm
from projectoffice.registers.forms import people_of
from projectoffice.support import queries
from projectoffice.support.models import Asset, Ticket

register = template.Library()

CLOCK_LABELS = {sl.RUNNING: ("On track", "info"), sl.AT_RISK: ("At risk", "warning"),
                sl.BREACHED: ("Breached", "danger"), sl.MET: ("Met", "success")}


@register.filter
def clock_badge(state: str) -> str:
    return CLOCK_LABELS.get(state, (state, "muted"))[0]


@register.filter
def clock_tone(state: str) -> str:
    return CLOCK_LABELS.get(state, (state, "muted"))[1]


@register.simple_tag
def ticket_panel(item: Ticket, user: Any) -> dict[str, Any]:
    handler = has_perm(user, item.project, queries.HANDLE)
    clocks = queries.clocks(item, now=timezone.now())
    return {
        "clocks": clocks,
        "handler": handler,
        "requester": user == item.created_by,
        "notes": list(queries.notes_of(item)) if handler else [],
        "articles": list(item.articles.all()),
        "all_articles": list(queries.articles()) if handler else [],
    }


@register.simple_tag
def asset_panel(item: Asset) -> dict[str, Any]:
    held = list(queries.open_checkouts(item))
    today = timezone.localdate()
    return {
        "held": held,
        "history": [c for c in queries.checkouts_of(item) if c.returned_on is not None][:20],
        "free": max(0, item.seats - len(held)),
        "people": people_of(item.project),
        "today": today,
        "expired": bool(item.expires_on and item.expires_on < today),
        "expiring": bool(item.expires_on and today <= item.expires_on
                         and (item.expires_on - today).days <= 30),
    }
