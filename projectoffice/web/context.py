from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from projectoffice.portfolio.access import has_global
from projectoffice.registers.models import Notification
from projectoffice.registers.spec import all_specs


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_registers": all_specs(),
        "nav_unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "nav_is_pmo": bool(user.is_superuser or user.global_role in ("pmo_manager",
                                                                     "pmo_staff")),
        "nav_outbox": has_global(user, "outbox.view"),
    }
