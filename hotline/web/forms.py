"""Django forms of the screens: they only parse input; every rule is checked again by `tickets.workflow`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from hotline.channels.submissions import SubmissionKeyField
from hotline.deadlines.policy import MAX_EXTENSION_WORKING_DAYS
from hotline.directory.choices import UnitKind
from hotline.directory.models import Platform, Topic, Unit
from hotline.followups import forms as followup_forms
from hotline.lib.textlimit import LimitedTextField
from hotline.tickets.choices import (
    Channel,
    DeclineReason,
    EmergencyLine,
    RequestType,
    ReturnKind,
    Status,
)
from hotline.tickets.selectors import TicketFilter
from hotline.tickets.workflow import MAX_CONTENT_CHARS

APPROVE_CHOICES = [("yes", "通过"), ("no", "不通过")]
CONTACTED_CHOICES = [("yes", "已联系上"), ("no", "未联系上")]


def handling_units() -> QuerySet[Unit]:
    """Units a ticket can be sent to: active, and not the hotline itself."""
    return Unit.objects.filter(is_active=True).exclude(kind=UnitKind.HOTLINE).order_by("kind", "name")


class BootstrapMixin:
    """Gives every widget the Bootstrap 5 class its type needs, so templates render fields in one loop."""

    fields: dict[str, forms.Field]

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def chinese_messages(field: forms.Field) -> None:
    """Plain Chinese messages naming the field, instead of the framework's generic ones ("输入整数。")."""
    label = str(field.label or "此项")
    choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
    messages = {
        "required": f"请选择{label}" if choose else f"请填写{label}",
        "invalid": f"{label}格式不正确",
        "invalid_choice": f"所选{label}无效，请重新选择",
        "max_length": f"{label}最多%(limit_value)s个字（当前%(show_value)s个字）",
        "min_length": f"{label}至少%(limit_value)s个字",
    }
    if isinstance(field, forms.IntegerField):
        messages.update(invalid=f"{label}须为整数", min_value=f"{label}不能小于%(limit_value)s",
                        max_value=f"{label}不能大于%(limit_value)s")
    if isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"{label}格式不正确，请选择日期和时间"
    if isinstance(field, forms.ModelMultipleChoiceField):
        messages.update(invalid_choice=f"所选{label}无效，请重新选择", invalid_pk_value=f"所选{label}无效")
    for key, text in messages.items():
        # A message a field sets for itself is more specific than these.
        if field.error_messages.get(key) == _framework_message(field, key):
            field.error_messages[key] = text


def _framework_message(field: forms.Field, key: str) -> str | None:
    for cls in type(field).__mro__:
        default = getattr(cls, "default_error_messages", {}).get(key)
        if default is not None:
            return str(default)
    return None


class StyledForm(BootstrapMixin, forms.Form):
    """A form whose widgets carry Bootstrap classes and whose messages are plain Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
        for field in self.fields.values():
            chinese_messages(field)


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# ---------------------------------------------------------------- intake


class NewTicketForm(StyledForm):
    """Intake on the hotline desk (Art. 9, 11): what was asked, where, by whom."""

    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices, initial=Channel.PHONE)
    request_type = forms.ChoiceField(label="诉求类型", choices=RequestType.choices)
    topic = forms.ModelChoiceField(label="事项分类", queryset=Topic.objects.filter(is_active=True), required=False,
                                   empty_label="（未分类）")
    title = forms.CharField(label="标题", max_length=120, required=False,
                            help_text="留空则取诉求内容前30字")
    content = LimitedTextField(label="诉求内容", widget=_textarea(4), max_chars=MAX_CONTENT_CHARS)
    address = forms.CharField(label="事发地点", max_length=300, required=False)
    region = forms.ModelChoiceField(label="所属区县", required=False, empty_label="（未指定）",
                                    queryset=Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True))
    requester_name = forms.CharField(label="来电人姓名", max_length=100, required=False)
    requester_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    requester_id_number = forms.CharField(label="证件号码", max_length=32, required=False)
    is_confidential = forms.BooleanField(label="服务对象要求保密（第二十三条）", required=False)
    is_complex = forms.BooleanField(label="情况复杂（办理时限10个工作日，第十四条）", required=False)
    submission_key = SubmissionKeyField()

    def contact_fields(self) -> dict[str, Any]:
        """The fields of the contact, for the intake service (`hotline.channels.intake.take`)."""
        data = self.cleaned_data
        return {
            "channel": data["channel"], "request_type": data["request_type"], "topic": data["topic"],
            "title": data["title"], "content": data["content"], "address": data["address"], "region": data["region"],
            "is_confidential": data["is_confidential"], "is_complex": data["is_complex"],
            "requester": {"name": data["requester_name"], "phone": data["requester_phone"],
                          "id_number": data["requester_id_number"]},
        }


class DeclineForm(StyledForm):
    # Nothing preselected: declining for reason 1 (state secrets) by not looking is worse than being asked.
    reason_code = forms.ChoiceField(label="不予受理原因（第十条）",
                                    choices=[("", "请选择第十条规定的原因"), *DeclineReason.choices])
    explanation = forms.CharField(label="告知服务对象的说明", widget=_textarea())


class AnswerForm(StyledForm):
    text = forms.CharField(label="答复内容", widget=_textarea(3))
    article_ref = forms.CharField(label="引用知识库条目", max_length=64, required=False)


class ConsultForm(StyledForm):
    unit = forms.ModelChoiceField(label="咨询单位", queryset=Unit.objects.none())
    note = forms.CharField(label="说明", widget=_textarea(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = handling_units()  # type: ignore[attr-defined]


class ConsultReplyForm(StyledForm):
    """The consulted unit's answer to the hotline's question (Art. 12(1))."""

    text = forms.CharField(label="答复内容", widget=_textarea(4),
                           help_text="答复将送达热线话务员，由热线通过三方通话、短信或回拨电话告知服务对象")


class DispatchForm(StyledForm):
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.none())
    assisting_units = forms.ModelMultipleChoiceField(label="会同单位", queryset=Unit.objects.none(), required=False,
                                                     widget=forms.SelectMultiple(attrs={"size": 4}))
    note = forms.CharField(label="派单说明", widget=_textarea(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = handling_units()  # type: ignore[attr-defined]
        self.fields["assisting_units"].queryset = handling_units()  # type: ignore[attr-defined]


class HandDownForm(StyledForm):
    platform = forms.ModelChoiceField(label="下级分中心", queryset=Platform.objects.filter(parent__isnull=False))
    note = forms.CharField(label="下派说明", widget=_textarea(), required=False)


class PassUpForm(StyledForm):
    reason = forms.CharField(label="上交理由（属上级平台所辖部门的事项）", widget=_textarea())


class MergeForm(StyledForm):
    into = forms.CharField(label="并入工单编号", max_length=20)
    note = forms.CharField(label="说明", widget=_textarea(), required=False)


class HandOffForm(StyledForm):
    line = forms.ChoiceField(label="联动线路（第七条）", choices=EmergencyLine.choices)
    summary = forms.CharField(label="转出摘要", widget=_textarea())


# ---------------------------------------------------------------- units


class EmptyForm(StyledForm):
    """Actions with nothing to fill in (sign)."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one input; each is checked by `tickets.attachments` (type by its bytes, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class ReturnForm(StyledForm):
    kind = forms.ChoiceField(label="退回类型（第十三条）", choices=ReturnKind.choices)
    reason = forms.CharField(label="退回理由", widget=_textarea())
    basis = forms.CharField(label="退回依据（法律法规、三定方案等）", widget=_textarea())
    suggested_unit = forms.ModelChoiceField(label="建议承办单位", queryset=Unit.objects.none(), required=False,
                                            empty_label="（无）")
    photos = MultipleFileField(label="现场图片（井盖、电线杆等须上传）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].queryset = handling_units()  # type: ignore[attr-defined]


class ExtensionForm(StyledForm):
    working_days = forms.IntegerField(label="延期工作日", min_value=1, max_value=MAX_EXTENSION_WORKING_DAYS,
                                      initial=5)
    reason = forms.CharField(label="延期理由", widget=_textarea())


class ReplyForm(StyledForm):
    """Art. 15: who handled it, when, how, the result, and how the requester was contacted."""

    handler_name = forms.CharField(label="办理机构或人员", max_length=100)
    handled_at = forms.DateTimeField(label="办理时间", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"))
    process = forms.CharField(label="办理过程", widget=_textarea(3))
    result = forms.CharField(label="办理结果", widget=_textarea(3))
    # Art. 15, 17: the unit states whether it reached the requester; nothing is chosen for it.
    contacted = forms.TypedChoiceField(label="是否已联系上服务对象", choices=CONTACTED_CHOICES,
                                       widget=forms.RadioSelect, coerce=lambda value: value == "yes",
                                       error_messages={"required": "请选择是否已联系上服务对象"})
    contact_note = forms.CharField(label="联系服务对象情况", widget=_textarea(),
                                   help_text="写明联系方式、时间和服务对象的意见；未联系上的写明尝试情况")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handled_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def style_widgets(self) -> None:
        super().style_widgets()
        self.fields["contacted"].widget.attrs["class"] = "form-check-input"


class ArrivalForm(StyledForm):
    remote = forms.BooleanField(label="远程处置（未到现场）", required=False)
    note = forms.CharField(label="说明", widget=_textarea(), required=False)


class ContactAttemptForm(StyledForm):
    method = forms.ChoiceField(label="联系方式", choices=[("call", "回拨电话"), ("sms", "短信"),
                                                      ("relay", "经热线三方通话或转达（保密工单）")])
    reached = forms.BooleanField(label="已联系上", required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


# ---------------------------------------------------------------- hotline review and follow-up


class ReviewForm(StyledForm):
    """Approve or reject a return, an extension or a reply; a rejection needs a reason."""

    decision = forms.ChoiceField(label="审核结果", choices=APPROVE_CHOICES, widget=forms.RadioSelect, initial="yes")
    note = forms.CharField(label="审核意见", widget=_textarea(), required=False)

    def style_widgets(self) -> None:
        super().style_widgets()
        self.fields["decision"].widget.attrs["class"] = "form-check-input"

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "yes"


# Art. 17: the follow-up call's form is the follow-up desk's own, so the ticket page and the desk ask alike.
FollowUpForm = followup_forms.FollowUpForm


class ReworkForm(StyledForm):
    note = forms.CharField(label="重办说明", widget=_textarea(), required=False)


# ---------------------------------------------------------------- search


class TicketFilterForm(StyledForm):
    """Filters of the ticket list; every field optional."""

    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "编号、标题、内容或地点"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Status.choices])
    unit = forms.ModelChoiceField(label="牵头承办单位", required=False, queryset=Unit.objects.none(),
                                  empty_label="全部单位")
    overdue = forms.BooleanField(label="仅超时", required=False)
    date_from = forms.DateField(label="受理日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = handling_units()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("date_from")
        end: dt.date | None = data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return data

    def ticket_filter(self) -> TicketFilter:
        """The filters as the one list filter of `hotline.tickets.selectors` reads them."""
        data = self.cleaned_data
        return TicketFilter(text=(data.get("q") or "").strip(), status=data.get("status") or "",
                            unit=data.get("unit"), overdue=True if data.get("overdue") else None,
                            created_from=data.get("date_from"), created_to=data.get("date_to"))


class RevealForm(StyledForm):
    """Which personal field to show in full and why (Art. 23); the reason is written to the access log."""

    field = forms.ChoiceField(label="字段", choices=[("phone", "电话"), ("name", "姓名"), ("id_number", "证件号码"),
                                                     ("address", "住址")], initial="phone")
    reason = forms.CharField(label="查看理由", max_length=500, widget=_textarea(2),
                             help_text="如：联系服务对象核实现场情况；记入查看记录，热线管理员可查")
