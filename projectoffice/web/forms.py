from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from projectoffice.accounts import throttle


class ThrottledLoginForm(AuthenticationForm):
    """Refuses sign-in for a while after repeated failures (accounts/throttle.py)."""

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))[:150]
        address = throttle.client_address(self.request.META) if self.request else ""
        if throttle.is_locked(username, address):
            raise forms.ValidationError(
                "Too many failed sign-ins. Wait 15 minutes and try again.", code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.note_failure(username, address)
            raise
        user = self.get_user()
        if user is not None:
            throttle.note_success(user, username, address)
        return cleaned


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete":
                                                                     "current-password"}))
    new_password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete":
                                                                     "new-password"}),
                                   help_text="At least 10 characters, not all digits.")


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'reporting'")
