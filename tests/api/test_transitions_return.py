"""POST /tickets/{number}/return: JSON, or a multipart form with on-site photos (Art. 13)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.tickets import workflow
from hotline.tickets.models import Attachment
from tests.api.base import PREFIX, VALID_BODIES, ApiTestCase
from tests.base import local

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class TestDeskReturn(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.new_ticket()
        workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_c])

    def test_it_requests_a_desk_return_as_json(self):
        body = self.verb(self.ticket.number, "return", VALID_BODIES["return"], as_=self.unit_a_handler).json()
        assert (body["status"], body["status_label"]) == ("return_requested", "退回待审")

    def test_it_refuses_an_unknown_kind(self):
        body = {**VALID_BODIES["return"], "kind": "later"}
        self.assert_error(self.verb(self.ticket.number, "return", body, as_=self.unit_a_handler), 400,
                          "invalid_input", "kind")

    def test_it_refuses_an_unknown_suggested_unit(self):
        body = {**VALID_BODIES["return"], "suggested_unit": "nope"}
        self.assert_error(self.verb(self.ticket.number, "return", body, as_=self.unit_a_handler), 400,
                          "unknown_unit", "suggested_unit")

    def test_it_refuses_malformed_json(self):
        response = self.client.post(f"{PREFIX}/tickets/{self.ticket.number}/return", "{kind:",
                                    content_type="application/json", headers=self.headers(self.unit_a_handler))
        self.assert_error(response, 400, "malformed_body")

    def test_it_forbids_an_assisting_unit(self):
        self.assert_error(self.verb(self.ticket.number, "return", VALID_BODIES["return"], as_=self.unit_c_handler),
                          403, "not_lead_unit")

    def test_it_answers_404_to_a_unit_not_assigned(self):
        self.assert_error(self.verb(self.ticket.number, "return", VALID_BODIES["return"], as_=self.unit_b_handler),
                          404, "ticket_not_found")

    def test_it_answers_409_return_pending_to_a_second_return_while_one_waits(self):
        self.verb(self.ticket.number, "return", VALID_BODIES["return"], as_=self.unit_a_handler)
        body = self.assert_error(self.verb(self.ticket.number, "return", VALID_BODIES["return"],
                                           as_=self.unit_a_manager), 409, "return_pending")
        assert "视为签收" not in body["message"]

    def test_it_answers_409_once_the_signing_day_has_passed(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        self.freeze(local(2026, 3, 3, 9))
        self.assert_error(self.verb(self.ticket.number, "return", VALID_BODIES["return"], as_=self.unit_a_handler),
                          409, "return_window_closed")


class TestOnsiteReturnWithPhotos(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.signed_ticket(topic=self.topic_manhole)
        self.freeze(local(2026, 3, 2, 9) + dt.timedelta(days=1))  # next day: only the on-site route is open

    def form(self, **extra):
        data = {"kind": "onsite", "reason": "井盖属燃气公司", "basis": "现场核实井盖标识", "suggested_unit": "zjj",
                **extra}
        return self.client.post(f"{PREFIX}/tickets/{self.ticket.number}/return", data,
                                headers=self.headers(self.unit_a_handler))

    def test_it_accepts_a_multipart_form_with_photos(self):
        response = self.form(photos=[SimpleUploadedFile("井盖.png", PNG, content_type="image/png")])
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "return_requested"
        photo = Attachment.objects.get(ticket=self.ticket)
        assert (photo.purpose, photo.content_type, photo.original_name) == ("return_photo", "image/png", "井盖.png")

    def test_it_needs_photos_for_manholes(self):
        self.assert_error(self.form(), 400, "photo_required", "photos")

    def test_it_refuses_a_file_that_is_not_an_image(self):
        fake = SimpleUploadedFile("井盖.png", b"MZ\x90\x00 not an image", content_type="image/png")
        self.assert_error(self.form(photos=[fake]), 400, "file_type_not_allowed", "photos")

    def test_it_needs_a_suggested_unit_after_on_site_verification(self):
        photo = SimpleUploadedFile("井盖.png", PNG, content_type="image/png")
        self.assert_error(self.form(suggested_unit="", photos=[photo]), 400, "suggested_unit_required",
                          "suggested_unit")

    def test_it_refuses_a_form_missing_the_reason(self):
        response = self.client.post(f"{PREFIX}/tickets/{self.ticket.number}/return",
                                    {"kind": "onsite", "basis": "x"}, headers=self.headers(self.unit_a_handler))
        self.assert_error(response, 400, "invalid_input", "reason")
