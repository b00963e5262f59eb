"""While the database is away: a clean 503 in Chinese that says whether the action was saved, never a stack trace."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from unittest import mock

from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from hotline.lib import outage
from tests.api.base import PREFIX, ApiTestCase

BODY = {"channel": "phone", "request_type": "complaint", "content": "小区门口路灯不亮已经一周"}
DOWN = OperationalError("server closed the connection unexpectedly")


class TestOutageAnswer(ApiTestCase):
    def setUp(self) -> None:
        self.client.raise_request_exception = False

    def test_the_api_says_a_write_that_failed_inside_was_not_saved(self):
        with mock.patch("hotline.channels.intake.take", side_effect=DOWN):
            response = self.client.post(PREFIX + "/tickets", BODY, content_type="application/json",
                                        headers=self.headers(self.operator))
        body = self.assert_error(response, 503, "database_unavailable")
        assert body["details"] == {"saved": False} and "没有保存" in body["message"]
        assert response["Retry-After"] and "Traceback" not in response.content.decode()

    def test_a_page_says_reading_changed_nothing(self):
        self.client.force_login(self.dispatcher)
        with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=DOWN):
            response = self.client.get("/desk/")
        page = response.content.decode()
        assert response.status_code == 503 and "没有更改任何数据" in page and "Traceback" not in page

    def test_a_form_says_the_action_was_not_saved(self):
        self.client.force_login(self.dispatcher)
        number = self.new_ticket().number
        with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=DOWN):
            response = self.client.post(f"/tickets/{number}/dispatch/", {"lead_unit": self.unit_a.pk})
        page = response.content.decode()
        assert response.status_code == 503 and "本次操作没有保存" in page and "操作未完成" not in page


@contextlib.contextmanager
def commit_fails() -> Iterator[None]:
    """The connection drops while COMMIT is on its way: the server may have written the transaction or not."""

    class Atomic:
        def __enter__(self) -> None:
            return None

        def __exit__(self, *exc: object) -> None:
            raise DOWN

    with mock.patch.object(outage.transaction, "atomic", Atomic):
        yield


def test_a_failure_while_committing_says_to_check_before_retrying():
    middleware = outage.WriteOutcomeMiddleware(lambda request: HttpResponse("ok"))
    for path, needle in (("/tickets/1/sign/", "无法确认"), ("/api/v1/tickets/1/sign", "Idempotency-Key")):
        with commit_fails():
            response = middleware(RequestFactory().post(path))
        text = response.content.decode()
        assert response.status_code == 503 and needle in text and "无法确认本次操作是否已保存" in text
        if path.startswith("/api/"):
            assert json.loads(text)["details"] == {"saved": None}


class TestCacheAway(ApiTestCase):
    REDIS_AWAY = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                              "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 1}}}

    def test_the_desk_works_without_redis_and_says_the_alert_is_unavailable(self):
        self.client.force_login(self.dispatcher)
        with self.settings(CACHES=self.REDIS_AWAY):  # the cache handlers are rebuilt on the new setting
            response = self.client.get("/desk/")
        assert response.status_code == 200 and "热点预警暂不显示" in response.content.decode()


@contextlib.contextmanager
def read_only_database() -> Iterator[None]:
    """Every write refused as on a read-only disk (SQLite's query_only, PostgreSQL's read-only transactions).

    On PostgreSQL a transaction once read-only cannot turn back; the test's own transaction must still write at its
    end (Django checks the deferred constraints then), so the read-only part runs in a savepoint whose rollback
    restores the setting."""
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
        return
    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("SET transaction_read_only = on")
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


class TestReadOnlyDisk(ApiTestCase):
    def setUp(self) -> None:
        self.client.raise_request_exception = False
        self.dispatcher.set_password("只读也能登录-2026")
        self.dispatcher.save()

    def test_staff_can_log_in_and_read_while_nothing_can_be_written(self):
        number = self.new_ticket().number
        with read_only_database():
            login = self.client.post("/login/", {"username": self.dispatcher.username,
                                                 "password": "只读也能登录-2026"})
            desk = self.client.get("/desk/")
            listing = self.client.get("/tickets/")
        assert login.status_code == 302, login.content.decode()[:500]
        assert desk.status_code == 200 and listing.status_code == 200 and number in listing.content.decode()

    def test_a_write_says_the_store_is_read_only_and_nothing_was_saved(self):
        headers = self.headers(self.operator)
        with read_only_database():
            response = self.client.post(PREFIX + "/tickets", BODY, content_type="application/json", headers=headers)
        body = self.assert_error(response, 503, "database_unavailable")
        assert "只读" in body["message"] and body["details"] == {"saved": False}


@contextlib.contextmanager
def full_database() -> Iterator[None]:
    """Every write that needs a new page refused as on a full disk: SQLite's `max_page_count` set to the file's
    current size makes SQLite answer SQLITE_FULL ("database or disk is full"), as a full disk does."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 4294967294")


class TestFullDisk(ApiTestCase):
    def setUp(self) -> None:
        from django.db import connection

        if connection.vendor != "sqlite":
            self.skipTest("a full disk is made with SQLite's max_page_count")
        self.client.raise_request_exception = False

    def test_a_write_says_the_disk_is_full_and_nothing_was_saved(self):
        from hotline.tickets.models import Ticket

        before = Ticket.objects.count()
        with full_database():
            response = self.client.post(PREFIX + "/tickets", {**BODY, "content": "井盖缺失" * 600},
                                        content_type="application/json", headers=self.headers(self.operator))
        body = self.assert_error(response, 507, "storage_full")
        assert "已满" in body["message"] and body["details"] == {"saved": False}
        assert Ticket.objects.count() == before
