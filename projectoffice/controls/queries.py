from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from projectoffice.portfolio.access import visible_projects

from .models import Action
from .registers import ACTION_WORKFLOW


def my_open_actions(user: Any) -> QuerySet[Action]:
    return (Action.objects.filter(Q(assignee=user) | Q(owner=user),
                                  status__in=ACTION_WORKFLOW.open_states,
                                  project__in=visible_projects(user))
            .select_related("project", "owner", "assignee")
            .order_by("due_date", "project__code", "number"))


def overdue_actions(user: Any, today: date) -> QuerySet[Action]:
    return (Action.objects.filter(project__in=visible_projects(user), due_date__lt=today,
                                  status__in=ACTION_WORKFLOW.open_states)
            .select_related("project", "owner", "assignee")
            .order_by("due_date", "project__code", "number"))
