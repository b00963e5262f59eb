"""The citizen portal: submit without an account, receive number and query code, track, read the reply, rate."""

from __future__ import annotations

import re

from captcha.models import CaptchaStore
from django.core.cache import cache
from django.test import Client

from hotline.tickets.choices import Channel
from hotline.tickets.models import FollowUp, Ticket
from tests.base import HotlineTestCase


def captcha_fields(client: Client) -> dict[str, str]:
    """Read the picture's key from the form and answer it as a person reading the picture would."""
    html = client.get("/portal/").content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


class PortalCase(HotlineTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.client = Client()

    def submit(self, **overrides: str):
        data = {"request_type": "help", "content": "小区门口的下水道堵塞，污水外溢", "address": "大祥区城西街道",
                "name": "王五", "phone": "139 0000 2222", **captcha_fields(self.client)}
        data.update(overrides)
        return self.client.post("/portal/", data, follow=True)

    def submit_and_track(self) -> tuple[Ticket, str]:
        html = self.submit().content.decode()
        number = re.search(r'id="ticket-number">(\d+)<', html).group(1)
        code = re.search(r'id="query-code">(\w+)<', html).group(1)
        return Ticket.objects.get(number=number), code


class TestSubmit(PortalCase):
    def test_it_creates_a_web_ticket_and_shows_number_and_query_code_once(self):
        ticket, code = self.submit_and_track()
        assert ticket.channel == Channel.WEB
        assert ticket.requester.phone == "13900002222"
        assert len(code) == 8
        assert "portal_receipt" not in self.client.session
        assert self.client.get("/portal/receipt/").status_code == 302

    def test_it_keeps_the_typed_text_when_validation_fails(self):
        response = self.submit(phone="12345")
        assert response.status_code == 400
        html = response.content.decode()
        assert "电话号码格式不正确" in html
        assert "小区门口的下水道堵塞，污水外溢" in html
        assert not Ticket.objects.exists()

    def test_it_refuses_a_wrong_human_check(self):
        response = self.submit(captcha_1="wrong")
        assert "验证码不正确" in response.content.decode()
        assert not Ticket.objects.exists()

    def test_it_refuses_empty_and_oversize_content_with_a_message(self):
        assert "请填写诉求内容" in self.submit(content="").content.decode()
        assert "不能超过5000字" in self.submit(content="字" * 5001).content.decode()

    def test_it_takes_a_short_clear_matter(self):
        self.submit(content="停水")
        assert Ticket.objects.get().content == "停水"
        assert "诉求内容至少2个字" in self.submit(content=" 水 ").content.decode()

    def test_it_rate_limits_a_flood_and_keeps_the_text(self):
        for _ in range(5):
            self.submit()
        response = self.submit(content="第六次提交的内容在这里")
        html = response.content.decode()
        assert "提交过于频繁" in html
        assert "第六次提交的内容在这里" in html
        assert Ticket.objects.count() == 5


class TestTrackAndRate(PortalCase):
    def test_it_shows_progress_only_with_the_right_code(self):
        ticket, code = self.submit_and_track()
        wrong = self.client.post("/portal/track/", {"number": ticket.number, "code": "WRONGCOD"})
        assert "工单编号或查询码不正确" in wrong.content.decode()
        assert self.client.get(f"/portal/track/{ticket.number}/").status_code == 302
        ok = self.client.post("/portal/track/", {"number": ticket.number, "code": code.lower()}, follow=True)
        html = ok.content.decode()
        assert "热线已受理" in html
        assert "待派单" in html

    def test_it_shows_the_reply_and_takes_one_rating_after_resolution(self):
        ticket, code = self.submit_and_track()
        from hotline.tickets import workflow

        ticket = workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
        workflow.sign(ticket, by=self.unit_a_handler)
        from django.utils import timezone

        workflow.reply(ticket, by=self.unit_a_handler, handler_name="市城管执法局 李工", handled_at=timezone.now(),
                       process="现场疏通", result="下水道已疏通", contact_note="电话告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        self.client.post("/portal/track/", {"number": ticket.number, "code": code})
        html = self.client.get(f"/portal/track/{ticket.number}/").content.decode()
        assert "下水道已疏通" in html
        assert "李工" in html
        self.client.post(f"/portal/track/{ticket.number}/rate/", {"satisfaction": "5", "comment": "很快"})
        rating = FollowUp.objects.get(ticket=ticket)
        assert (rating.channel, rating.satisfaction, rating.agent) == ("portal", "5", None)
        again = self.client.post(f"/portal/track/{ticket.number}/rate/", {"satisfaction": "1"})
        assert again.status_code == 409
        assert "该工单已评价" in again.content.decode()

    def test_it_refuses_a_rating_before_resolution(self):
        ticket, code = self.submit_and_track()
        self.client.post("/portal/track/", {"number": ticket.number, "code": code})
        response = self.client.post(f"/portal/track/{ticket.number}/rate/", {"satisfaction": "5"})
        assert response.status_code == 409
        assert "办结后才能评价" in response.content.decode()
