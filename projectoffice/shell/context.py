from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from projectoffice.portfolio.access import has_global, is_pmo
from projectoffice.registers.models import Notification
from projectoffice.registers.services import Service, all_services
from projectoffice.registers.spec import get_spec, service_specs


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_registers": service_specs(""),
        "nav_services": all_services(),
        "nav_service": _active_service(request),
        "nav_unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "nav_is_pmo": is_pmo(user),
        "nav_outbox": has_global(user, "outbox.view"),
        "nav_jobs": has_global(user, "jobs.view"),
        "nav_accounts": has_global(user, "accounts.manage"),
    }


def _active_service(request: HttpRequest) -> str:
    """The service whose hub, register or page is open, so its one link shows as current."""
    match = request.resolver_match
    if match is None:
        return ""
    if match.url_name == "service-hub":
        return str(match.kwargs.get("service", ""))
    register = match.kwargs.get("register")
    if register:
        spec = get_spec(register)
        return spec.service if spec else ""
    found: Service | None = next(
        (s for s in all_services() if match.url_name in s.url_names), None)
    return found.key if found else ""
