"""The call-intake form: one form for every outcome of a call, validated per action."""

from __future__ import annotations

from typing import Any

from django import forms

from hotline.channels.models import Deputy, DeputyLevel
from hotline.channels.submissions import SubmissionKeyField
from hotline.directory.choices import UnitKind
from hotline.directory.models import Topic, Unit
from hotline.lib.privacy import is_valid_phone
from hotline.lib.textlimit import LimitedTextField
from hotline.tickets.choices import Channel, DeclineReason, EmergencyLine, RequestType, Status
from hotline.tickets.workflow import MAX_CONTENT_CHARS

ACTIONS = [
    ("transfer", "受理转派"), ("answer", "直接答复"), ("consult", "咨询单位"), ("decline", "不予受理"),
    ("merge", "并单"), ("hand_off", "联动转出"),
]
# What each action needs beyond the call itself, with the Chinese message when it is missing.
REQUIRED_BY_ACTION: dict[str, list[tuple[str, str]]] = {
    "answer": [("answer_text", "请填写答复内容")],
    "consult": [("consult_unit", "请选择咨询的单位")],
    "decline": [("decline_reason", "请选择不予受理原因")],
    "merge": [("merge_into", "请选择或填写并入的工单编号")],
    "hand_off": [("hand_off_line", "请选择联动线路")],
}


def _css(field: forms.Field) -> None:
    if isinstance(field.widget, forms.CheckboxInput):
        field.widget.attrs.setdefault("class", "form-check-input")
    elif isinstance(field.widget, forms.Select):
        field.widget.attrs.setdefault("class", "form-select form-select-sm")
    else:
        field.widget.attrs.setdefault("class", "form-control form-control-sm")


class CallForm(forms.Form):
    """A phone call being taken: the caller, the matter, and what the operator decides."""

    phone = forms.CharField(label="来电号码", max_length=20, required=False)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_number = forms.CharField(label="证件号码", max_length=32, required=False)
    channel = forms.ChoiceField(label="来源", choices=Channel.choices, initial=Channel.PHONE)
    request_type = forms.ChoiceField(label="诉求类型", choices=RequestType.choices, initial=RequestType.HELP)
    topic = forms.ModelChoiceField(label="事项分类", required=False, queryset=Topic.objects.filter(is_active=True))
    region = forms.ModelChoiceField(label="所属区县", required=False,
                                    queryset=Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True))
    address = forms.CharField(label="事发地点", max_length=300, required=False)
    content = LimitedTextField(label="诉求内容", max_chars=MAX_CONTENT_CHARS,
                               error_messages={"required": "请填写诉求内容"})
    is_confidential = forms.BooleanField(label="要求保密", required=False)
    is_complex = forms.BooleanField(label="情况复杂", required=False)
    action = forms.ChoiceField(label="处理方式", choices=ACTIONS, initial="transfer")
    lead_unit = forms.ModelChoiceField(label="直接转派至（派单员；留空进入待派单队列）", required=False,
                                       queryset=Unit.objects.filter(is_active=True).exclude(kind=UnitKind.HOTLINE))
    answer_text = forms.CharField(label="答复内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    knowledge_article = forms.CharField(required=False, widget=forms.HiddenInput)
    consult_unit = forms.ModelChoiceField(label="咨询单位", required=False,
                                          queryset=Unit.objects.filter(is_active=True).exclude(kind=UnitKind.HOTLINE))
    decline_reason = forms.ChoiceField(label="不予受理原因（第十条）", required=False,
                                       choices=[("", "—")] + list(DeclineReason.choices))
    decline_explanation = forms.CharField(label="告知说明（留空则用标准口径）", required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    merge_into = forms.CharField(label="并入工单编号", max_length=20, required=False)
    hand_off_line = forms.ChoiceField(label="联动线路", required=False,
                                      choices=[("", "—")] + list(EmergencyLine.choices))
    hand_off_summary = forms.CharField(label="转出摘要", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "submission_key":
                _css(field)
        self.fields["phone"].widget.attrs.update(autofocus=True, inputmode="tel", autocomplete="off")

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not is_valid_phone(phone):
            raise forms.ValidationError("电话号码格式不正确（手机号11位，座机请带区号）")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in REQUIRED_BY_ACTION.get(data.get("action", ""), []):
            if not data.get(name):
                self.add_error(name, message)
        return data


class FlagForm(forms.Form):
    """An operator's nuisance flag with its evidence (Art. 29)."""

    phone = forms.CharField(label="来电号码", max_length=20)
    kind = forms.ChoiceField(label="类型", choices=[("repeat", "无新情况反复来电"), ("abuse", "辱骂威胁工作人员"),
                                                  ("occupy", "长时间占用热线")])
    evidence = forms.CharField(label="证据（来电次数、日期、录音编号）", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _css(field)


class LedgerFilterForm(forms.Form):
    """The deputies' ledger filters (Art. 18)."""

    deputy = forms.ModelChoiceField(label="代表", queryset=Deputy.objects.order_by("name"), required=False)
    level = forms.ChoiceField(label="层级", choices=[("", "全部"), *DeputyLevel.choices], required=False)
    date_from = forms.DateField(label="受理起", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="受理止", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *Status.choices], required=False)


class DeputyImportForm(forms.Form):
    """The registry upload."""

    file = forms.FileField(label="人大代表信息表（.xlsx）")
