from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from hotline.channels.models import ChannelKey, CitizenRating, Deputy, NuisanceFlag
from hotline.lib.privacy import is_valid_phone, mask_phone
from hotline.vault.keys import phone_lookup_hash


@admin.register(ChannelKey)
class ChannelKeyAdmin(admin.ModelAdmin):
    """Keys are created with `hotline channelkey create` (the raw key is shown once); here they are listed and
    switched off."""

    list_display = ("prefix", "name", "channel", "is_active", "last_used_at", "created_at")
    list_filter = ("channel", "is_active")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: Any) -> bool:
        return False


class DeputyForm(forms.ModelForm):
    """The phone is typed in clear once and stored only as its keyed hash and a mask (Art. 23)."""

    phone = forms.CharField(label="联系电话", required=False, help_text="只保存加密摘要和脱敏号码；修改时重新填写")

    class Meta:
        model = Deputy
        fields = ("name", "delegation", "level", "is_active")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not is_valid_phone(phone):
            raise forms.ValidationError("电话号码格式不正确")
        if not phone and not self.instance.pk:
            raise forms.ValidationError("请填写代表的联系电话")
        return phone

    def save(self, commit: bool = True) -> Deputy:
        deputy = super().save(commit=False)
        if phone := self.cleaned_data.get("phone"):
            deputy.phone_hash, deputy.phone_masked = phone_lookup_hash(phone), mask_phone(phone)
        if commit:
            deputy.save()
        return deputy


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    form = DeputyForm
    list_display = ("name", "delegation", "level", "phone_masked", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "delegation")


@admin.register(NuisanceFlag)
class NuisanceFlagAdmin(admin.ModelAdmin):
    list_display = ("phone_masked", "kind", "state", "raised_by", "raised_at", "reviewed_by")
    list_filter = ("kind", "state")
    readonly_fields = ("phone_hash", "phone_masked", "raised_by", "raised_at", "reviewed_by", "reviewed_at")


@admin.register(CitizenRating)
class CitizenRatingAdmin(admin.ModelAdmin):
    list_display = ("ticket", "satisfaction", "at")
    list_filter = ("satisfaction",)
