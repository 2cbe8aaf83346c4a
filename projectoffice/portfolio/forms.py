from __future__ import annotations

from typing import Any

from django import forms

from projectoffice.accounts.models import User

from .actions import PROJECT_FIELDS
from .models import THRESHOLD_FIELDS, HealthThresholds, Project


class ProjectForm(forms.ModelForm[Project]):
    class Meta:
        model = Project
        fields = ("code", *PROJECT_FIELDS)
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "finish_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, editing: bool = False, can_move: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("display_name", "username")
        for name in ("manager", "sponsor"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        if editing:
            del self.fields["code"]
        if not can_move:
            del self.fields["portfolio"]
        if "code" in self.fields:
            self.fields["code"].widget.attrs.update({"placeholder": "e.g. CRM"})

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def validate_unique(self) -> None:
        """The action reports a taken code, with a clearer message than the model's."""


class ThresholdsForm(forms.ModelForm[HealthThresholds]):
    """The health thresholds; the model's own check (amber before red…) runs in the
    action, so its messages are the same on the page and in the API."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = HealthThresholds
        fields = THRESHOLD_FIELDS

    def _post_clean(self) -> None:
        """Leaves the model's validation to the action (one place, one set of messages)."""
