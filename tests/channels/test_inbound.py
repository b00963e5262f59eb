"""Gateways (WeChat, app, SMS) with keys, and 110 transfers signed with HMAC and a timestamp (Art. 7)."""

from __future__ import annotations

import json
import time

import pytest
import time_machine
from django.test import Client

from hotline.channels import services
from hotline.channels.models import InboundNonce
from hotline.tickets.choices import Channel
from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase, local

SECRET = "shared-110-secret-for-tests"


class TestGateway(HotlineTestCase):
    def setUp(self) -> None:
        self.client = Client()
        _key, self.raw = services.create_key("短信网关", Channel.SMS)

    def post(self, body: dict, key: str | None = None):
        return self.client.post("/channels/tickets", json.dumps(body), content_type="application/json",
                                HTTP_AUTHORIZATION=f"Key {key or self.raw}")

    def test_it_creates_a_ticket_in_the_keys_channel_with_a_query_code(self):
        response = self.post({"content": "小区停水两天了", "request_type": "help", "topic": "0101",
                              "requester": {"phone": "13900001111"}})
        assert response.status_code == 201
        ticket = Ticket.objects.get(number=response.json()["number"])
        assert ticket.channel == Channel.SMS
        assert services.track(ticket.number, response.json()["query_code"]) == ticket

    def test_it_refuses_a_wrong_key_and_bad_input_with_codes(self):
        assert self.post({"content": "x"}, key="abc.def").json()["code"] == "invalid_channel_key"
        response = self.post({"content": ""})
        assert response.status_code == 400
        assert response.json()["field"] == "content"
        response = self.post({"content": "路灯坏了", "topic": "nope"})
        assert response.json()["code"] == "unknown_topic"
        bad = self.client.post("/channels/tickets", "{not json", content_type="application/json",
                               HTTP_AUTHORIZATION=f"Key {self.raw}")
        assert bad.json()["code"] == "malformed_json"

    def test_it_refuses_values_of_the_wrong_json_type_instead_of_coercing_or_failing(self):
        cases = [
            ({"content": "小区停水了", "is_confidential": "no"}, "is_confidential"),
            ({"content": 5}, "content"),
            ({"content": "小区停水了", "topic": 101}, "topic"),
            ({"content": "小区停水了", "requester": "张三"}, "requester"),
            ({"content": "小区停水了", "requester": {"phone": 13900001111}}, "requester.phone"),
            ({"content": "小区停水了", "requester": {"phone": "13900001111", "is_company": 1}}, "requester.is_company"),
        ]
        for body, field in cases:
            response = self.post(body)
            assert response.status_code == 400, (body, response.status_code)
            assert (response.json()["code"], response.json()["field"]) == ("invalid_type", field)
        assert not Ticket.objects.exists()

    def test_it_refuses_a_key_with_a_nul_rather_than_failing_in_postgresql(self):
        response = self.post({"content": "小区停水了"}, key="ab\x00cd.secret")
        assert (response.status_code, response.json()["code"]) == (401, "invalid_channel_key")

    def test_it_refuses_a_deeply_nested_body_as_malformed(self):
        bad = self.client.post("/channels/tickets", "[" * 100_000 + "]" * 100_000, content_type="application/json",
                               HTTP_AUTHORIZATION=f"Key {self.raw}")
        assert (bad.status_code, bad.json()["code"]) == (400, "malformed_json")


@pytest.fixture(autouse=True)
def _secret(monkeypatch):
    monkeypatch.setenv("HOTLINE_110_SECRET", SECRET)


class TestPoliceTransfer(HotlineTestCase):
    def setUp(self) -> None:
        self.client = Client()
        self.key, _raw = services.create_key("110 报警服务台", Channel.POLICE_110, hmac_secret_env="HOTLINE_110_SECRET")

    def send(self, body: dict, *, timestamp: int | None = None, nonce: str = "n-1", secret: str = SECRET,
             signature: str | None = None):
        raw = json.dumps(body, ensure_ascii=False).encode()
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = signature or services.sign_body(secret, ts, nonce, raw)
        return self.client.post("/channels/110/tickets", raw, content_type="application/json",
                                HTTP_X_KEY_PREFIX=self.key.prefix, HTTP_X_TIMESTAMP=ts, HTTP_X_NONCE=nonce,
                                HTTP_X_SIGNATURE=sig)

    body = {"content": "邻居装修噪音扰民，110转12345处理", "request_type": "complaint", "topic": "0103"}

    def test_it_takes_a_well_signed_transfer(self):
        response = self.send(self.body)
        assert response.status_code == 201
        ticket = Ticket.objects.get(number=response.json()["number"])
        assert ticket.channel == Channel.POLICE_110
        assert ticket.is_confidential  # noise complaints are confidential by rule (Art. 23)
        assert InboundNonce.objects.get(nonce="n-1").ticket == ticket

    def test_it_refuses_a_bad_signature(self):
        response = self.send(self.body, secret="wrong-secret")
        assert response.status_code == 401
        assert response.json()["code"] == "bad_signature"
        assert not Ticket.objects.exists()

    def test_it_refuses_a_replayed_request(self):
        assert self.send(self.body, nonce="same").status_code == 201
        response = self.send(self.body, nonce="same")
        assert response.status_code == 409
        assert response.json()["code"] == "replayed_request"
        assert Ticket.objects.count() == 1

    def test_it_refuses_a_stale_timestamp_at_the_edge_of_the_window(self):
        with time_machine.travel(local(2026, 11, 23, 10, 0), tick=False):
            now = int(time.time())
            assert self.send(self.body, timestamp=now - 301, nonce="a").json()["code"] == "stale_request"
            assert self.send(self.body, timestamp=now - 299, nonce="b").status_code == 201

    def test_it_refuses_an_unknown_key_prefix(self):
        response = self.client.post("/channels/110/tickets", b"{}", content_type="application/json",
                                    HTTP_X_KEY_PREFIX="zzzz")
        assert response.status_code == 401

    def test_it_forgets_nonces_after_the_window(self):
        with time_machine.travel(local(2026, 11, 23, 10, 0), tick=False):
            self.send(self.body, nonce="old")
        with time_machine.travel(local(2026, 11, 23, 10, 11), tick=False):
            assert services.purge_one_nonce() is True
            assert services.purge_one_nonce() is False
        assert not InboundNonce.objects.exists()


class TestChannelKeyCommand(HotlineTestCase):
    def test_it_creates_a_key_shown_once_that_authenticates_and_can_be_revoked(self):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("channelkey", "create", "--name", "政务APP", "--channel", "app", stdout=out)
        raw = out.getvalue().strip().splitlines()[-1]
        key = services.authenticate_key(raw)
        assert key.channel == Channel.APP
        call_command("channelkey", "revoke", key.prefix, stdout=StringIO())
        with pytest.raises(Exception) as excinfo:
            services.authenticate_key(raw)
        assert excinfo.value.code == "invalid_channel_key"

    def test_a_110_key_needs_its_signature_secret(self):
        from django.core.management import CommandError, call_command

        with pytest.raises(CommandError):
            call_command("channelkey", "create", "--name", "110", "--channel", "police_110")
