"""Reads about document control shared by pages: the reviews awaiting a person."""

from __future__ import annotations

from typing import Any

from projectoffice.portfolio.access import has_perm

from .models import Decision, Review, VersionState


def reviews_awaiting(user: Any) -> list[Review]:
    """The document versions in review where the user's decision is still pending, oldest
    request first, on projects where they may still read documents. The list is shown by
    documents/_reviews_awaiting.html, made to be embedded in other pages."""
    if not user.is_authenticated:
        return []
    rows = (Review.objects.filter(reviewer=user, decision=Decision.PENDING,
                                  version__state=VersionState.IN_REVIEW)
            .select_related("version", "version__document", "version__document__project",
                            "requested_by")
            .order_by("created_at", "pk"))
    return [r for r in rows if has_perm(user, r.version.document.project, "document.view")]
