from django.contrib import admin

from .models import Membership, Portfolio, Programme, Project, ProjectOffice

admin.site.register(Portfolio)
admin.site.register(Programme)
admin.site.register(ProjectOffice)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ("code", "name", "programme", "manager", "status", "rag")
    list_filter = ("status", "rag", "phase", "portfolio")
    search_fields = ("code", "name")
    inlines = [MembershipInline]
