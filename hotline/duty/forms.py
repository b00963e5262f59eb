"""The duty screens' forms (Chinese labels; the services check the rules)."""

from __future__ import annotations

from django import forms

from hotline.directory.choices import DutyKind
from hotline.directory.models import Unit


class SlotForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=DutyKind.choices)
    starts_at = forms.DateTimeField(label="开始时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="结束时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    person = forms.CharField(label="接听人", max_length=50)
    office = forms.CharField(label="职务", max_length=100)
    unit = forms.ModelChoiceField(label="所在单位（轮值必填）", queryset=Unit.objects.filter(is_active=True),
                                  required=False)
    scope = forms.CharField(label="接听事项范围", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RosterUploadForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.filter(is_active=True, responds_24h=True))
    month = forms.CharField(label="月份（YYYY-MM）", max_length=7)
    file = forms.FileField(label="值班表（.xlsx）")
