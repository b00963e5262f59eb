"""Login lockout in the database, no Redis: 5 failures in 15 minutes lock username+address for 15 minutes."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.auth import authenticate
from django.test import RequestFactory, override_settings

from hotline.privacy.models import LoginThrottle, SecurityEvent, SecurityKind
from tests.base import PASSWORD, HotlineTestCase, local

BACKENDS = ["hotline.privacy.lockout.LockoutModelBackend"]


def _request(ip: str = "10.1.2.3"):
    return RequestFactory().post("/login/", REMOTE_ADDR=ip)


@override_settings(AUTHENTICATION_BACKENDS=BACKENDS)
class TestLoginLockout(HotlineTestCase):
    def _fail(self, times: int, ip: str = "10.1.2.3") -> None:
        for _ in range(times):
            assert authenticate(_request(ip), username="operator", password="wrong-password") is None

    def test_it_lets_four_failures_pass_and_the_right_password_still_works(self):
        with time_machine.travel(local(2026, 11, 23, 9), tick=False):
            self._fail(4)
            assert authenticate(_request(), username="operator", password=PASSWORD) == self.operator
        assert not LoginThrottle.objects.exists()  # success clears the counter

    def test_it_locks_after_five_failures_even_for_the_right_password(self):
        with time_machine.travel(local(2026, 11, 23, 9), tick=False):
            self._fail(5)
            assert authenticate(_request(), username="operator", password=PASSWORD) is None
        assert SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_FAILED, username="operator").count() == 4
        assert SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_LOCKED, ip="10.1.2.3").count() == 2

    def test_it_unlocks_after_fifteen_minutes(self):
        with time_machine.travel(local(2026, 11, 23, 9), tick=False) as clock:
            self._fail(5)
            clock.move_to(local(2026, 11, 23, 9, 14))
            assert authenticate(_request(), username="operator", password=PASSWORD) is None
            clock.move_to(local(2026, 11, 23, 9, 16))
            assert authenticate(_request(), username="operator", password=PASSWORD) == self.operator

    def test_it_does_not_extend_the_lock_with_tries_during_it(self):
        with time_machine.travel(local(2026, 11, 23, 9), tick=False) as clock:
            self._fail(5)
            clock.move_to(local(2026, 11, 23, 9, 10))
            self._fail(3)
            clock.move_to(local(2026, 11, 23, 9, 15) + dt.timedelta(seconds=1))
            assert authenticate(_request(), username="operator", password=PASSWORD) == self.operator

    def test_it_counts_failures_only_within_the_fifteen_minute_window(self):
        with time_machine.travel(local(2026, 11, 23, 9), tick=False) as clock:
            self._fail(4)
            clock.move_to(local(2026, 11, 23, 9, 20))
            self._fail(1)
            assert authenticate(_request(), username="operator", password=PASSWORD) == self.operator

    def test_it_keeps_the_same_name_usable_from_another_address(self):
        with time_machine.travel(local(2026, 11, 23, 9), tick=False):
            self._fail(5, ip="10.9.9.9")
            assert authenticate(_request("10.1.2.3"), username="operator", password=PASSWORD) == self.operator

    def test_it_records_a_successful_login_with_its_address(self):
        from django.contrib.auth.signals import user_logged_in

        request = _request()
        user_logged_in.send(sender=type(self.operator), request=request, user=self.operator)
        event = SecurityEvent.objects.get(kind=SecurityKind.LOGIN_SUCCEEDED)
        assert (event.staff, event.ip) == (self.operator, "10.1.2.3")
