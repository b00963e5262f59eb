"""The citizen portal's forms: submit without an account (with an offline human check), track, rate."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms

from hotline.channels.submissions import SubmissionKeyField
from hotline.directory.choices import UnitKind
from hotline.directory.models import Topic, Unit
from hotline.lib.privacy import is_valid_phone
from hotline.lib.textlimit import LimitedTextField
from hotline.tickets.choices import RequestType, Satisfaction
from hotline.tickets.workflow import MAX_CONTENT_CHARS, MIN_CONTENT_CHARS

PORTAL_TYPES = [(v, label) for v, label in RequestType.choices]


class SubmitForm(forms.Form):
    """A request from the portal; typed text survives a failed validation because the form is re-rendered bound."""

    request_type = forms.ChoiceField(label="诉求类型", choices=PORTAL_TYPES, initial=RequestType.HELP)
    topic = forms.ModelChoiceField(label="事项分类（可不选）", required=False,
                                   queryset=Topic.objects.filter(is_active=True, parent__isnull=False))
    region = forms.ModelChoiceField(label="所在县市区（可不选）", required=False,
                                    queryset=Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True))
    content = LimitedTextField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 6}),
                               min_length=MIN_CONTENT_CHARS, max_chars=MAX_CONTENT_CHARS,
                               error_messages={"required": "请填写诉求内容",
                                               "min_length": f"诉求内容至少{MIN_CONTENT_CHARS}个字"})
    address = forms.CharField(label="事发地点", max_length=300, required=False)
    name = forms.CharField(label="您的姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, error_messages={"required": "请填写联系电话，以便回访"})
    confidential = forms.BooleanField(label="请对我的个人信息保密（第二十三条）", required=False)
    captcha = CaptchaField(label="验证码（请计算图中算式）",
                           error_messages={"invalid": "验证码不正确，请重新计算", "required": "请填写验证码"})
    submission_key = SubmissionKeyField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, field in self.fields.items():
            if name in ("confidential", "captcha", "submission_key"):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if not is_valid_phone(phone):
            raise forms.ValidationError("电话号码格式不正确（手机号11位，座机请带区号）")
        return phone


class TrackForm(forms.Form):
    number = forms.CharField(label="工单编号", max_length=20, error_messages={"required": "请填写工单编号"},
                             widget=forms.TextInput(attrs={"class": "form-control"}))
    code = forms.CharField(label="查询码", max_length=16, error_messages={"required": "请填写查询码"},
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))


class RecoverForm(forms.Form):
    """Step 1 of recovering a lost query code: the ticket number and the phone given when submitting."""

    number = forms.CharField(label="工单编号", max_length=20, error_messages={"required": "请填写工单编号"},
                             widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}))
    phone = forms.CharField(label="提交诉求时填写的联系电话", max_length=20,
                            error_messages={"required": "请填写联系电话"},
                            widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}))


class RecoverCodeForm(forms.Form):
    """Step 2: the code texted to that phone."""

    code = forms.CharField(label="短信验证码", max_length=6, min_length=6,
                           error_messages={"required": "请填写短信验证码", "min_length": "验证码为6位数字"},
                           widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(label="满意度", choices=Satisfaction.choices, widget=forms.RadioSelect,
                                     error_messages={"required": "请选择满意度"})
    comment = forms.CharField(label="意见建议", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
