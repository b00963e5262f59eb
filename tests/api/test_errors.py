"""The one error shape, and no client input ending in a 500."""

from __future__ import annotations

from unittest import mock

from hotline.directory.models import Unit
from tests.api.base import PREFIX, VALID_BODIES, ApiTestCase


class TestErrorShape(ApiTestCase):
    def test_it_answers_404_to_every_verb_on_an_unknown_ticket(self):
        for verb, body in VALID_BODIES.items():
            response = self.verb("20990101000001", verb, body, as_=self.manager)
            self.assert_error(response, 404, "ticket_not_found")

    def test_it_answers_404_to_every_verb_on_another_units_ticket(self):
        ticket = self.dispatched_ticket()
        for verb, body in VALID_BODIES.items():
            response = self.verb(ticket.number, verb, body, as_=self.unit_b_handler)
            self.assert_error(response, 404, "ticket_not_found")

    def test_it_answers_401_to_every_verb_without_a_token(self):
        ticket = self.new_ticket()
        for verb, body in VALID_BODIES.items():
            self.assert_error(self.verb(ticket.number, verb, body, as_=None), 401, "unauthenticated")

    def test_it_lists_every_invalid_field_once_in_chinese(self):
        body = {"channel": "fax", "request_type": "complaint", "content": "x" * 5001, "is_complex": "sometimes"}
        error = self.assert_error(self.post("/tickets", body, as_=self.operator), 400, "invalid_input")
        assert [item["field"] for item in error["errors"]] == ["channel", "content", "is_complex"]
        assert error["errors"][1]["message"] == "不能超过5000个字"
        assert error["message"].startswith("请求参数不正确")


class TestNever500(ApiTestCase):
    def test_it_answers_400_to_hostile_or_odd_bodies(self):
        ticket = self.new_ticket()
        cases = [
            ("/tickets", "null"), ("/tickets", '"a string"'), ("/tickets", "12"), ("/tickets", "\xff\xfe"),
            ("/tickets", '{"channel": {"$ne": 1}}'), (f"/tickets/{ticket.number}/dispatch", '{"lead_unit": null}'),
            (f"/tickets/{ticket.number}/dispatch", '{"lead_unit": "cgzf", "assisting_units": "zjj"}'),
            (f"/tickets/{ticket.number}/merge", '{"into": 20260302000001}'),
            (f"/tickets/{ticket.number}/extension", '{"working_days": 1e400, "reason": "x"}'),
            (f"/tickets/{ticket.number}/return", "[]"), (f"/tickets/{ticket.number}/return", ""),
        ]
        for path, raw in cases:
            response = self.client.post(PREFIX + path, raw, content_type="application/json",
                                        headers=self.headers(self.manager))
            assert response.status_code == 400, (path, raw, response.status_code, response.content)
            assert response.json()["code"] in {"invalid_input", "malformed_body"}, (path, raw)

    def test_it_answers_400_malformed_body_to_deeply_nested_json_on_every_verb(self):
        # json.loads gives up with a RecursionError, not a ValueError, past about a thousand levels.
        ticket = self.dispatched_ticket()
        deep = "[" * 100_000 + "]" * 100_000
        for verb in VALID_BODIES:
            if verb == "sign":
                continue  # takes no body
            response = self.client.post(f"{PREFIX}/tickets/{ticket.number}/{verb}", deep,
                                        content_type="application/json", headers=self.headers(self.unit_a_handler))
            self.assert_error(response, 400, "malformed_body")

    def test_it_answers_404_to_a_ticket_number_with_a_nul_rather_than_failing_in_postgresql(self):
        for path in ("/tickets/2026%00", "/tickets/2026%00/events"):
            self.assert_error(self.get(path, as_=self.manager), 404, "ticket_not_found")
        self.assert_error(self.verb("2026\x00", "sign", as_=self.unit_a_handler), 404, "ticket_not_found")

    def test_it_answers_400_to_odd_query_strings(self):
        for query in ("offset=99999999999999999999", "limit=-1", "overdue=perhaps", "created_to=2026-02-30",
                      "q=" + "长" * 101):
            response = self.client.get(f"{PREFIX}/tickets?{query}", headers=self.headers(self.manager))
            assert response.status_code == 400, (query, response.content)

    def test_it_answers_404_json_to_an_unknown_path_under_the_api(self):
        response = self.client.get(f"{PREFIX}/tickets/1/nothing-here", headers=self.headers(self.manager))
        assert response.status_code == 404

    def test_it_answers_a_fault_it_did_not_foresee_with_a_logged_json_500(self):
        ticket = self.dispatched_ticket()
        with mock.patch("hotline.tickets.workflow.sign", side_effect=RuntimeError("disk full")), \
                self.assertLogs("hotline.api.errors", level="ERROR"):
            response = self.verb(ticket.number, "sign", as_=self.unit_a_handler)
        body = self.assert_error(response, 500, "internal_error")
        assert "disk full" not in str(body)

    def test_it_answers_400_when_a_lookup_raises_does_not_exist(self):
        # Routers name the field for unknown codes; a lookup that raises Django's DoesNotExist is still no 500.
        ticket = self.new_ticket()
        with mock.patch("hotline.api.lookups.required_unit", side_effect=Unit.DoesNotExist):
            response = self.verb(ticket.number, "dispatch", {"lead_unit": "cgzf"}, as_=self.dispatcher)
        self.assert_error(response, 400, "unknown_reference")
