"""API tokens in the admin: see who holds one and revoke it (delete); tokens are issued only by the API."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from hotline.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created", "expires", "last_used")
    list_filter = ("expires",)
    search_fields = ("user__username", "user__display_name")
    readonly_fields = ("user", "key_hash", "created", "expires", "last_used")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token is shown once, when issued by POST /api/v1/auth/token; the admin only sees its hash.
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
