"""Denials are security events: a 404 for an invisible ticket and a 403 for a forbidden action, on the screens and
the API, are recorded with who, what and where (GB/T 22239 level 3 security audit)."""

from __future__ import annotations

from typing import Any

from hotline.api import tokens
from hotline.privacy.models import SecurityEvent, SecurityKind
from tests.base import HotlineTestCase


class TestDenialEvents(HotlineTestCase):
    def denials(self) -> list[SecurityEvent]:
        return list(SecurityEvent.objects.filter(kind=SecurityKind.DENIED).order_by("id"))

    def bearer(self, user: object) -> dict[str, Any]:
        token, _ = tokens.issue(user)  # type: ignore[arg-type]
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def test_it_records_a_screen_404_for_another_units_ticket(self) -> None:
        ticket = self.dispatched_ticket()
        self.client.force_login(self.unit_b_handler)
        assert self.client.get(f"/tickets/{ticket.number}/", REMOTE_ADDR="10.9.8.7").status_code == 404
        [event] = self.denials()
        assert (event.staff, event.ip) == (self.unit_b_handler, "10.9.8.7")
        assert event.detail == f"GET /tickets/{ticket.number}/ ticket_not_found"

    def test_it_records_a_screen_403_for_a_forbidden_action(self) -> None:
        ticket = self.dispatched_ticket()
        self.client.force_login(self.operator)
        assert self.client.post(f"/tickets/{ticket.number}/sign/").status_code == 403
        [event] = self.denials()
        assert event.staff == self.operator and event.detail.startswith(f"POST /tickets/{ticket.number}/sign/")

    def test_it_records_an_api_404_with_the_token_holder(self) -> None:
        ticket = self.dispatched_ticket()
        response = self.client.get(f"/api/v1/tickets/{ticket.number}", **self.bearer(self.unit_b_handler))
        assert response.status_code == 404
        [event] = self.denials()
        assert event.staff == self.unit_b_handler and ticket.number in event.detail

    def test_it_records_an_api_403(self) -> None:
        ticket = self.dispatched_ticket()
        response = self.client.post(f"/api/v1/tickets/{ticket.number}/sign", "{}", content_type="application/json",
                                    **self.bearer(self.operator))
        assert response.status_code == 403
        assert [e.staff for e in self.denials()] == [self.operator]

    def test_it_records_nothing_for_an_allowed_request(self) -> None:
        ticket = self.dispatched_ticket()
        self.client.force_login(self.unit_a_handler)
        assert self.client.get(f"/tickets/{ticket.number}/").status_code == 200
        assert self.denials() == []


class TestDenialsOfOtherScreens(HotlineTestCase):
    def test_it_records_a_403_of_a_screen_that_raises_it_directly_once(self) -> None:
        self.client.force_login(self.unit_a_handler)
        assert self.client.get("/routing/hotspots/").status_code == 403
        [event] = SecurityEvent.objects.filter(kind=SecurityKind.DENIED)
        assert event.staff == self.unit_a_handler and event.detail == "GET /routing/hotspots/ http_403"

    def test_it_records_a_denial_of_the_ticket_screens_only_once(self) -> None:
        ticket = self.dispatched_ticket()
        self.client.force_login(self.unit_b_handler)
        self.client.get(f"/tickets/{ticket.number}/")
        assert SecurityEvent.objects.filter(kind=SecurityKind.DENIED).count() == 1

    def test_it_applies_a_move_to_another_unit_on_the_next_request(self) -> None:
        ticket = self.dispatched_ticket()
        self.client.force_login(self.unit_b_handler)
        assert self.client.get(f"/tickets/{ticket.number}/").status_code == 404
        self.unit_b_handler.unit = self.unit_a
        self.unit_b_handler.save(update_fields=["unit"])
        assert self.client.get(f"/tickets/{ticket.number}/").status_code == 200
