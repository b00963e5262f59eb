"""The form renderer writes selects, inputs and text areas in Python (hotline.lib.forms): the markup must be
Django's own, character for character, so every screen, browser test and script that reads a form sees no change."""

import datetime as dt

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe

from hotline.lib.forms import Renderer
from hotline.web.forms import TicketFilterForm

CHOICES = [("", "全部"), ("a&b", "甲 <乙>"), (3, 4), ("safe", mark_safe("<b>粗</b>"))]
GROUPED = [("", "—"), ("街道", [("1", "龙须塘"), ("2", 'say "hi"')]), ("区县", [(5, "双清区")])]


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, widget=forms.SelectMultiple(attrs={"class": "x", "data-y": True,
                                                                                         "hidden": False}))
    maybe = forms.NullBooleanField()
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    text = forms.CharField(max_length=20, help_text="x", widget=forms.TextInput(attrs={"placeholder": '"甲" & <乙>'}))
    number = forms.IntegerField(min_value=1)
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    day = forms.DateField(widget=forms.DateInput)
    mail = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False)
    photo = forms.FileField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class TestRenderer(SimpleTestCase):
    def assert_same(self, form: forms.Form) -> None:
        for name in form.fields:
            ours = form[name].as_widget()
            form.renderer = DjangoTemplates()
            theirs = form[name].as_widget()
            form.renderer = Renderer()
            assert ours == theirs, name

    def test_it_writes_the_markup_of_djangos_templates(self):
        form = Sample(data={"plain": "a&b", "grouped": "2", "many": ["a&b", "3"], "maybe": "true", "text": "<b>&",
                            "number": "7", "when": "2026-11-30 08:00", "day": "2026-11-30", "secret": "s&",
                            "hidden": '"q"', "tick": "on", "note": "第一行\n<第二行>"}, renderer=Renderer())
        self.assert_same(form)

    def test_it_writes_unbound_and_initial_forms_alike(self):
        self.assert_same(Sample(initial={"plain": 3, "grouped": 5, "number": 2, "tick": True, "note": "",
                                         "day": dt.date(2026, 11, 30)}, renderer=Renderer()))
        self.assert_same(Sample(renderer=Renderer()))

    def test_it_is_the_projects_renderer(self):
        assert isinstance(TicketFilterForm().renderer, Renderer)
