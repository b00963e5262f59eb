"""A lost query code: proven by the phone the requester gave (an SMS code through the outbox), with the same answer
whether or not the number and phone match, and limited tries."""

from __future__ import annotations

import re

from django.core.cache import cache

from hotline.channels import services
from hotline.tickets.models import Outbox
from tests.channels.test_portal import PortalCase


def sms_code() -> str:
    return re.search(r"验证码(\d{6})", Outbox.objects.get(kind="sms.recovery").payload["text"]).group(1)


class TestRecoverQueryCode(PortalCase):
    def test_it_texts_a_code_to_the_requesters_phone_and_then_gives_a_new_query_code(self):
        ticket, old_code = self.submit_and_track()
        page = self.client.post("/portal/recover/", {"number": ticket.number, "phone": "13900002222"}, follow=True)
        assert "如果工单编号与您提交诉求时填写的电话相符" in page.content.decode()
        row = Outbox.objects.get(kind="sms.recovery")
        assert row.payload["requester"] == ticket.requester_id
        done = self.client.post("/portal/recover/code/", {"code": sms_code()}, follow=True).content.decode()
        new_code = re.search(r'id="query-code">(\w+)<', done).group(1)
        assert new_code != old_code
        cache.clear()
        assert self.client.post("/portal/track/", {"number": ticket.number, "code": old_code}).status_code == 400
        assert self.client.post("/portal/track/", {"number": ticket.number, "code": new_code}).status_code == 302

    def test_it_answers_the_same_when_the_phone_or_the_number_does_not_match_and_sends_nothing(self):
        ticket, _code = self.submit_and_track()
        pages = []
        for number, phone in ((ticket.number, "13900002222"), (ticket.number, "13800001111"),
                              ("20990101000001", "13900002222")):
            cache.clear()
            response = self.client.post("/portal/recover/", {"number": number, "phone": phone}, follow=True)
            pages.append(re.sub(r"\d{14}", "N", re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "",
                                                       response.content.decode())))
        assert pages[0] == pages[1] == pages[2]
        assert Outbox.objects.filter(kind="sms.recovery").count() == 1

    def test_a_wrong_code_says_so_and_five_wrong_codes_burn_it(self):
        ticket, _code = self.submit_and_track()
        self.client.post("/portal/recover/", {"number": ticket.number, "phone": "13900002222"})
        right = sms_code()
        wrong = "000000" if right != "000000" else "111111"
        for _ in range(services.RECOVERY_TRIES):
            response = self.client.post("/portal/recover/code/", {"code": wrong})
            assert response.status_code == 400 and "验证码不正确或已过期" in response.content.decode()
        assert self.client.post("/portal/recover/code/", {"code": right}).status_code == 400

    def test_it_limits_requests_from_one_address(self):
        ticket, _code = self.submit_and_track()
        cache.clear()
        for _ in range(5):
            self.client.post("/portal/recover/", {"number": ticket.number, "phone": "13800001111"})
        response = self.client.post("/portal/recover/", {"number": ticket.number, "phone": "13900002222"})
        assert response.status_code == 400 and "操作过于频繁" in response.content.decode()
        assert not Outbox.objects.filter(kind="sms.recovery").exists()
