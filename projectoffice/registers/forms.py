from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from projectoffice.accounts.models import User
from projectoffice.portfolio.access import visible_projects
from projectoffice.portfolio.models import Project

from .actions import editable_fields
from .queries import hidden_fields
from .spec import RegisterSpec


def _person_label(user: User) -> str:
    return f"{user} ({user.username})"


def people_of(project: Project) -> Any:
    return (User.objects.filter(Q(memberships__project=project) | ~Q(global_role=""),
                                is_active=True).distinct().order_by("display_name", "username"))


def item_form_class(spec: RegisterSpec) -> type[forms.ModelForm[Any]]:
    widgets: dict[str, Any] = {"due_date": forms.DateInput(attrs={"type": "date"}),
                               "description": forms.Textarea(attrs={"rows": 5})}
    for name in spec.fields:
        field = spec.model._meta.get_field(name)
        if field.get_internal_type() == "TextField":
            widgets[name] = forms.Textarea(attrs={"rows": 3})
        elif field.get_internal_type() == "DateField":
            widgets[name] = forms.DateInput(attrs={"type": "date"})
        elif field.get_internal_type() == "DateTimeField":
            widgets[name] = forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                format="%Y-%m-%dT%H:%M")
    meta = type("Meta", (), {"model": spec.model, "fields": editable_fields(spec),
                             "widgets": widgets})
    return type(f"{spec.model.__name__}Form", (forms.ModelForm,), {"Meta": meta})


def bind_item_form(spec: RegisterSpec, project: Project, *args: Any, user: Any = None,
                   **kwargs: Any) -> Any:
    form = item_form_class(spec)(*args, **kwargs)
    # Guarded fields the person may not read are not on their form at all.
    for name in hidden_fields(spec, user, project) if user is not None else ():
        form.fields.pop(name, None)
    people = people_of(project)
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None \
                and field.queryset.model is User:
            field.queryset = people
            # Two people may share a name; the user name tells them apart.
            field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        elif isinstance(field, forms.ModelChoiceField) and field.queryset is not None \
                and field.queryset.model is Project and user is not None:
            # Only projects the user can see are offered (the action checks it again).
            field.queryset = visible_projects(user).exclude(pk=project.pk).order_by("code")
        elif isinstance(field, forms.ModelChoiceField) and field.queryset is not None \
                and any(f.name == "project" for f in field.queryset.model._meta.fields):
            # Rows of one project (a ticket's affected asset, a change impact's stakeholder
            # group) come from this one.
            field.queryset = field.queryset.filter(project=project)
        # The action validates the whole object; the form only checks input shapes.
        field.widget.attrs.setdefault("aria-describedby", f"{name}-error")
    return form
