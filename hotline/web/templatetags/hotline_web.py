"""Template helpers of the screens: status badges, deadlines written "D日 24:00", and live countdowns."""

from __future__ import annotations

import datetime as dt
import functools
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from hotline.deadlines.policy import Clock
from hotline.tickets.choices import STATUS_BADGES, Status
from hotline.tickets.models import Ticket
from hotline.web.timefmt import Countdown, countdown, current_clock, format_due

register = template.Library()


@register.filter
def due(value: dt.datetime | None) -> str:
    """A deadline as staff read it; "—" when there is none."""
    return format_due(value) or "—"


@register.filter
def ticket_url(number: str) -> str:
    """`{% url 'web:ticket' number %}` for the rows of a list or queue: the pattern is resolved once per script
    prefix, not once per row (a queue's 50 rows spent more on resolving it than on the rest of their links)."""
    return f"{_ticket_url_prefix(get_script_prefix())}{quote(str(number), safe=RFC3986_SUBDELIMS + '/~:@')}/"


@functools.lru_cache(maxsize=8)
def _ticket_url_prefix(script_prefix: str) -> str:
    return reverse("web:ticket", args=["0"]).removesuffix("0/")


@register.simple_tag
def status_badge(status: str) -> SafeString:
    """The status as a coloured Bootstrap badge (colours from tickets.choices.STATUS_BADGES)."""
    return _status_badge(status, get_language())


@functools.lru_cache(maxsize=256)
def _status_badge(status: str, language: str | None) -> SafeString:
    # A list shows 25-50 rows of a dozen statuses: each badge is written once per status and language.
    label = Status(status).label if status in Status.values else status
    colour = STATUS_BADGES.get(status, "secondary")
    text = " text-dark" if colour in ("warning", "info", "light") else ""
    return format_html('<span class="badge text-bg-{}{}">{}</span>', colour, text, label)


def _badge(left: Countdown) -> SafeString:
    text = " text-dark" if left.css == "warning" else ""
    return format_html('<span class="badge countdown text-bg-{}{}" data-due="{}" data-warn="{}">{}</span>',
                       left.css, text, left.due_iso, left.warn_seconds, left.text)


@register.simple_tag
def countdown_badge(value: dt.datetime | None, clock: Clock | str, now: dt.datetime | None = None) -> SafeString:
    """A countdown badge that static/web/app.js keeps current: green, amber near the deadline, red past it."""
    if value is None:
        return SafeString("")
    return _badge(countdown(clock, value, now=now))


@register.simple_tag
def current_deadline(ticket: Ticket, now: dt.datetime | None = None) -> SafeString:
    """The deadline that matters for the ticket's status, with its countdown; "—" when no clock runs."""
    clock = current_clock(ticket)
    value = ticket.current_due
    if clock is None or not isinstance(value, dt.datetime):
        return SafeString("—")
    return format_html("{} {}", format_due(value), _badge(countdown(clock, value, now=now)))
