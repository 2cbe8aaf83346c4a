from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import GlobalRole


class User(AbstractUser):
    """A person who signs in. Global roles give access across all projects."""

    display_name = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    global_role = models.CharField(
        max_length=20, choices=GlobalRole.choices, blank=True, default=GlobalRole.NONE
    )
    version = models.PositiveIntegerField(default=1)
    # Who the person is at the directory that signs them in (OpenID Connect `sub`, LDAP DN):
    # their account is found by it on every sign-in, never by user name or e-mail.
    directory_source = models.CharField(max_length=10, blank=True)
    directory_subject = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["display_name", "username"]
        constraints = [models.UniqueConstraint(
            fields=["directory_source", "directory_subject"],
            condition=~models.Q(directory_subject=""), name="one_account_per_directory_person")]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def label(self) -> str:
        return str(self)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise it")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInAddress(models.Model):
    """An address a person has signed in from successfully (kept as a keyed hash, not the
    address itself): failures elsewhere never lock them out of it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    address_hash = models.CharField(max_length=64)
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "address_hash"],
                                               name="sign_in_address_once")]


class TwoFactor(models.Model):
    """A person's authenticator (TOTP, RFC 6238) and the hashes of their unused recovery
    codes. Confirmed once they have entered a code from it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField()
    recovery = models.JSONField(default=list, help_text="SHA-256 of each unused recovery code")
    last_step = models.BigIntegerField(default=0, help_text="the last time step used")


class SignInPolicy(models.Model):
    """The office's sign-in rules, set by the Project Office manager. One row."""

    require_two_factor = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
