"""Long free text (诉求内容): counted the way the server counts, refused beyond the limit, never cut.

A `maxlength` attribute makes the browser cut a paste silently, and it counts UTF-16 code units, so an emoji counts
twice there and once here. The field therefore renders no `maxlength`; it carries `data-max-chars` for the live
counter of `web/app.js` and `channels/counter.js`, which counts code points with a line break as one, like this
field after it turns the browser's CR LF into LF.
"""

from __future__ import annotations

from typing import Any

from django import forms


def count_chars(text: str) -> int:
    """Characters as the limit counts them: code points (an emoji is one), a line break is one."""
    return len(text.replace("\r\n", "\n"))


class LimitedTextField(forms.CharField):
    """A textarea with a character limit shown as the user types and a clear refusal instead of a cut."""

    def __init__(self, *, max_chars: int, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(label=label, **kwargs)
        self.max_chars = max_chars
        self.widget.attrs["data-max-chars"] = str(max_chars)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")

    def validate(self, value: Any) -> None:
        super().validate(value)
        count = count_chars(value or "")
        if count > self.max_chars:
            raise forms.ValidationError(
                f"{self.label}不能超过{self.max_chars}字，当前{count}字，请删减{count - self.max_chars}字后再提交",
                code="too_long")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs
