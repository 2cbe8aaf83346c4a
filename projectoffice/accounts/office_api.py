"""The office's accounts over the API (Project Office manager): list, invite, switch off
or on, change the office-wide role, send a password link."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import MAX_LIMIT, StrictIn, check_offset, field_type, model_field
from projectoffice.errors import InvalidInput, NotFound
from projectoffice.http import AuthedRequest

from . import actions, queries
from .models import User
from .operations import office_operation

router = Router(tags=["accounts"])

# The office-wide roles, as the account model declares them ("" for none).
if TYPE_CHECKING:
    RoleName = str
else:
    RoleName = field_type(model_field(User, "global_role"))
StatusName = Literal["active", "invited", "off", "all"]


class AccountOut(Schema):
    username: str
    display_name: str
    email: str
    job_title: str
    global_role: str
    is_active: bool
    status: str
    sign_in: str
    two_factor: bool
    last_login: dt.datetime | None
    version: int


class AccountPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AccountOut]


class InviteIn(StrictIn):
    username: str = Field(..., max_length=150)
    email: str = Field(..., max_length=254)
    display_name: str = Field("", max_length=150)
    job_title: str = Field("", max_length=150)
    global_role: RoleName = ""


class AccountPatch(StrictIn):
    """Give `version` as read, so that two people's changes never overwrite each other."""

    version: int = Field(..., ge=1, le=2_147_483_647)
    global_role: RoleName | None = None
    is_active: bool | None = None
    reason: str = Field("", max_length=300)


def _out(row: queries.AccountRow) -> dict[str, Any]:
    return {"username": row.username, "display_name": row.user.display_name,
            "email": row.email, "job_title": row.job_title, "global_role": row.global_role,
            "is_active": row.is_active, "status": row.status.lower().replace(" ", "_"),
            "sign_in": row.sign_in, "two_factor": row.two_factor,
            "last_login": row.last_login, "version": row.version}


def _one(username: str) -> dict[str, Any]:
    rows, _ = queries.accounts(q="", status="all", username=username)
    if not rows:
        raise NotFound(f"No account {username!r}")
    return _out(rows[0])


@router.get("/accounts", response=AccountPage)
@office_operation(actions.MANAGE_ACCOUNTS)
def list_accounts(request: AuthedRequest, q: str = "", status: StatusName = "active",
                  global_role: RoleName | None = None, limit: int = 100,
                  offset: int = 0) -> dict[str, Any]:
    """The office's accounts by name; `status` active (the default), invited (no password
    chosen yet), off (switched off) or all; `global_role` "" for people without one."""
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidInput.field("limit", f"must be between 1 and {MAX_LIMIT}")
    check_offset(offset)
    rows, total = queries.accounts(q=q[:200], role=global_role, status=status, limit=limit,
                                   offset=offset)
    return {"count": total, "limit": limit, "offset": offset,
            "items": [_out(r) for r in rows]}


@router.post("/accounts", response={201: AccountOut},
             summary="Invite someone: the account is made and a link to choose a password "
                     "is e-mailed to them")
@office_operation(actions.MANAGE_ACCOUNTS)
def invite(request: AuthedRequest, payload: InviteIn) -> Status[Any]:
    user = actions.invite_user(actor=request.user, username=payload.username,
                               email=payload.email, display_name=payload.display_name,
                               job_title=payload.job_title, global_role=payload.global_role,
                               base_url=request.build_absolute_uri("/"))
    return Status(201, _one(user.username))


@router.patch("/accounts/{username}", response=AccountOut)
@office_operation(actions.MANAGE_ACCOUNTS)
def change(request: AuthedRequest, username: str, payload: AccountPatch) -> dict[str, Any]:
    """Switches the account off or on (`is_active`) and/or changes its office-wide role
    (`global_role`, which needs roles.manage as well)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"No account {username!r}")
    version = payload.version
    if payload.global_role is not None:
        user = actions.change_global_role(actor=request.user, user=user,
                                          global_role=payload.global_role,
                                          reason=payload.reason, version=version)
        version = user.version
    if payload.is_active is not None:
        actions.set_account_active(actor=request.user, user=user, active=payload.is_active,
                                   version=version, reason=payload.reason)
    return _one(username)


@router.post("/accounts/{username}/password-link", response={202: None},
             summary="E-mail the person a link to choose a new password")
@office_operation(actions.MANAGE_ACCOUNTS)
def password_link(request: AuthedRequest, username: str) -> Status[None]:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"No account {username!r}")
    actions.send_password_link(actor=request.user, user=user,
                               base_url=request.build_absolute_uri("/"))
    return Status(202, None)

