"""Portfolios, programmes, offices and projects in the Django admin: to look at only.  They
are created and changed on the office's own pages and API, whose actions check permissions
and keep the audit trail; an admin edit would do neither."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Membership, Portfolio, Programme, Project, ProjectOffice


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Portfolio)
class PortfolioAdmin(ReadOnly, admin.ModelAdmin[Portfolio]):
    list_display = ("name",)


@admin.register(Programme)
class ProgrammeAdmin(ReadOnly, admin.ModelAdmin[Programme]):
    list_display = ("code", "name", "portfolio")


@admin.register(ProjectOffice)
class ProjectOfficeAdmin(ReadOnly, admin.ModelAdmin[ProjectOffice]):
    list_display = ("name",)


class MembershipInline(ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0


@admin.register(Project)
class ProjectAdmin(ReadOnly, admin.ModelAdmin[Project]):
    list_display = ("code", "name", "programme", "manager", "status", "rag")
    list_filter = ("status", "rag", "phase", "portfolio")
    search_fields = ("code", "name")
    inlines = [MembershipInline]
