"""Shared assertions for the workflow specifications: one event per transition, nothing changed on refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from hotline.directory.models import Staff, Unit
from hotline.lib.errors import DomainError
from hotline.tickets.models import Event, Ticket
from tests.base import HotlineTestCase, local

# A plain week in March 2026 with no holiday or make-up day, so working days are Monday to Friday.
MONDAY = local(2026, 3, 9, 10, 0)
MINUTE = dt.timedelta(minutes=1)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def photo(name: str = "site.png", content: bytes = PNG, content_type: str = "image/png") -> SimpleUploadedFile:
    """An upload as a browser would send it; the name and content type are only claims."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def row(ticket: Ticket) -> dict[str, Any]:
    """Every stored column of the ticket as the database holds it now."""
    return model_to_dict(Ticket.objects.get(pk=ticket.pk))


class WorkflowTestCase(HotlineTestCase):
    """Personas plus the two checks every transition's specification makes."""

    def setUp(self) -> None:
        super().setUp()
        self.traveller = time_machine.travel(MONDAY, tick=False)
        self.clock = self.traveller.start()
        self.addCleanup(self.traveller.stop)

    def move_to(self, at: dt.datetime) -> None:
        """Jump the frozen clock to `at`."""
        self.clock.move_to(at)

    def assert_event(self, ticket: Ticket, before: int, *, action: str, actor: Staff | None, unit: Unit | None,
                     frm: str, to: str, article: str) -> Event:
        """Exactly one event was added since `before` events, with this actor, unit, move and article."""
        events = list(Event.objects.filter(ticket=ticket).order_by("id"))
        assert len(events) == before + 1, [e.action for e in events]
        event = events[-1]
        assert (event.action, event.actor, event.actor_unit) == (action, actor, unit)
        assert (event.from_status, event.to_status, event.article) == (frm, to, article)
        return event

    def events(self, ticket: Ticket) -> int:
        return Event.objects.filter(ticket=ticket).count()

    def assert_refused(self, error: type[DomainError], call: Callable[..., Any], ticket: Ticket, *args: Any,
                       field: str | None = None, code: str | None = None, **kwargs: Any) -> DomainError:
        """`call` raises `error` (naming `field`/`code` when given) and leaves the ticket and its events untouched."""
        before_row, before_events = row(ticket), self.events(ticket)
        with pytest.raises(error) as caught:
            call(ticket, *args, **kwargs)
        if field is not None:
            assert caught.value.field == field
        if code is not None:
            assert caught.value.code == code
        assert row(ticket) == before_row
        assert self.events(ticket) == before_events
        return caught.value

    @staticmethod
    def against(due: dt.datetime | None, late: bool) -> dict[str, Any]:
        """What an event that ends a clock records: the deadline it was measured against, and whether it was late."""
        return {"due": due.astimezone(dt.UTC).isoformat() if due is not None else None, "late": late}

    def reload(self, ticket: Ticket) -> Ticket:
        return Ticket.objects.get(pk=ticket.pk)
