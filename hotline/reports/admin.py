"""Admin: the assessment rule sets (edited as data, Art. 27), items entered with evidence, closed months (read only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.reports.models import AssessmentEntry, MonthClose, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """A new version is a new row: copy the items, change them, save as the next version."""

    list_display = ("year", "version", "name", "is_active", "created_at")
    list_filter = ("year", "is_active")
    save_as = True


@admin.register(AssessmentEntry)
class AssessmentEntryAdmin(admin.ModelAdmin):
    list_display = ("month", "unit", "item", "count", "evidence", "entered_by", "entered_at")
    list_filter = ("month", "item")
    search_fields = ("unit__name", "evidence", "note")
    exclude = ("entered_by",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(MonthClose)
class MonthCloseAdmin(admin.ModelAdmin):
    """Closed months are changed only through the close, review and publish screens."""

    list_display = ("platform", "year", "month", "number", "state", "closed_at", "published_at")
    list_filter = ("platform",)
    exclude = ("snapshot", "docx", "pdf", "xlsx")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
