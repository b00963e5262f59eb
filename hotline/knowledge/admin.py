"""Read-only admin views of the knowledge base: every change goes through knowledge/workflow.py, which keeps a
version row for it (Art. 22), so the admin may look but not write."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hotline.knowledge.models import Article, ArticleVersion, UpdateRequest


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    can_delete = False
    fields = ("number", "action", "from_state", "to_state", "by", "at", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Articles: searchable by title; the state is read-only here so no change skips the workflow."""

    list_display = ("title", "owner_unit", "topic", "state", "valid_to", "updated_at")
    list_filter = ("state", "is_emergency", "owner_unit")
    search_fields = ("title", "questions")
    readonly_fields = ("state", "version", "created_by", "created_at", "published_at", "updated_at")
    inlines = [VersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UpdateRequest)
class UpdateRequestAdmin(admin.ModelAdmin):
    """Update requests to units, for the hotline's follow-up."""

    list_display = ("article", "unit", "due", "state")
    list_filter = ("state", "unit")
    readonly_fields = ("state", "requested_by", "requested_at", "done_at", "done_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
