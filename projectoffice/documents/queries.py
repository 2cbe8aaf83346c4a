"""Reads about document control shared by pages: the reviews awaiting a person."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from projectoffice.portfolio.access import projects_with

from .models import Decision, Review, VersionState


def reviews_awaiting(user: Any) -> QuerySet[Review]:
    """The document versions in review where the user's decision is still pending, oldest
    request first, on projects where they may still read documents (the inbox shows them)."""
    return (Review.objects.filter(reviewer=user, decision=Decision.PENDING,
                                  version__state=VersionState.IN_REVIEW,
                                  version__document__project__in=projects_with(
                                      user, "document.view"))
            .select_related("version__document__project", "requested_by")
            .order_by("created_at", "pk"))
