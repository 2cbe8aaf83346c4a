"""The caller's own account: profile, API tokens, and their actions across projects."""

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from projectoffice.apischema import StrictIn
from projectoffice.http import AuthedRequest

from . import actions
from .operations import office_operation

router = Router(tags=["me"])


class MeOut(Schema):
    username: str
    display_name: str
    email: str
    job_title: str
    global_role: str
    is_superuser: bool


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class NewTokenOut(TokenOut):
    token: str


class TokenIn(StrictIn):
    name: str = Field(..., max_length=100)


class PasswordIn(StrictIn):
    old_password: str = Field(..., max_length=128)
    new_password: str = Field(..., max_length=128)


def token_out(t: Any) -> dict[str, Any]:
    return {"id": t.pk, "name": t.name, "prefix": t.prefix, "created_at": t.created_at,
            "last_used_at": t.last_used_at}


@router.get("/me", response=MeOut)
@office_operation("authenticated")
def me(request: AuthedRequest) -> Any:
    return request.user


@router.post("/me/password", response={204: None})
@office_operation("authenticated")
def change_password(request: AuthedRequest, payload: PasswordIn) -> Status[Any]:
    actions.change_password(actor=request.user, old_password=payload.old_password,
                            new_password=payload.new_password)
    return Status(204, None)


@router.get("/me/tokens", response=list[TokenOut])
@office_operation("authenticated")
def list_tokens(request: AuthedRequest) -> list[dict[str, Any]]:
    return [token_out(t) for t in request.user.api_tokens.filter(revoked_at__isnull=True)]


@router.post("/me/tokens", response={201: NewTokenOut},
             summary="Create a personal API token; the token is shown only in this response")
@office_operation("authenticated")
def create_token(request: AuthedRequest, payload: TokenIn) -> Status[Any]:
    token, raw = actions.create_api_token(actor=request.user, name=payload.name)
    return Status(201, {**token_out(token), "token": raw})


@router.delete("/me/tokens/{token_id}", response={204: None})
@office_operation("authenticated")
def revoke_token(request: AuthedRequest, token_id: int) -> Status[Any]:
    actions.revoke_api_token(actor=request.user, token_id=token_id, now=timezone.now())
    return Status(204, None)
