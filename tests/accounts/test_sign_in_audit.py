"""Local sign-ins, accepted and refused, are in the audit trail of the account."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from projectoffice.audit.models import AuditEntry
from tests.conftest import PASSWORD, make_user


@pytest.mark.django_db
def test_a_refused_and_an_accepted_password_sign_in_are_audited() -> None:
    cache.clear()
    user = make_user("rita")
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post("/login/", {"username": "rita", "password": "not-the-password"})
    client.post("/login/", {"username": "nobody-here", "password": "x"})
    client.post("/login/", {"username": "rita", "password": PASSWORD})
    entries = list(AuditEntry.objects.filter(object_id=str(user.pk),
                                             verb__in=("signed_in", "sign_in_refused"))
                   .order_by("pk").values_list("verb", "actor_id", "changes"))
    assert entries == [
        ("sign_in_refused", None, {"method": "password", "address": "203.0.113.7"}),
        ("signed_in", user.pk, {"method": "password", "address": "203.0.113.7"}),
    ]
