"""The form renderer: Django's own, with the select, input and text area widgets written in Python.

Django renders a select through two template includes per option (`select_option.html`, `attrs.html`); the desk's
new-ticket form and the list's filter offer every topic and unit, and rendering those options took more CPU than the
rest of the page. `Renderer` writes the same markup as Django's templates, character for character
(tests/web/test_form_renderer.py compares them), and leaves every other widget to the templates. Inputs and text
areas, one template each, are written the same way: an action form of the ticket page has a dozen.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """`{{ value }}` in an autoescaped template."""
    value = localize(value)  # labels here are text and numbers, never datetimes to convert to local time
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: `False` leaves the attribute out, `True` writes its bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def render_select(widget: dict[str, Any]) -> str | None:
    """django/forms/widgets/select.html and its options for a widget's context; None when an option uses another
    template (the caller renders those through the templates)."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            out.append(f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                       f'{_text(option["label"])}</option>\n')  # the option template's own last line break
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


# Django's widget templates that are nothing but `{% include "django/forms/widgets/input.html" %}`.
INPUTS = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "input", "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search", "tel",
    "text", "time", "url"))
TEXTAREA = "django/forms/widgets/textarea.html"


def render_input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def render_textarea(widget: dict[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


class Renderer(DjangoTemplates):
    """Django's template renderer; selects, inputs and text areas are written by the functions above."""

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        html: str | None = None
        if template_name == SELECT:
            html = render_select(context["widget"])
        elif template_name in INPUTS:
            html = render_input(context["widget"])
        elif template_name == TEXTAREA:
            html = render_textarea(context["widget"])
        return html if html is not None else str(super().render(template_name, context, request=request))
