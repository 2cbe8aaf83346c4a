"""Request typing shared by views and API handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from projectoffice.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind login_required or the API's authentication: `user` is a real User."""

    user: User
