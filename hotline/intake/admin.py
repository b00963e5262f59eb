"""The dispatch catalogue in the admin: the hotline adds lines; a line is never edited, a new version replaces it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from hotline.directory.choices import UnitKind
from hotline.intake import catalogue
from hotline.intake.models import CatalogueRule, RoutingModel


class CatalogueRuleForm(forms.ModelForm):
    """Checks what `catalogue.set_rule` checks, so the admin shows the error on the field."""

    class Meta:
        model = CatalogueRule
        fields = ["topic", "region", "lead_unit", "assisting_units", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region, lead = data.get("region"), data.get("lead_unit")
        if region is not None and region.kind != UnitKind.COUNTY:
            self.add_error("region", "县市区须为县级单位")
        if lead is not None and lead in (data.get("assisting_units") or []):
            self.add_error("assisting_units", "牵头单位不能同时为会同单位")
        if lead is not None and (not lead.is_active or lead.kind == UnitKind.HOTLINE):
            self.add_error("lead_unit", "请选择有效的牵头单位")
        return data


@admin.register(CatalogueRule)
class CatalogueRuleAdmin(admin.ModelAdmin):
    """Adding a line for a topic and county that already has one writes its next version (第十二条)."""

    form = CatalogueRuleForm
    list_display = ["topic", "region", "lead_unit", "version", "is_current", "valid_from", "valid_until", "changed_by"]
    list_filter = ["is_current", "region"]
    search_fields = ["topic__name", "topic__code", "lead_unit__name"]
    ordering = ["topic__code", "region__code", "-version"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # history stays as it was; add a new version instead

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CatalogueRule, form: forms.ModelForm, change: bool) -> None:
        rule = catalogue.set_rule(topic=obj.topic, region=obj.region, lead_unit=obj.lead_unit,
                                  assisting_units=list(form.cleaned_data.get("assisting_units") or []),
                                  by=request.user, note=obj.note)  # type: ignore[arg-type]
        obj.pk, obj.version, obj.valid_from, obj.is_current = rule.pk, rule.version, rule.valid_from, True


@admin.register(RoutingModel)
class RoutingModelAdmin(admin.ModelAdmin):
    """Trained models, read only: `hotline routing train|rollback` changes them."""

    list_display = ["version", "created_at", "trained_on", "active", "note"]
    readonly_fields = ["version", "created_at", "trained_on", "heldout", "path", "active", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
