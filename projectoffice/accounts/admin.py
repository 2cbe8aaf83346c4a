from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, User


@admin.register(User)
class OfficeUserAdmin(UserAdmin[User]):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Project Office", {"fields": ("display_name", "job_title", "global_role")}),
    )
    list_display = ("username", "display_name", "email", "global_role", "is_active")
    list_filter = ("global_role", "is_active", "is_superuser")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("token_hash", "prefix")
