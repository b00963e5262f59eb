"""`Idempotency-Key` on every create and transition: a retry answers the first result without doing it again; the
same key with another body is refused; a write answered as failed saved nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from unittest import mock

from hotline.api.models import IdempotentRequest
from hotline.directory.models import Staff
from hotline.tickets.models import Event, Ticket
from tests.api.base import PREFIX, ApiTestCase

BODY = {"channel": "phone", "request_type": "complaint", "content": "小区门口路灯不亮已经一周",
        "requester": {"name": "张三", "phone": "13987654321"}}


class TestIdempotencyKey(ApiTestCase):
    def send(self, path: str, body: Any, *, as_: Staff, key: str) -> Any:
        return self.client.post(PREFIX + path, json.dumps(body), content_type="application/json",
                                headers={**self.headers(as_), "Idempotency-Key": key})

    def test_it_answers_a_retried_create_with_the_first_ticket_and_makes_no_second(self):
        first = self.send("/tickets", BODY, as_=self.operator, key="c0ffee-1")
        again = self.send("/tickets", BODY, as_=self.operator, key="c0ffee-1")
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
        assert Ticket.objects.count() == 1
        saved = Ticket.objects.get().created_at
        assert abs(dt.datetime.fromisoformat(again["Idempotent-Saved-At"]) - saved) < dt.timedelta(seconds=1)

    def test_it_answers_a_retried_transition_with_its_first_result_not_a_conflict(self):
        number = self.new_ticket().number
        first = self.send(f"/tickets/{number}/dispatch", {"lead_unit": self.unit_a.code}, as_=self.dispatcher, key="d1")
        again = self.send(f"/tickets/{number}/dispatch", {"lead_unit": self.unit_a.code}, as_=self.dispatcher, key="d1")
        assert (first.status_code, again.status_code) == (200, 200) and again.json() == first.json()
        assert Event.objects.filter(ticket__number=number, action="dispatch").count() == 1

    def test_it_refuses_the_same_key_with_another_body(self):
        self.send("/tickets", BODY, as_=self.operator, key="k-1")
        other = self.send("/tickets", {**BODY, "content": "另一件事情的内容"}, as_=self.operator, key="k-1")
        self.assert_error(other, 422, "idempotency_key_reused", field="Idempotency-Key")
        assert Ticket.objects.count() == 1

    def test_it_keeps_keys_apart_per_staff_member(self):
        self.send("/tickets", BODY, as_=self.operator, key="shared")
        assert self.send("/tickets", BODY, as_=self.dispatcher, key="shared").status_code == 201
        assert Ticket.objects.count() == 2

    def test_a_refused_request_keeps_no_key_so_the_corrected_one_runs(self):
        refused = self.send("/tickets", {**BODY, "content": ""}, as_=self.operator, key="fix-me")
        assert refused.status_code == 400 and not IdempotentRequest.objects.exists()
        assert self.send("/tickets", BODY, as_=self.operator, key="fix-me").status_code == 201

    def test_it_refuses_a_malformed_key(self):
        self.assert_error(self.send("/tickets", BODY, as_=self.operator, key="空格 不行"), 400,
                          "invalid_idempotency_key")

    def test_the_stored_answer_keeps_the_requester_encrypted(self):
        self.send("/tickets", BODY, as_=self.operator, key="enc")
        raw = IdempotentRequest.objects.values_list("response", flat=True).get()
        assert raw.startswith("aesgcm1:") and "13987654321" not in raw

    def test_a_write_answered_as_failed_saved_nothing_and_its_retry_does_it_once(self):
        with mock.patch("hotline.api.routers.tickets.render", side_effect=RuntimeError("answer lost")):
            failed = self.send("/tickets", BODY, as_=self.operator, key="once")
        assert failed.status_code == 500 and Ticket.objects.count() == 0  # rolled back with its answer
        assert self.send("/tickets", BODY, as_=self.operator, key="once").status_code == 201
        assert Ticket.objects.count() == 1
