from __future__ import annotations

from django.contrib import admin

from hotline.exchange.models import (
    LowerOrder,
    LowerReport,
    Partner,
    ReportBack,
    SubCentrePush,
    SubCentreTicket,
    UpperOrder,
)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """The provincial platform and the sub-centres; their secrets are named here, kept in the environment."""

    list_display = ("code", "name", "kind", "unit", "prefix", "is_active")
    list_filter = ("kind", "is_active")


@admin.register(UpperOrder)
class UpperOrderAdmin(admin.ModelAdmin):
    list_display = ("external_id", "partner", "ticket", "flag", "upper_due", "received_at")
    list_filter = ("partner", "flag")
    readonly_fields = ("partner", "external_id", "ticket", "category", "flag", "upper_due", "received_at")


@admin.register(ReportBack)
class ReportBackAdmin(admin.ModelAdmin):
    list_display = ("order", "at", "delivered_at", "attempts", "late")
    list_filter = ("late",)
    readonly_fields = ("order", "event", "outbox", "at", "delivered_at", "attempts", "late", "last_error")


@admin.register(LowerOrder)
class LowerOrderAdmin(admin.ModelAdmin):
    list_display = ("ticket", "partner", "remote_number", "created_at", "delivered_at", "attempts")
    list_filter = ("partner",)
    readonly_fields = ("partner", "ticket", "created_at", "delivered_at", "attempts", "last_error", "remote_number")


@admin.register(LowerReport)
class LowerReportAdmin(admin.ModelAdmin):
    list_display = ("order", "action", "status", "at", "received_at")
    list_filter = ("partner", "action")
    readonly_fields = ("partner", "order", "message_id", "event", "action", "status", "at", "received_at")


@admin.register(SubCentreTicket)
class SubCentreTicketAdmin(admin.ModelAdmin):
    list_display = ("external_id", "partner", "status", "received_at", "due_at", "resolved_at")
    list_filter = ("partner", "status")


@admin.register(SubCentrePush)
class SubCentrePushAdmin(admin.ModelAdmin):
    list_display = ("partner", "at", "status", "on_time", "complete", "refused")
    list_filter = ("partner", "on_time", "complete", "refused")
