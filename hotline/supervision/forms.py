"""The supervision screens' forms, Bootstrap-styled; the rules themselves are checked by `cases`, not here."""

from __future__ import annotations

from typing import Any

from django import forms

from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.supervision.choices import EVIDENCE_FIELDS, CaseStatus, Colour, Method, Trigger, UrgeMethod


class Styled(forms.Form):
    """Gives every widget its Bootstrap class, so templates render fields in one loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _units() -> Any:
    return Unit.objects.filter(is_active=True).exclude(kind=UnitKind.HOTLINE).order_by("kind", "code")


class CaseFilterForm(Styled):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *CaseStatus.choices])
    trigger = forms.ChoiceField(label="督办情形", required=False, choices=[("", "全部"), *Trigger.choices])
    method = forms.ChoiceField(label="督办方式", required=False, choices=[("", "全部"), *Method.choices])
    colour = forms.ChoiceField(label="预警", required=False,
                               choices=[("", "全部"), *[c for c in Colour.choices if c[0]]])
    unit = forms.ModelChoiceField(label="督办对象", required=False, queryset=Unit.objects.none())
    due_before = forms.DateField(label="时限不晚于", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()  # type: ignore[attr-defined]


class OpenCaseForm(Styled):
    trigger = forms.ChoiceField(label="督办情形（第二十四条）", choices=Trigger.choices)
    method = forms.ChoiceField(label="督办方式", choices=Method.choices)
    tickets = forms.CharField(label="工单编号", help_text="多个工单以逗号或空格分隔", max_length=2000)
    units = forms.ModelMultipleChoiceField(label="督办对象单位", required=False, queryset=Unit.objects.none(),
                                           help_text="不选则为各工单的牵头单位")
    title = forms.CharField(label="督办事项", required=False, max_length=200)
    document_number = forms.CharField(label="交办文号（市委、市政府交办）", required=False, max_length=500)
    media_name = forms.CharField(label="媒体名称（媒体曝光）", required=False, max_length=500)
    media_link = forms.CharField(label="报道链接（媒体曝光）", required=False, max_length=500)
    deduction_notice = forms.CharField(label="扣分通报文号（省考核扣分）", required=False, max_length=500)
    description = forms.CharField(label="情况说明（影响恶劣、其他）", required=False, widget=_area(2), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units()  # type: ignore[attr-defined]

    def numbers(self) -> list[str]:
        return [n for n in self.cleaned_data["tickets"].replace("，", ",").replace(",", " ").split() if n]

    def evidence(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in EVIDENCE_FIELDS if self.cleaned_data.get(name)}


class UrgeForm(Styled):
    method = forms.ChoiceField(label="催办方式", choices=UrgeMethod.choices)
    person_reached = forms.CharField(label="联系人", max_length=100)
    promise = forms.CharField(label="承诺事项", required=False, widget=_area(2), max_length=2000)


class ReplyForm(Styled):
    actions_taken = forms.CharField(label="办理措施", widget=_area(), max_length=2000)
    result = forms.CharField(label="办理结果", widget=_area(), max_length=2000)
    evidence = forms.CharField(label="佐证材料", required=False, widget=_area(2), max_length=2000)


class NoteForm(Styled):
    note = forms.CharField(label="意见", required=False, widget=_area(2), max_length=2000)


class ExtensionForm(Styled):
    working_days = forms.IntegerField(label="延期工作日（不超过10个）", min_value=1, max_value=10)
    reason = forms.CharField(label="延期理由", widget=_area(2), max_length=2000)


class ReviewForm(Styled):
    approve = forms.TypedChoiceField(label="审核结果", choices=[("1", "同意延期"), ("0", "不同意")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect)
    note = forms.CharField(label="审核意见", required=False, widget=_area(2), max_length=2000)


class DismissForm(Styled):
    note = forms.CharField(label="不予督办的理由", max_length=2000)


class ProposalOpenForm(Styled):
    method = forms.ChoiceField(label="督办方式", choices=Method.choices)
    units = forms.ModelMultipleChoiceField(label="督办对象单位", required=False, queryset=Unit.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units()  # type: ignore[attr-defined]


class FlagForm(Styled):
    ticket = forms.CharField(label="工单编号", max_length=20)
    reason = forms.CharField(label="列入原因", max_length=200)


class MeetingForm(Styled):
    meeting_at = forms.DateTimeField(label="会议时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    units_present = forms.ModelMultipleChoiceField(label="参会单位", queryset=Unit.objects.none())
    minutes = forms.CharField(label="会议纪要", widget=_area(4), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units_present"].queryset = _units()  # type: ignore[attr-defined]


class DecideForm(Styled):
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.none())
    assisting_units = forms.ModelMultipleChoiceField(label="会同单位", required=False, queryset=Unit.objects.none())
    basis = forms.CharField(label="确定依据（职责文件、会议纪要）", widget=_area(3), max_length=2000)
    update_catalogue = forms.BooleanField(label="同时更新派单目录（下次同类事项直接派至该单位）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = _units()  # type: ignore[attr-defined]
        self.fields["assisting_units"].queryset = _units()  # type: ignore[attr-defined]


class UndeterminedForm(Styled):
    leader = forms.CharField(label="提请督办的市政府领导", max_length=100)
    note = forms.CharField(label="说明", required=False, widget=_area(2), max_length=2000)
