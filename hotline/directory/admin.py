from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hotline.directory.models import Platform, Staff, Topic, Unit


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "platform", "responds_24h", "is_active")
    list_filter = ("kind", "platform", "responds_24h", "is_active")
    search_fields = ("code", "name")


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "platform", "unit", "is_active")
    list_filter = ("role", "platform", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("热线", {"fields": ("display_name", "role", "platform", "unit")}))


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "default_unit", "statutory_working_days", "always_confidential")
    list_filter = ("always_confidential", "needs_onsite_photo", "is_outage", "emergency_category")
    search_fields = ("code", "name", "keywords")
