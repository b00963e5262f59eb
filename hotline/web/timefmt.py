"""How the screens write deadlines and countdowns, on top of `hotline.deadlines.display` (the shared wording:
"D日 24:00" for a period ending at midnight, "剩余 1 天 3 小时"), plus the Bootstrap colour of each state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from hotline.deadlines import display
from hotline.deadlines.policy import RULES, Clock
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket

STATE_CSS: dict[display.State, str] = {
    display.State.OK: "success", display.State.WARNING: "warning", display.State.OVERDUE: "danger",
}


def format_due(due: dt.datetime | None) -> str:
    """A deadline as staff read it, e.g. "2026年11月24日 24:00"; empty for no deadline."""
    return display.format_due(due) if due is not None else ""


@dataclass(frozen=True)
class Countdown:
    """What is left of a deadline: the text, a Bootstrap colour, and what app.js needs to keep it current."""

    text: str
    css: str
    overdue: bool
    due_iso: str
    warn_seconds: int


def countdown(clock: Clock | str, due: dt.datetime, *, now: dt.datetime | None = None) -> Countdown:
    """Remaining or overdue time of `clock`; amber inside its warning period (policy.RULES.warn_before)."""
    now = now or timezone.now()
    state = display.state_of(clock, due, now)
    return Countdown(display.countdown(due, now), STATE_CSS[state], state == display.State.OVERDUE, due.isoformat(),
                     int(RULES[Clock(clock)].warn_before.total_seconds()))


def current_clock(ticket: Ticket) -> Clock | None:
    """The clock behind `Ticket.current_due` for the ticket's status."""
    if ticket.status == Status.IN_PROGRESS:
        return Clock.REWORK if ticket.rework_due else Clock.HANDLING
    if ticket.status == Status.DISPATCHED and ticket.response_due:
        return Clock.RESPONSE  # Art. 20: the response clock ends before the signing clock
    return {Status.PENDING_DISPATCH: Clock.DISPATCH, Status.CONSULTING: Clock.CONSULT,
            Status.DISPATCHED: Clock.SIGN, Status.TRANSFERRING: Clock.SIGN}.get(Status(ticket.status))
