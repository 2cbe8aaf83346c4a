"""Login throttling per (user name, client address).

Failures count per pair, so guessing a person's password from one address locks only that
address out of that account; the person signs in as usual from anywhere else. Two wider
counters stop guessing spread out: many failures for one user name from addresses they never
signed in from lock the name there (their usual addresses stay open), and many failures
from one address across names lock that address. A password reset starts every count for
the user afresh (the counters are keyed by the password's hash).

The client address is REMOTE_ADDR, unless that is one of PMO_TRUSTED_PROXIES: then it is the
nearest address in X-Forwarded-For that is not a trusted proxy, so that neither a forged
header nor the proxy itself decides whose address is counted.

Counts live in the cache (the database cache by default) so several app servers share them.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import SignInAddress, User

# The wider counters allow this many times the per-pair attempts.
WIDE_FACTOR = 4


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n.strip(), strict=False)
            for n in getattr(settings, "PMO_TRUSTED_PROXIES", []) if n.strip()]


def _trusted(address: str, networks: list[Any]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def client_address(meta: Mapping[str, Any]) -> str:
    """The address of the client: REMOTE_ADDR, or behind trusted proxies the nearest
    forwarded address that is not one of them."""
    remote = str(meta.get("REMOTE_ADDR", "") or "")
    networks = _networks()
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = [a.strip() for a in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")
                 if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a forwarded value that is no address: count the proxy
    return remote


def _stamp(username: str) -> tuple[User | None, str]:
    user = User.objects.filter(username__iexact=username).first() if username else None
    # The password hash changes on a reset, and with it every key of this user.
    stamp = hashlib.sha256((user.password if user else "").encode()).hexdigest()[:12]
    return user, stamp


def _address_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), "sha256").hexdigest()


def _keys(username: str, address: str, stamp: str) -> dict[str, str]:
    name = hashlib.sha256(username.lower().encode()).hexdigest()[:24]
    where = _address_hash(address)[:24]
    return {"pair": f"login-fail:pair:{name}:{stamp}:{where}",
            "user": f"login-fail:user:{name}:{stamp}",
            "addr": f"login-fail:addr:{where}"}


def _known(user: User | None, address: str) -> bool:
    return user is not None and SignInAddress.objects.filter(
        user=user, address_hash=_address_hash(address)).exists()


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    user, stamp = _stamp(username)
    keys = _keys(username, address, stamp)
    counts = cache.get_many(list(keys.values()))
    if counts.get(keys["pair"], 0) >= limit:
        return True
    if _known(user, address):
        return False
    return bool(counts.get(keys["user"], 0) >= limit * WIDE_FACTOR
                or counts.get(keys["addr"], 0) >= limit * WIDE_FACTOR)


def note_failure(username: str, address: str) -> None:
    _, stamp = _stamp(username)
    for key in _keys(username, address, stamp).values():
        if cache.add(key, 1, settings.LOGIN_THROTTLE_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def note_success(user: User, username: str, address: str) -> None:
    """Clears this pair's failures and remembers the address as one the person uses."""
    _, stamp = _stamp(username)
    cache.delete(_keys(username, address, stamp)["pair"])
    SignInAddress.objects.update_or_create(user=user, address_hash=_address_hash(address),
                                           defaults={"last_seen": timezone.now()})
