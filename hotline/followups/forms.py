"""Forms of the follow-up desk and the appeals (Art. 17, 25). Yes/no questions have no default: an unanswered one is
empty and the workflow refuses it with its own message (Art. 17: whether the unit made contact is asked, never
assumed)."""

from __future__ import annotations

from typing import Any

from django import forms

from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.followups.selectors import AppealFilter
from hotline.tickets.choices import AppealGround, AppealState, Fault, Satisfaction, UnitContactMethod

_TEXT = {"class": "form-control form-control-sm"}
_SELECT = {"class": "form-select form-select-sm"}
YES_NO = [("", "（请选择）"), ("yes", "是"), ("no", "否")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class YesNoField(forms.TypedChoiceField):
    """是 / 否 / not answered (None); never a checkbox, whose absence would read as "no"."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        super().__init__(label=label, choices=YES_NO, coerce=_yes_no, empty_value=None, required=False,
                         widget=forms.Select(attrs=_SELECT), **kwargs)


class FollowUpForm(forms.Form):
    """One follow-up call: reached or not, then five-level satisfaction, solved, whether and how the unit made
    contact, and whose fault a dissatisfied rating is (Art. 17)."""

    reached = YesNoField(label="联系上服务对象")
    satisfaction = forms.ChoiceField(label="满意度", required=False, widget=forms.Select(attrs=_SELECT),
                                     choices=[("", "（未联系上时不填）"), *Satisfaction.choices])
    solved = YesNoField(label="问题已解决")
    unit_contacted = YesNoField(label="承办单位联系过服务对象")
    unit_contact_method = forms.ChoiceField(label="承办单位联系方式", required=False,
                                            widget=forms.Select(attrs=_SELECT),
                                            choices=[("", "（未联系时不填）"), *UnitContactMethod.choices])
    fault = forms.ChoiceField(label="不满意原因", required=False, widget=forms.Select(attrs=_SELECT),
                              choices=[("", "（满意时不填）"), *Fault.choices],
                              help_text="承办单位原因的，保存时即发回重办（5个工作日）")
    note = forms.CharField(label="回访记录", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))

    def clean_reached(self) -> bool:
        value = self.cleaned_data.get("reached")
        if value is None:
            raise forms.ValidationError("请选择是否联系上服务对象")
        return bool(value)


class AppealForm(forms.Form):
    """A unit's appeal against one dissatisfied rating (Art. 25), with a statement and evidence files."""

    follow_up = forms.TypedChoiceField(label="申诉的回访记录", coerce=int, widget=forms.Select(attrs=_SELECT))
    ground = forms.ChoiceField(label="申诉理由", choices=AppealGround.choices, widget=forms.Select(attrs=_SELECT))
    statement = forms.CharField(label="申诉说明", max_length=5000, widget=forms.Textarea(attrs={**_TEXT, "rows": 4}))

    def __init__(self, *args: Any, follow_ups: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["follow_up"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = follow_ups or []


class AppealReviewForm(forms.Form):
    """The reviewer's decision on an appeal, with the reason."""

    decision = forms.ChoiceField(label="审核结果", choices=[("uphold", "申诉成立"), ("reject", "申诉不成立")],
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    note = forms.CharField(label="审核意见", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "uphold"


class LedgerFilterForm(forms.Form):
    """The ledger's filters; every field optional."""

    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *AppealState.choices],
                              widget=forms.Select(attrs=_SELECT))
    ground = forms.ChoiceField(label="申诉理由", required=False, choices=[("", "全部"), *AppealGround.choices],
                               widget=forms.Select(attrs=_SELECT))
    unit = forms.ModelChoiceField(label="申诉单位", required=False, empty_label="全部",
                                  queryset=Unit.objects.exclude(kind=UnitKind.HOTLINE).order_by("name"),
                                  widget=forms.Select(attrs=_SELECT))
    since = forms.DateField(label="申诉日期起", required=False,
                            widget=forms.DateInput(attrs={**_TEXT, "type": "date"}))
    until = forms.DateField(label="申诉日期止", required=False,
                            widget=forms.DateInput(attrs={**_TEXT, "type": "date"}))

    def appeal_filter(self) -> AppealFilter:
        data = self.cleaned_data
        unit = data.get("unit")
        return AppealFilter(state=data.get("state") or "", ground=data.get("ground") or "",
                            unit=unit.pk if unit else None, since=data.get("since"), until=data.get("until"))
