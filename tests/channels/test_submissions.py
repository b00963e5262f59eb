"""Forms that create tickets are idempotent: going back and submitting again answers with the first ticket."""

from __future__ import annotations

import uuid

from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase

CALL = {"phone": "13912345678", "name": "王五", "channel": "phone", "request_type": "help",
        "content": "宝庆路路灯连续一周不亮", "action": "transfer"}
DESK = {"channel": "phone", "request_type": "help", "content": "宝庆路路灯连续一周不亮",
        "requester_name": "王五", "requester_phone": "13912345678"}


class TestCallDeskSubmission(HotlineTestCase):
    def test_the_form_carries_a_fresh_key(self):
        self.client.force_login(self.operator)
        first = self.client.get("/desk/call/").context["form"]["submission_key"].value()
        second = self.client.get("/desk/call/").context["form"]["submission_key"].value()
        assert len(first) == 32 and first != second

    def test_a_second_submit_of_the_same_form_answers_with_the_first_ticket(self):
        self.client.force_login(self.operator)
        key = uuid.uuid4().hex
        first = self.client.post("/desk/call/", {**CALL, "submission_key": key})
        # Back, then submit again: the browser restores the form, but the caller fields were lost.
        second = self.client.post("/desk/call/", {**CALL, "name": "", "phone": "", "submission_key": key},
                                  follow=True)
        ticket = Ticket.objects.get()
        assert first["Location"].endswith(f"?done={ticket.number}")
        assert ticket.requester.name == "王五"
        assert "已提交过，未重复受理" in second.content.decode() and ticket.number in second.content.decode()

    def test_another_persons_key_is_refused_without_showing_their_ticket(self):
        key = uuid.uuid4().hex
        self.client.force_login(self.operator)
        self.client.post("/desk/call/", {**CALL, "submission_key": key})
        number = Ticket.objects.get().number
        self.client.force_login(self.dispatcher)
        response = self.client.post("/desk/call/", {**CALL, "submission_key": key})
        assert response.status_code == 400 and number not in response.content.decode()
        assert "表单已失效" in response.content.decode()
        assert Ticket.objects.count() == 1


class TestHotlineDeskSubmission(HotlineTestCase):
    def test_the_desk_form_carries_its_key_and_the_content_limit(self):
        self.client.force_login(self.operator)
        body = self.client.get("/desk/").content.decode()
        assert 'name="submission_key"' in body and 'data-max-chars="5000"' in body

    def test_a_second_submit_of_the_new_ticket_form_answers_with_the_first_ticket(self):
        self.client.force_login(self.operator)
        key = uuid.uuid4().hex
        first = self.client.post("/desk/", {**DESK, "submission_key": key})
        second = self.client.post("/desk/", {**DESK, "submission_key": key})
        ticket = Ticket.objects.get()
        assert first["Location"] == second["Location"] == f"/tickets/{ticket.number}/"


class TestPortalSubmission(HotlineTestCase):
    def test_a_second_submit_of_the_portal_form_registers_nothing_new(self):
        from django.core.cache import cache

        from tests.channels.test_portal import captcha_fields

        cache.clear()
        key = uuid.uuid4().hex
        data = {"request_type": "help", "content": "小区门口的下水道堵塞，污水外溢", "name": "王五",
                "phone": "13900002222", "submission_key": key}
        self.client.post("/portal/", {**data, **captcha_fields(self.client)})
        again = self.client.post("/portal/", {**data, **captcha_fields(self.client)}, follow=True)
        ticket = Ticket.objects.get()
        assert "已经提交过，没有重复登记" in again.content.decode() and ticket.number in again.content.decode()
