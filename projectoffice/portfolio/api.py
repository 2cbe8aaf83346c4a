"""REST operations on portfolios, programmes, project offices, projects and memberships."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from projectoffice.accounts.roles import ProjectRole
from projectoffice.apischema import (
    Page,
    StrictIn,
    input_schema,
    paginate,
    provided,
    require_not_null,
    user_by_username,
    username,
    version_of,
)
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest

from . import actions
from .access import (
    has_perm,
    office_operation,
    project_operation,
    project_permissions,
)
from .health import ProjectHealth, health_of, project_health, thresholds_row
from .models import (
    THRESHOLD_FIELDS,
    HealthThresholds,
    Membership,
    Portfolio,
    Programme,
    Project,
    ProjectOffice,
)
from .queries import ProjectFilter, project_list

router = Router(tags=["portfolio"])



# ---- output shapes ---------------------------------------------------------------------------

class PortfolioOut(Schema):
    id: int
    name: str
    description: str
    owner: str | None
    version: int


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    portfolio_id: int
    description: str
    manager: str | None
    sponsor: str | None
    version: int


class OfficeOut(Schema):
    id: int
    name: str
    description: str
    manager: str | None
    location: str
    version: int


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    portfolio_id: int
    programme: str | None
    office_id: int | None
    manager: str | None
    sponsor: str | None
    customer: str
    start_date: dt.date | None
    finish_date: dt.date | None
    phase: str
    status: str
    rag: str
    rag_reason: str
    finish: dt.date | None
    finish_is_target: bool
    computed_rag: str | None
    rag_mismatch: bool
    description: str
    currency: str
    version: int
    permissions: list[str]


class DimensionOut(Schema):
    key: str
    label: str
    rag: str | None
    reason: str


class HealthOut(Schema):
    project: str
    declared_rag: str
    declared_reason: str
    computed_rag: str | None
    computed_reason: str
    mismatch: bool
    finish: dt.date | None
    finish_is_target: bool
    baseline_finish: dt.date | None
    percent_complete: int | None
    status_date: dt.date | None
    spi: Decimal | None
    spi_t: Decimal | None
    cpi: Decimal | None
    vac: Decimal | None
    bac: Decimal | None
    dimensions: list[DimensionOut]


class ThresholdsOut(Schema):
    slip_amber_days: int
    slip_red_days: int
    spi_amber: Decimal
    spi_red: Decimal
    cpi_amber: Decimal
    cpi_red: Decimal
    vac_amber_percent: Decimal
    vac_red_percent: Decimal
    risk_amber_percent: int
    risk_red_percent: int
    overdue_amber: int
    overdue_red: int
    late_dependencies_amber: int
    late_dependencies_red: int
    version: int


class MembershipOut(Schema):
    id: int
    user: str
    user_name: str
    role: str
    role_label: str


def portfolio_out(p: Portfolio) -> dict[str, Any]:
    return {"id": p.pk, "name": p.name, "description": p.description,
            "owner": username(p.owner), "version": p.version}


def programme_out(p: Programme) -> dict[str, Any]:
    return {"id": p.pk, "code": p.code, "name": p.name, "portfolio_id": p.portfolio_id,
            "description": p.description, "manager": username(p.manager),
            "sponsor": username(p.sponsor), "version": p.version}


def project_out(p: Project, user: Any, health: ProjectHealth | None = None) -> dict[str, Any]:
    """``health``: the project's row of ``health_of``, read for a whole page at once."""
    health = health or project_health(p, timezone.localdate())
    return {
        "finish": health.finish.date, "finish_is_target": health.finish.is_target,
        "computed_rag": health.computed, "rag_mismatch": health.mismatch,
        "id": p.pk, "code": p.code, "name": p.name, "portfolio_id": p.portfolio_id,
        "programme": p.programme.code if p.programme else None, "office_id": p.office_id,
        "manager": username(p.manager), "sponsor": username(p.sponsor), "customer": p.customer,
        "start_date": p.start_date, "finish_date": p.finish_date, "phase": p.phase,
        "status": p.status, "rag": p.rag, "rag_reason": p.rag_reason,
        "description": p.description, "currency": p.currency, "version": p.version,
        "permissions": sorted(project_permissions(user, p)),
    }


def membership_out(m: Membership) -> dict[str, Any]:
    return {"id": m.pk, "user": m.user.username, "user_name": str(m.user), "role": m.role,
            "role_label": m.get_role_display()}


# ---- inputs -----------------------------------------------------------------------------------

PortfolioIn = input_schema("PortfolioIn", Portfolio, ("name", "description", "owner"),
                           required=("name",))
PortfolioPatch = input_schema("PortfolioPatch", Portfolio, ("name", "description", "owner"),
                              with_version=True)
ProgrammeIn = input_schema(
    "ProgrammeIn", Programme, ("code", "name", "description", "manager", "sponsor"),
    required=("code", "name"), extra={"portfolio_id": (int, ...)})
ProgrammePatch = input_schema("ProgrammePatch", Programme,
                              ("name", "description", "manager", "sponsor"), with_version=True)
OfficeIn = input_schema("OfficeIn", ProjectOffice, ("name", "description", "manager", "location"),
                        required=("name",))
PROJECT_INPUT = ("name", "manager", "sponsor", "customer", "start_date", "finish_date", "phase",
                 "status", "rag", "rag_reason", "description", "currency")
PLACEMENT = {"portfolio_id": (int | None, None), "programme": (str | None, None),
             "office_id": (int | None, None)}
ProjectCreate = input_schema("ProjectCreate", Project, ("code", *PROJECT_INPUT),
                             required=("code", "name"), extra=PLACEMENT)
ProjectUpdate = input_schema("ProjectUpdate", Project, PROJECT_INPUT, with_version=True,
                             extra=PLACEMENT)


class MembershipIn(StrictIn):
    user: str
    role: ProjectRole


PEOPLE = ("owner", "manager", "sponsor")


def _resolve_people(data: dict[str, Any]) -> dict[str, Any]:
    for name in PEOPLE:
        if name in data:
            data[name] = user_by_username(data[name], name)
    return data


def _placement(data: dict[str, Any]) -> dict[str, Any]:
    if "portfolio_id" in data:
        pid = data.pop("portfolio_id")
        portfolio = Portfolio.objects.filter(pk=pid).first() if pid is not None else None
        if pid is not None and portfolio is None:
            raise InvalidInput.field("portfolio_id", f"no portfolio {pid}")
        data["portfolio"] = portfolio
    if "programme" in data:
        code = data.pop("programme")
        programme = Programme.objects.filter(code=code).first() if code else None
        if code and programme is None:
            raise InvalidInput.field("programme", f"no programme {code!r}")
        data["programme"] = programme
    if "office_id" in data:
        oid = data.pop("office_id")
        office = ProjectOffice.objects.filter(pk=oid).first() if oid is not None else None
        if oid is not None and office is None:
            raise InvalidInput.field("office_id", f"no project office {oid}")
        data["office"] = office
    return data


# ---- portfolios -------------------------------------------------------------------------------

@router.get("/portfolios", response=Page)
@office_operation("authenticated")
def list_portfolios(request: AuthedRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    count, rows = paginate(Portfolio.objects.select_related("owner"), limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [portfolio_out(p) for p in rows]}


@router.post("/portfolios", response={201: PortfolioOut})
@office_operation("portfolio.manage")
def create_portfolio(request: AuthedRequest, payload: PortfolioIn) -> Status[Any]:  # type: ignore[valid-type]
    data = _resolve_people(provided(payload))
    return Status(201, portfolio_out(actions.create_portfolio(actor=request.user, **data)))


def _portfolio(pid: int) -> Portfolio:
    p = Portfolio.objects.select_related("owner").filter(pk=pid).first()
    if p is None:
        raise NotFound(f"No portfolio {pid}")
    return p


@router.get("/portfolios/{pid}", response=PortfolioOut)
@office_operation("authenticated")
def get_portfolio(request: AuthedRequest, pid: int) -> dict[str, Any]:
    return portfolio_out(_portfolio(pid))


@router.patch("/portfolios/{pid}", response=PortfolioOut)
@office_operation("portfolio.manage")
def update_portfolio(request: AuthedRequest, pid: int, payload: PortfolioPatch) -> dict[str, Any]:  # type: ignore[valid-type]
    data = _resolve_people(provided(payload))
    require_not_null(data, ("name",))
    return portfolio_out(actions.update_portfolio(
        actor=request.user, portfolio=_portfolio(pid), version=version_of(payload), changes=data))


# ---- programmes -------------------------------------------------------------------------------

@router.get("/programmes", response=Page)
@office_operation("authenticated")
def list_programmes(request: AuthedRequest, portfolio_id: int | None = None, limit: int = 50,
                    offset: int = 0) -> dict[str, Any]:
    qs = Programme.objects.select_related("manager", "sponsor")
    if portfolio_id:
        qs = qs.filter(portfolio_id=portfolio_id)
    count, rows = paginate(qs, limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [programme_out(p) for p in rows]}


@router.post("/programmes", response={201: ProgrammeOut})
@office_operation("portfolio.manage")
def create_programme(request: AuthedRequest, payload: ProgrammeIn) -> Status[Any]:  # type: ignore[valid-type]
    data = _resolve_people(provided(payload))
    data["portfolio"] = _portfolio(data.pop("portfolio_id"))
    if Programme.objects.filter(code=data["code"]).exists():
        raise InvalidInput.field("code", f"{data['code']!r} is already used")
    return Status(201, programme_out(actions.create_programme(actor=request.user, **data)))


def _programme(code: str) -> Programme:
    p = Programme.objects.select_related("manager", "sponsor").filter(code=code).first()
    if p is None:
        raise NotFound(f"No programme {code!r}")
    return p


@router.get("/programmes/{code}", response=ProgrammeOut)
@office_operation("authenticated")
def get_programme(request: AuthedRequest, code: str) -> dict[str, Any]:
    return programme_out(_programme(code))


@router.patch("/programmes/{code}", response=ProgrammeOut)
@office_operation("portfolio.manage")
def update_programme(request: AuthedRequest, code: str, payload: ProgrammePatch) -> dict[str, Any]:  # type: ignore[valid-type]
    data = _resolve_people(provided(payload))
    require_not_null(data, ("name",))
    return programme_out(actions.update_programme(
        actor=request.user, programme=_programme(code), version=version_of(payload), changes=data))


# ---- project offices --------------------------------------------------------------------------

def office_out(o: ProjectOffice) -> dict[str, Any]:
    return {"id": o.pk, "name": o.name, "description": o.description,
            "manager": username(o.manager), "location": o.location, "version": o.version}


@router.get("/offices", response=Page)
@office_operation("authenticated")
def list_offices(request: AuthedRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    count, rows = paginate(ProjectOffice.objects.select_related("manager"), limit, offset)
    return {"count": count, "limit": limit, "offset": offset,
            "items": [office_out(o) for o in rows]}


@router.post("/offices", response={201: OfficeOut})
@office_operation("portfolio.manage")
def create_office(request: AuthedRequest, payload: OfficeIn) -> Status[Any]:  # type: ignore[valid-type]
    data = _resolve_people(provided(payload))
    return Status(201, office_out(actions.create_office(actor=request.user, **data)))


# ---- projects ---------------------------------------------------------------------------------

class ProjectQuery(Schema):
    q: str = ""
    portfolio_id: int | None = None
    programme: str = ""
    status: str = ""
    phase: str = ""
    rag: str = ""
    manager: str = ""
    sort: str = "code"


@router.get("/projects", response=Page)
@office_operation("authenticated")
def list_projects(request: AuthedRequest, filters: Query[ProjectQuery], limit: int = 50,
                  offset: int = 0) -> dict[str, Any]:
    f = ProjectFilter(q=filters.q, portfolio=filters.portfolio_id, programme=filters.programme,
                      status=filters.status, phase=filters.phase, rag=filters.rag,
                      manager=filters.manager, sort=filters.sort)
    count, rows = paginate(project_list(request.user, f), limit, offset)
    rows = list(rows)
    health = health_of(rows, timezone.localdate())
    return {"count": count, "limit": limit, "offset": offset,
            "items": [project_out(p, request.user, health[p.pk]) for p in rows]}


@router.post("/projects", response={201: ProjectOut})
@office_operation("portfolio.manage")
def create_project(request: AuthedRequest, payload: ProjectCreate) -> Status[Any]:  # type: ignore[valid-type]
    data = _placement(_resolve_people(provided(payload)))
    if data.get("portfolio") is None and data.get("programme") is None:
        raise InvalidInput.field("portfolio_id", "give a portfolio or a programme")
    project = actions.create_project(actor=request.user, **data)
    return Status(201, project_out(project, request.user))


@router.get("/projects/{code}", response=ProjectOut)
@project_operation("project.view")
def get_project(request: AuthedRequest, project: Project) -> dict[str, Any]:
    return project_out(project, request.user)


@router.patch("/projects/{code}", response=ProjectOut)
@project_operation("project.change")
def update_project(request: AuthedRequest, project: Project,
                   payload: ProjectUpdate) -> dict[str, Any]:  # type: ignore[valid-type]
    data = _placement(_resolve_people(provided(payload)))
    require_not_null(data, ("name", "portfolio", "phase", "status", "rag", "currency"))
    for text in ("customer", "rag_reason", "description"):
        if text in data and data[text] is None:
            data[text] = ""
    updated = actions.update_project(actor=request.user, project=project,
                                     version=version_of(payload), changes=data)
    return project_out(updated, request.user)


# ---- memberships ------------------------------------------------------------------------------

@router.get("/projects/{code}/members", response=list[MembershipOut])
@project_operation("project.view")
def list_members(request: AuthedRequest, project: Project) -> list[dict[str, Any]]:
    return [membership_out(m) for m in project.memberships.select_related("user")]


@router.post("/projects/{code}/members", response={201: MembershipOut})
@project_operation("membership.manage")
def add_member(request: AuthedRequest, project: Project,
               payload: MembershipIn) -> Status[Any]:
    user = user_by_username(payload.user, "user")
    if user is None:
        raise InvalidInput.field("user", "name the person to add")
    return Status(201, membership_out(actions.add_member(actor=request.user, project=project,
                                                  user=user, role=payload.role)))


@router.delete("/projects/{code}/members/{membership_id}", response={204: None})
@project_operation("membership.manage")
def remove_member(request: AuthedRequest, project: Project, membership_id: int) -> Status[Any]:
    actions.remove_member(actor=request.user, project=project, membership_id=membership_id)
    return Status(204, None)


# ---- project health -----------------------------------------------------------------------------

def health_out(h: ProjectHealth) -> dict[str, Any]:
    p = h.project
    return {"project": p.code, "declared_rag": p.rag, "declared_reason": p.rag_reason,
            "computed_rag": h.computed, "computed_reason": h.health.reason,
            "mismatch": h.mismatch, "finish": h.finish.date,
            "finish_is_target": h.finish.is_target, "baseline_finish": h.baseline_finish,
            "percent_complete": h.percent_complete, "status_date": h.status_date,
            "spi": h.spi, "spi_t": h.spi_t, "cpi": h.cpi, "vac": h.vac, "bac": h.bac,
            "dimensions": [{"key": d.key, "label": d.label, "rag": d.rag, "reason": d.reason}
                           for d in h.health.dimensions]}


@router.get("/projects/{code}/health", response=HealthOut)
@project_operation("project.view")
def get_project_health(request: AuthedRequest, project: Project) -> dict[str, Any]:
    out = health_out(project_health(project, timezone.localdate()))
    if not has_perm(request.user, project, "cost.view"):  # indices, not money
        out.update(vac=None, bac=None)
    return out


ThresholdsPatch = input_schema("ThresholdsPatch", HealthThresholds, THRESHOLD_FIELDS,
                               with_version=True)


def thresholds_out(row: HealthThresholds) -> dict[str, Any]:
    return {**{f: getattr(row, f) for f in THRESHOLD_FIELDS}, "version": row.version}


@router.get("/health-thresholds", response=ThresholdsOut)
@office_operation("authenticated")
def get_thresholds(request: AuthedRequest) -> dict[str, Any]:
    return thresholds_out(thresholds_row())


@router.patch("/health-thresholds", response=ThresholdsOut)
@office_operation("portfolio.manage")
def update_thresholds(request: AuthedRequest, payload: ThresholdsPatch) -> dict[str, Any]:  # type: ignore[valid-type]
    data = provided(payload)
    require_not_null(data, THRESHOLD_FIELDS)
    return thresholds_out(actions.update_health_thresholds(
        actor=request.user, version=version_of(payload), changes=data))
