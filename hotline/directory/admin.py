from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hotline.directory.models import Staff, Topic, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "responds_24h", "is_active")
    list_filter = ("kind", "responds_24h", "is_active")
    search_fields = ("code", "name")


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("热线", {"fields": ("display_name", "role", "unit")}))


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "default_unit", "statutory_working_days", "always_confidential")
    list_filter = ("always_confidential", "needs_onsite_photo", "is_outage", "emergency_category")
    search_fields = ("code", "name", "keywords")
