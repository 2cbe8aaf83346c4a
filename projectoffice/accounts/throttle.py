"""Login throttling: too many failures for a user name or an address locks it out for a while.

Counts live in the cache (the database cache by default) so several app servers share them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    return any((cache.get(k) or 0) >= limit for k in _keys(username, address))


def note_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        if cache.add(key, 1, settings.LOGIN_THROTTLE_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete_many(_keys(username, address))
