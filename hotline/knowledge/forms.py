"""Forms of the knowledge pages: parse and validate input; the workflow checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from hotline.directory.choices import UnitKind
from hotline.directory.models import Staff, Topic, Unit

_DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
_TEXT = {"class": "form-control form-control-sm"}
_SELECT = {"class": "form-select form-select-sm"}


def owner_units() -> Any:
    """Units that can own articles: every active unit but the hotline itself."""
    return Unit.objects.filter(is_active=True).exclude(kind=UnitKind.HOTLINE).order_by("kind", "code")


def counties() -> Any:
    """Counties, for an article's region (属地)."""
    return Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).order_by("code")


class ArticleForm(forms.Form):
    """Title, question forms, answer and the article's scope; unit staff always write for their own unit."""

    title = forms.CharField(label="标题", max_length=200, widget=forms.TextInput(attrs=_TEXT))
    questions = forms.CharField(label="常见问法（每行一种）", required=False,
                                widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))
    answer = forms.CharField(label="答复口径", widget=forms.Textarea(attrs={**_TEXT, "rows": 6}))
    topic = forms.ModelChoiceField(label="事项分类", queryset=Topic.objects.filter(is_active=True), required=False,
                                   widget=forms.Select(attrs=_SELECT))
    owner_unit = forms.ModelChoiceField(label="维护单位", queryset=Unit.objects.none(),
                                        widget=forms.Select(attrs=_SELECT))
    region = forms.ModelChoiceField(label="适用区县（留空为全市）", queryset=Unit.objects.none(), required=False,
                                    widget=forms.Select(attrs=_SELECT))
    valid_from = forms.DateField(label="生效日期", required=False, widget=_DATE)
    valid_to = forms.DateField(label="失效日期", required=False, widget=_DATE)
    review_due = forms.DateField(label="复核日期", required=False, widget=_DATE)
    source_document = forms.CharField(label="依据文件", max_length=300, required=False,
                                      widget=forms.TextInput(attrs=_TEXT))

    def __init__(self, *args: Any, user: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = owner_units()
        if not user.is_hotline:
            units = units.filter(pk=user.unit_id)
            self.fields["owner_unit"].initial = user.unit_id
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["region"].queryset = counties()  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    """A reason or remark for a state change."""

    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))


class UpdateRequestForm(forms.Form):
    """The hotline asks the owner unit to update an article by a deadline (Art. 27)."""

    note = forms.CharField(label="需更新的内容", widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))
    due = forms.DateTimeField(label="更新时限", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "form-control form-control-sm"}))


class FeedbackForm(forms.Form):
    """"This answer was wrong", with what was wrong."""

    note = forms.CharField(label="哪里有误", widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))


class AttachmentForm(forms.Form):
    """One file for the article (policy text as PDF, a form, a chart)."""

    file = forms.FileField(label="附件（PDF 或图片）", widget=forms.ClearableFileInput(attrs=_TEXT))


class ImportForm(forms.Form):
    """An Excel or Markdown file of existing knowledge, optionally published at once as an 答疑清单."""

    file = forms.FileField(label="文件（.xlsx 或 .md）", widget=forms.ClearableFileInput(attrs=_TEXT))
    owner_unit = forms.ModelChoiceField(label="默认维护单位（文件未写明时）", queryset=Unit.objects.none(),
                                        required=False, widget=forms.Select(attrs=_SELECT))
    emergency_event = forms.CharField(label="应急答疑清单：突发事件名称（填写则直接发布）", required=False,
                                      max_length=100, widget=forms.TextInput(attrs=_TEXT))
    expires_at = forms.DateTimeField(label="应急答疑清单自动失效时间", required=False, widget=forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "form-control form-control-sm"}))

    def __init__(self, *args: Any, user: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = owner_units()
        if not user.is_hotline:
            units = units.filter(pk=user.unit_id)
        self.fields["owner_unit"].queryset = units  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    """The list page's search box and filters."""

    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(
        attrs={**_TEXT, "placeholder": "输入问题或关键词", "type": "search"}))
    topic = forms.ModelChoiceField(label="事项分类", queryset=Topic.objects.filter(is_active=True), required=False,
                                   widget=forms.Select(attrs=_SELECT))
    unit = forms.ModelChoiceField(label="维护单位", queryset=Unit.objects.none(), required=False,
                                  widget=forms.Select(attrs=_SELECT))
    region = forms.ModelChoiceField(label="区县", queryset=Unit.objects.none(), required=False,
                                    widget=forms.Select(attrs=_SELECT))
    valid_today = forms.BooleanField(label="仅今日有效", required=False, initial=True,
                                     widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = owner_units()  # type: ignore[attr-defined]
        self.fields["region"].queryset = counties()  # type: ignore[attr-defined]
