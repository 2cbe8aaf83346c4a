"""The REST API under /api/v1/: one NinjaAPI mounting each app's router, one error shape."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from projectoffice.accounts.api import router as accounts_router
from projectoffice.accounts.office_api import router as office_accounts_router
from projectoffice.architecture.api import router as architecture_router
from projectoffice.assurance.api import router as assurance_router
from projectoffice.assurance.quality_api import router as quality_router
from projectoffice.background.api import router as background_router
from projectoffice.controls.api import change_router
from projectoffice.controls.api import my_router as my_actions_router
from projectoffice.controls.api import router as controls_router
from projectoffice.datamgmt.api import router as datamgmt_router
from projectoffice.documents.api import router as documents_router
from projectoffice.engagement.api import router as engagement_router
from projectoffice.errors import OfficeError
from projectoffice.facilities.api import router as facilities_router
from projectoffice.finance.api import router as finance_router
from projectoffice.infosec.api import router as infosec_router
from projectoffice.jobs.api import router as jobs_router
from projectoffice.meetings.api import router as meetings_router
from projectoffice.notices.api import router as notices_router
from projectoffice.orgdesign.api import router as orgdesign_router
from projectoffice.people.api import router as people_router
from projectoffice.planning.api import router as planning_router
from projectoffice.portfolio.api import router as portfolio_router
from projectoffice.portfolio.audit_api import router as audit_router
from projectoffice.registers.api import notifications_router, register_routers
from projectoffice.reportbuilder.api import router as reportbuilder_router
from projectoffice.reports.api import router as reports_router
from projectoffice.resources.api import router as resources_router
from projectoffice.schedulerisk.api import router as schedulerisk_router
from projectoffice.search.api import router as search_router
from projectoffice.security import API_AUTH
from projectoffice.support.api import router as support_router
from projectoffice.timesheets.api import router as timesheets_router
from projectoffice.training.api import router as training_router
from projectoffice.website.api import router as website_router
from projectoffice.work.api import router as work_router


class OfficeJSONEncoder(NinjaJSONEncoder):
    """Every date-time leaves with its offset: plans are kept in the office's wall-clock time
    (naive), and are sent as that time in the office's time zone (PMO_TIME_ZONE)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime) and timezone.is_naive(o):
            o = timezone.make_aware(o)
        return super().default(o)


class OfficeRenderer(JSONRenderer):
    encoder_class = OfficeJSONEncoder


api = NinjaAPI(
    renderer=OfficeRenderer(),
    title="Project Office API",
    version="1",
    description=(
        "Every mutable resource carries a `version`; send it back with a change and a stale "
        "one gets 409 and changes nothing. Errors are `{status, message, errors}` where "
        "`errors` maps field names to messages. Authenticate with a personal token "
        "(`Authorization: Bearer pmo_…`) or the browser session. Each operation's "
        "`x-permission` names the project permission it needs."
    ),
    auth=API_AUTH,
    urls_namespace="api",
)


def error_body(status: int, message: str, errors: dict[str, list[str]] | None = None
               ) -> dict[str, Any]:
    return {"status": status, "message": message, "errors": errors or {}}


@api.exception_handler(OfficeError)
def office_error(request: HttpRequest, exc: OfficeError) -> HttpResponse:
    return api.create_response(request, error_body(exc.status, exc.message, exc.errors),
                               status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query",
                                                               "filters", "path", "form",
                                                               "file")]
        name = ".".join(loc) or "request"
        errors.setdefault(name, []).append(str(err.get("msg", "is invalid")))
    first = next(iter(errors.items()))
    return api.create_response(
        request, error_body(422, f"{first[0]}: {first[1][0]}", errors), status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, error_body(401, "Sign in or send a valid API token"), status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body(exc.status_code, str(exc)),
                               status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body(404, str(exc) or "Not found"), status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, error_body(403, str(exc) or "Forbidden"), status=403)


api.add_router("/", accounts_router)
api.add_router("/", office_accounts_router)
api.add_router("/", portfolio_router)
api.add_router("/", controls_router)
api.add_router("/", change_router)
for register_router in register_routers():
    api.add_router("/", register_router)
api.add_router("/", my_actions_router)
api.add_router("/", audit_router)
api.add_router("/", notifications_router)
api.add_router("/", planning_router)
api.add_router("/", resources_router)
api.add_router("/", timesheets_router)
api.add_router("/", finance_router)
api.add_router("/", search_router)
api.add_router("/", documents_router)
api.add_router("/", meetings_router)
api.add_router("/", schedulerisk_router)
api.add_router("/", assurance_router)
api.add_router("/", quality_router)
api.add_router("/", people_router)
api.add_router("/", facilities_router)
api.add_router("/", notices_router)
api.add_router("/", work_router)
api.add_router("/", engagement_router)
api.add_router("/", training_router)
api.add_router("/", orgdesign_router)
api.add_router("/", reports_router)
api.add_router("/", reportbuilder_router)
api.add_router("/", support_router)
api.add_router("/", architecture_router)
api.add_router("/", jobs_router)
api.add_router("/", background_router)
api.add_router("/", infosec_router)
api.add_router("/", datamgmt_router)
api.add_router("/", website_router)
