"""POST /api/v1/exchange/orders: orders from the provincial platform, signed like the 110 link (Art. 7, 27)."""

from __future__ import annotations

import time

import time_machine
from django.test import Client

from hotline.exchange.models import UpperOrder
from hotline.tickets.choices import Channel, Status, UpperFlag
from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase, local
from tests.exchange.support import UPPER_SECRET, make_partners, signed_post

PATH = "/api/v1/exchange/orders"
ORDER = {"external_id": "HN2026112300017", "category": "城乡建设/市政设施", "flag": "state_council",
         "deadline": "2026-11-27T18:00:00+08:00", "request_type": "complaint", "content": "国办转办：小区路灯长期不亮",
         "topic": "0101", "requester": {"name": "王五", "phone": "13700001111"}}


class OrdersApiTest(HotlineTestCase):
    def setUp(self) -> None:
        self.client = Client()
        self.province, self.sub = make_partners(self.unit_b)

    def send(self, body: dict | bytes = ORDER, **kwargs):
        kwargs.setdefault("secret", UPPER_SECRET)
        return signed_post(self.client, PATH, body, prefix=kwargs.pop("prefix", self.province.prefix), **kwargs)

    def test_it_takes_a_signed_order_through_intake_with_its_deadline_and_mark(self):
        with time_machine.travel(local(2026, 11, 23, 10, 0), tick=False):
            response = self.send()
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["duplicate"] is False
        ticket = Ticket.objects.get(number=body["number"])
        assert (ticket.channel, ticket.status) == (Channel.UPPER, Status.PENDING_DISPATCH)
        assert ticket.upper_due == local(2026, 11, 27, 18, 0)
        assert ticket.upper_flag == UpperFlag.STATE_COUNCIL
        assert ticket.events.get().data["channel"] == Channel.UPPER  # one ACCEPT event, as every intake writes
        order = UpperOrder.objects.get()
        assert (order.external_id, order.category, order.ticket) == (ORDER["external_id"], "城乡建设/市政设施", ticket)

    def test_it_refuses_a_bad_signature(self):
        response = self.send(secret="not-the-secret")
        assert (response.status_code, response.json()["code"]) == (401, "bad_signature")
        assert not Ticket.objects.exists()

    def test_it_refuses_an_unknown_prefix_and_a_sub_centre_key(self):
        assert self.send(prefix="nope").json()["code"] == "invalid_partner_key"
        response = self.send(prefix=self.sub.prefix)  # a sub-centre may not send orders down
        assert (response.status_code, response.json()["code"]) == (401, "invalid_partner_key")

    def test_it_refuses_a_stale_timestamp_at_the_edge_of_the_window(self):
        with time_machine.travel(local(2026, 11, 23, 10, 0), tick=False):
            now = int(time.time())
            response = self.send(timestamp=now - 301, nonce="a")
            assert (response.status_code, response.json()["code"]) == (401, "stale_request")
            assert self.send(timestamp=now - 299, nonce="b").status_code == 201

    def test_it_refuses_a_replayed_request(self):
        assert self.send(nonce="same").status_code == 201
        response = self.send(nonce="same")
        assert (response.status_code, response.json()["code"]) == (409, "replayed_request")
        assert Ticket.objects.count() == 1

    def test_the_same_external_id_again_answers_the_first_ticket(self):
        first = self.send(nonce="one").json()
        again = self.send({**ORDER, "content": "重复推送的同一工单"}, nonce="two")
        assert again.status_code == 200
        assert again.json()["duplicate"] is True
        assert again.json()["number"] == first["number"]
        assert Ticket.objects.count() == UpperOrder.objects.count() == 1

    def test_it_checks_the_body_only_after_the_signature_and_at_its_json_type(self):
        assert self.send(b"{not json", secret="wrong").status_code == 401
        response = self.send({**ORDER, "flag": "urgent"}, nonce="x")
        assert (response.status_code, response.json()["code"], response.json()["field"]) == (
            400, "invalid_input", "flag")
        response = self.send({**ORDER, "deadline": None, "working_days": "3"}, nonce="y")
        assert response.json()["field"] == "working_days"
        response = self.send({**ORDER, "working_days": 3}, nonce="z")  # both a moment and working days
        assert response.json()["code"] == "deadline_ambiguous"
        assert not Ticket.objects.exists()

    def test_staff_see_the_origin_and_the_upper_deadline_on_the_ticket_page(self):
        number = self.send().json()["number"]
        self.client.force_login(self.dispatcher)
        page = self.client.get(f"/tickets/{number}/").content.decode()
        assert "省12345指挥监管平台 · 编号 HN2026112300017" in page
        assert "国办工单" in page and "2026年11月27日 18:00" in page  # written as every deadline on the screens
        listing = self.client.get("/exchange/orders/").content.decode()
        assert 'data-external-id="HN2026112300017"' in listing
