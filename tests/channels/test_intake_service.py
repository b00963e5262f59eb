"""The one intake service applies Art. 18 (deputies) and Art. 12.2 (emergencies) whichever door a contact comes through.

Each channel below sends a contact the way its clients do (the web page, the JSON API with a token, the gateway with
a channel key, 110 with a valid signature, Open311 with an api_key); `ChannelRules` holds the two checks they share.
Every channel carries the requester's phone: the call desk's `phone`, the desk form's `requester_phone`, the API's
and gateways' `requester.phone`, the portal's `phone` and Open311's `phone`.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.test import Client

from hotline.channels import desk, intake, services
from hotline.channels.models import DeputyTicket
from hotline.directory.choices import EmergencyCategory, UnitKind
from hotline.directory.models import Topic, Unit
from hotline.intake.routing.features import SEP
from hotline.tickets.choices import Action, Channel, Status
from hotline.tickets.models import Event, Ticket
from tests.api.base import ApiTestCase
from tests.base import PASSWORD, HotlineTestCase
from tests.channels.test_portal import captcha_fields

DEPUTY_PHONE = "13811112222"
SECRET_110 = "shared-110-secret-for-intake-tests"


class ChannelRules:
    """The checks every channel must pass; a subclass says how its channel sends a contact (`send`)."""

    channel: str  # the channel a deputy's contact keeps (a phone call becomes the deputy channel)
    emergency_dispatched = False  # whether the sender may dispatch, so an emergency goes out at once

    operator: Any
    topic_streetlight: Topic
    yjj: Unit
    disaster: Topic

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()  # type: ignore[misc]
        cls.yjj = Unit.objects.create(code="yjj", name="市应急管理局", kind=UnitKind.CITY_DEPARTMENT,
                                      handles_emergency=EmergencyCategory.DISASTER, responds_24h=True)
        root = Topic.objects.create(code="12", name="应急事件")
        # A child topic: the portal offers only topics under a group.
        cls.disaster = Topic.objects.create(code="1201", name="自然灾害", parent=root,
                                            emergency_category=EmergencyCategory.DISASTER)

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        raise NotImplementedError

    def first_event(self, ticket: Ticket) -> Event:
        return ticket.events.order_by("seq").first()

    def test_a_registered_deputys_number_is_entered_in_the_deputies_ledger(self) -> None:
        deputy = desk.register_deputy(name="刘代表", delegation="双清区代表团", level="city", phone=DEPUTY_PHONE)
        ticket = self.send(phone="138 1111 2222", topic=self.topic_streetlight, content="建议在建设路口增设公交站点")
        assert DeputyTicket.objects.get(ticket=ticket).deputy == deputy
        assert ticket.channel == self.channel
        assert self.first_event(ticket).data["deputy"] == deputy.pk

    def test_it_keeps_the_words_segmented_at_intake(self) -> None:
        ticket = self.send(phone="13900004444", topic=self.topic_streetlight, content="建设路口的路灯坏了，晚上很黑")
        ticket.refresh_from_db()
        words = ticket.tokens.split(SEP)
        assert "路灯" in words and "，" not in words
        assert "".join(words) == "建设路口的路灯坏了晚上很黑"

    def test_an_emergency_topic_goes_to_the_emergency_unit_per_article_12_2(self) -> None:
        ticket = self.send(phone="13900003333", topic=self.disaster, content="山体滑坡堵住了村道，车辆无法通行")
        assert ticket.suggested_unit == self.yjj
        first = self.first_event(ticket)
        assert (first.action, first.data["emergency_unit"]) == (Action.ACCEPT, "yjj")
        if self.emergency_dispatched:
            assert (ticket.status, ticket.lead_unit) == (Status.DISPATCHED, self.yjj)
            assert "第十二条第二项" in ticket.events.get(action=Action.DISPATCH).reason
        else:
            assert (ticket.status, ticket.lead_unit) == (Status.PENDING_DISPATCH, None)
            assert not ticket.events.filter(action=Action.DISPATCH).exists()


class TestCallDesk(ChannelRules, HotlineTestCase):
    """The call page, as the dispatcher on duty: an emergency call is dispatched at once."""

    channel = Channel.DEPUTY
    emergency_dispatched = True

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        client = Client()
        client.login(username="dispatcher", password=PASSWORD)
        response = client.post("/desk/call/", {"channel": "phone", "request_type": "help", "content": content,
                                               "phone": phone, "topic": str(topic.pk), "action": "transfer"})
        assert response.status_code == 302, response.content.decode()
        return Ticket.objects.get()


class TestCallDeskOperator(TestCallDesk):
    """The call page, as an operator: an emergency call waits for the dispatcher with the unit proposed."""

    emergency_dispatched = False

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        return intake.take_call(by=self.operator, data={
            "channel": "phone", "request_type": "help", "content": content, "phone": phone, "topic": topic,
            "action": "transfer"})


class TestHotlineDeskForm(ChannelRules, HotlineTestCase):
    channel = Channel.DEPUTY

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        self.client.force_login(self.operator)
        response = self.client.post("/desk/", {
            "channel": "phone", "request_type": "help", "topic": str(topic.pk), "title": "", "content": content,
            "address": "", "region": "", "requester_name": "王五", "requester_phone": phone,
            "requester_id_number": ""})
        assert response.status_code == 302, response.content.decode()
        return Ticket.objects.get()


class TestApi(ChannelRules, ApiTestCase):
    channel = Channel.DEPUTY

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        response = self.post("/tickets", {"channel": "phone", "request_type": "help", "content": content,
                                          "topic": topic.code, "requester": {"name": "王五", "phone": phone}},
                             as_=self.operator)
        assert response.status_code == 201, response.content.decode()
        return Ticket.objects.get(number=response.json()["number"])


class TestPortal(ChannelRules, HotlineTestCase):
    channel = Channel.WEB

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        cache.clear()  # the portal's rate limit counts in the cache
        client = Client()
        response = client.post("/portal/", {"request_type": "help", "content": content, "address": "",
                                            "topic": str(topic.pk), "name": "王五", "phone": phone,
                                            **captcha_fields(client)})
        assert response.status_code == 302, response.content.decode()
        return Ticket.objects.get()


class TestGateway(ChannelRules, HotlineTestCase):
    channel = Channel.SMS

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        _key, raw = services.create_key("短信网关", Channel.SMS)
        body = {"content": content, "request_type": "help", "topic": topic.code, "requester": {"phone": phone}}
        response = Client().post("/channels/tickets", json.dumps(body), content_type="application/json",
                                 HTTP_AUTHORIZATION=f"Key {raw}")
        assert response.status_code == 201, response.content.decode()
        return Ticket.objects.get(number=response.json()["number"])


class TestPoliceTransfer(ChannelRules, HotlineTestCase):
    channel = Channel.POLICE_110

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        key, _raw = services.create_key("110 报警服务台", Channel.POLICE_110, hmac_secret_env="HOTLINE_110_SECRET")
        body = json.dumps({"content": content, "request_type": "help", "topic": topic.code,
                           "requester": {"phone": phone}}, ensure_ascii=False).encode()
        timestamp, nonce = str(int(time.time())), "intake-1"
        with mock.patch.dict(os.environ, {"HOTLINE_110_SECRET": SECRET_110}):
            response = Client().post(
                "/channels/110/tickets", body, content_type="application/json", HTTP_X_KEY_PREFIX=key.prefix,
                HTTP_X_TIMESTAMP=timestamp, HTTP_X_NONCE=nonce,
                HTTP_X_SIGNATURE=services.sign_body(SECRET_110, timestamp, nonce, body))
        assert response.status_code == 201, response.content.decode()
        return Ticket.objects.get(number=response.json()["number"])


class TestOpen311(ChannelRules, HotlineTestCase):
    channel = Channel.WECHAT

    def send(self, *, phone: str, topic: Topic, content: str) -> Ticket:
        cache.clear()  # Open311's rate limit counts in the cache
        _key, api_key = services.create_key("微信公众号", Channel.WECHAT)
        response = Client().post("/open311/v2/requests.json", {
            "api_key": api_key, "service_code": topic.code, "address_string": "双清区龙须塘街道",
            "description": content, "first_name": "五", "last_name": "王", "phone": phone})
        assert response.status_code == 200, response.content.decode()
        return Ticket.objects.get(number=response.json()[0]["service_request_id"])
