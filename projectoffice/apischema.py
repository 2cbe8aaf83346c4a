"""Building blocks shared by every router: the strict base schema, pagination, user lookup,
and pydantic schemas derived from model fields (so limits are declared once, on the model)."""

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Optional, TypeVar

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from projectoffice.errors import InvalidInput

if TYPE_CHECKING:
    from projectoffice.accounts.models import User

T = TypeVar("T")


class StrictIn(Schema):
    """Input schemas refuse unknown fields, so a typo is an error rather than ignored."""

    model_config = ConfigDict(extra="forbid")


class Page(Schema):
    count: int
    limit: int
    offset: int
    items: list[Any]


MAX_LIMIT = 500
# Far beyond any list the office keeps, and far inside the 64-bit range databases accept.
MAX_OFFSET = 1_000_000_000


def check_offset(offset: int) -> None:
    if offset < 0:
        raise InvalidInput.field("offset", "must not be negative")
    if offset > MAX_OFFSET:
        raise InvalidInput.field("offset", f"must be at most {MAX_OFFSET}")


def paginate(qs: QuerySet[Any], limit: int, offset: int) -> tuple[int, list[Any]]:
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidInput.field("limit", f"must be between 1 and {MAX_LIMIT}")
    check_offset(offset)
    return qs.count(), list(qs[offset: offset + limit])


def user_by_username(username: str | None, field: str) -> "User | None":
    if username is None or username == "":
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput.field(field, f"no active user {username!r}")
    return user


def username(user: "User | None") -> str | None:
    return user.username if user is not None else None


def model_field(model: type[models.Model], name: str) -> Any:
    """A concrete field of a model (get_field also returns reverse relations)."""
    return model._meta.get_field(name)


def field_type(field: Any) -> Any:
    """The pydantic type for a model field as the API exchanges it."""
    if field.choices:
        return Literal[tuple(str(k) for k, _ in field.flatchoices)]
    if isinstance(field, models.ForeignKey):
        return str  # users by username, other objects by code or id (declared per router)
    if isinstance(field, models.DateTimeField):
        return dt.datetime
    if isinstance(field, models.DateField):
        return dt.date
    if isinstance(field, models.DecimalField):
        return Decimal
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):
        return int
    return str


def input_schema(name: str, model: type[models.Model], fields: tuple[str, ...],
                 required: tuple[str, ...] = (), with_version: bool = False,
                 extra: dict[str, Any] | None = None) -> type[Schema]:
    """A strict input schema: types, choices and maximum lengths come from the model."""
    spec: dict[str, Any] = {}
    for fname in fields:
        f = model._meta.get_field(fname)
        kind = field_type(f)
        constraints: dict[str, Any] = {}
        if kind is str and getattr(f, "max_length", None):
            constraints["max_length"] = f.max_length  # type: ignore[union-attr]
        if isinstance(f, models.DecimalField):
            constraints["max_digits"] = f.max_digits
            constraints["decimal_places"] = f.decimal_places
        if fname in required:
            spec[fname] = (kind, Field(..., **constraints))
        else:
            spec[fname] = (Optional[kind], Field(None, **constraints))  # noqa: UP045
    spec.update(extra or {})
    if with_version:
        spec["version"] = (int, Field(..., description="The version you last read"))
    schema: type[Schema] = create_model(name, __base__=StrictIn, **spec)
    return schema


def version_of(payload: Any) -> int:
    """The `version` of an input schema built by input_schema(..., with_version=True)."""
    return int(payload.version)


def provided(payload: Schema) -> dict[str, Any]:
    """Only the fields the caller sent (PATCH semantics), without the version."""
    data = payload.model_dump(exclude_unset=True)
    data.pop("version", None)
    return data


def require_not_null(data: dict[str, Any], fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data and data[name] is None:
            raise InvalidInput.field(name, "cannot be empty")
