"""The outbox: a message is claimed by one worker only, sent without personal data in the log, retried with pauses."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from hotline.tickets import outbox
from hotline.tickets.models import Outbox, Requester
from tests.base import HotlineTestCase, local

NOW = local(2026, 11, 23, 10, 0)
PHONE = "13987654321"


def message(requester: Requester | None, kind: str = "sms.extension") -> Outbox:
    payload = {"ticket": "20261123000001", "requester": getattr(requester, "pk", None),
               "new_due": "2026-12-01T00:00:00+08:00"}
    return Outbox.objects.create(kind=kind, payload=payload)


class Gateway(http.server.BaseHTTPRequestHandler):
    """A local SMS gateway that answers with the status the test sets, and keeps what it received."""

    status = 200
    received: list[tuple[dict, str]] = []
    keys: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((body, self.headers["Authorization"]))
        Gateway.keys.append(self.headers["Idempotency-Key"])
        self.send_response(Gateway.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def gateway(status: int) -> Iterator[str]:
    Gateway.status, Gateway.received, Gateway.keys = status, [], []
    server = http.server.HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sms"
    finally:
        server.shutdown()
        server.server_close()


class TestSendOne(HotlineTestCase):
    def setUp(self) -> None:
        self.requester = Requester.objects.create(name="张三", phone=PHONE)

    def test_it_logs_the_message_without_the_phone_or_name_when_sms_is_disabled(self):
        row = message(self.requester)
        with self.assertLogs("hotline.tickets.outbox", logging.INFO) as logs, time_machine.travel(NOW, tick=False):
            assert outbox.send_one() is True
        row.refresh_from_db()
        assert row.sent_at == NOW and row.attempts == 1 and row.last_error == ""
        text = "\n".join(logs.output)
        assert "20261123000001" in text and "2026年11月30日 24:00" in text
        assert PHONE not in text and "张三" not in text

    def test_it_reports_false_when_nothing_waits(self):
        assert outbox.send_one(NOW) is False

    def test_it_posts_to_the_gateway_when_sms_is_enabled(self):
        row = message(self.requester)
        with gateway(200) as url, override_settings(SMS_ENABLED=True, SMS_GATEWAY_URL=url, SMS_GATEWAY_TOKEN="t0k"):
            assert outbox.send_one(NOW)
        body, auth = Gateway.received[0]
        assert body["phone"] == PHONE and "20261123000001" in body["text"] and auth == "Bearer t0k"
        row.refresh_from_db()
        assert row.sent_at is not None

    def test_it_sends_the_same_message_id_again_when_a_worker_died_before_marking_it_sent(self):
        row = message(self.requester)
        with gateway(200) as url, override_settings(SMS_ENABLED=True, SMS_GATEWAY_URL=url):
            assert outbox.send_one(NOW)
            # The worker was killed after the gateway took the message: the row is claimed again after the lease.
            Outbox.objects.filter(pk=row.pk).update(sent_at=None)
            assert outbox.send_one(NOW + outbox.RETRY_AFTER[1] + dt.timedelta(seconds=1))
        ids = [body["id"] for body, _ in Gateway.received]
        assert ids == [str(row.message_id)] * 2 and Gateway.keys == ids  # the gateway drops the repeat on this id

    def test_each_message_has_its_own_id(self):
        assert message(self.requester).message_id != message(self.requester).message_id

    def test_the_sms_writes_a_deadline_at_midnight_as_the_screens_do(self):
        row = message(self.requester)
        row.payload["new_due"] = "2026-12-11T00:00:00+08:00"
        text = outbox.compose(row).text
        assert "延至2026年12月10日 24:00" in text and "12月11日" not in text
        row.payload["new_due"] = "2026-12-10T16:00:00+00:00"  # the same moment written in UTC
        assert outbox.compose(row).text == text

    def test_it_retries_a_failed_send_after_a_pause_and_records_the_error(self):
        row = message(self.requester)
        with gateway(503) as url, override_settings(SMS_ENABLED=True, SMS_GATEWAY_URL=url):
            assert outbox.send_one(NOW)
            row.refresh_from_db()
            assert row.sent_at is None and row.attempts == 1 and "503" in row.last_error
            assert outbox.send_one(NOW + dt.timedelta(minutes=1)) is False  # still pausing
            Gateway.status = 200
            assert outbox.send_one(NOW + outbox.RETRY_AFTER[1] + dt.timedelta(seconds=1))
        row.refresh_from_db()
        assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""

    def test_it_gives_up_after_the_last_attempt(self):
        row = message(self.requester)
        at = NOW
        with gateway(500) as url, override_settings(SMS_ENABLED=True, SMS_GATEWAY_URL=url):
            for attempt in range(outbox.MAX_ATTEMPTS):
                assert outbox.send_one(at), attempt
                at += dt.timedelta(days=1)  # longer than any pause
            assert outbox.send_one(at + dt.timedelta(days=30)) is False
        row.refresh_from_db()
        assert row.attempts == outbox.MAX_ATTEMPTS and row.sent_at is None and row.last_error

    def test_it_does_not_retry_a_message_with_no_one_to_send_to(self):
        row = message(None)
        assert outbox.send_one(NOW)
        row.refresh_from_db()
        assert row.attempts == outbox.MAX_ATTEMPTS and "电话" in row.last_error
        assert outbox.send_one(NOW + dt.timedelta(days=1)) is False

    def test_the_outbox_command_drains_what_waits_and_says_how_many(self):
        message(self.requester), message(self.requester), message(None)
        out = StringIO()
        call_command("outbox", stdout=out)
        assert out.getvalue().strip() == "已发送 2 条，失败 1 条"
        assert not Outbox.objects.filter(sent_at__isnull=True, last_error="").exists()


class TestClaimIsExclusive(TransactionTestCase):
    """Two workers with their own database connections claim from the same rows at the same moment."""

    def test_it_gives_each_row_to_exactly_one_worker(self):
        Outbox.objects.bulk_create(Outbox(kind="sms.extension", payload={}) for _ in range(30))
        claimed: dict[str, list[int]] = {"a": [], "b": []}
        barrier = threading.Barrier(2)

        def worker(name: str) -> None:
            try:
                barrier.wait(timeout=10)
                while (row := outbox.claim_one(NOW)) is not None:
                    claimed[name].append(row.pk)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(name,)) for name in claimed]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not set(claimed["a"]) & set(claimed["b"])
        assert sorted(claimed["a"] + claimed["b"]) == sorted(Outbox.objects.values_list("pk", flat=True))
        assert set(Outbox.objects.values_list("attempts", flat=True)) == {1}

    def test_a_stale_claim_loses_the_compare_and_swap(self):
        row = Outbox.objects.create(kind="sms.extension", payload={})
        seen = Outbox.objects.get(pk=row.pk)  # worker A read the row...
        assert outbox.claim_one(NOW) is not None  # ...worker B claimed it first
        assert Outbox.objects.filter(pk=seen.pk, attempts=seen.attempts, claimed_at=seen.claimed_at).update(
            claimed_at=NOW) == 0
        assert outbox.claim_one(NOW) is None
