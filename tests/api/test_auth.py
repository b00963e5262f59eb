"""POST /api/v1/auth/token and bearer authentication."""

from __future__ import annotations

import datetime as dt
import hashlib

import time_machine
from django.core.cache import cache
from django.test import override_settings

from hotline.api.models import ApiToken
from tests.api.base import PREFIX, ApiTestCase
from tests.base import PASSWORD, local

# The product's one lockout (hotline.privacy.lockout): the fifth failure within 15 minutes locks.
LOCK_AFTER = 5


class TestIssueToken(ApiTestCase):
    def setUp(self):
        cache.clear()  # failure counters live in the cache, which outlives one test

    def login(self, username: str, password: str):
        return self.client.post(f"{PREFIX}/auth/token", {"username": username, "password": password},
                                content_type="application/json")

    def test_it_issues_a_token_that_authenticates_later_requests(self):
        response = self.login("operator", PASSWORD)
        assert response.status_code == 200
        token = response.json()["token"]
        listed = self.client.get(f"{PREFIX}/tickets", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200

    def test_it_stores_only_the_sha256_of_the_token(self):
        token = self.login("operator", PASSWORD).json()["token"]
        row = ApiToken.objects.get(user=self.operator)
        assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
        assert not ApiToken.objects.filter(key_hash=token).exists()

    @override_settings(API_TOKEN_TTL_SECONDS=3600)
    def test_it_states_when_the_token_expires_in_beijing_time(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            body = self.login("operator", PASSWORD).json()
        assert body["expires"] == "2026-03-02T10:00:00+08:00"
        assert body["token_type"] == "Bearer"

    def test_it_refuses_a_wrong_password_with_401(self):
        self.assert_error(self.login("operator", "wrong-password-123"), 401, "invalid_credentials")
        assert not ApiToken.objects.exists()

    def test_it_refuses_an_unknown_user_with_the_same_answer(self):
        self.assert_error(self.login("nobody", PASSWORD), 401, "invalid_credentials")

    def test_it_refuses_an_inactive_user(self):
        self.operator.is_active = False
        self.operator.save()
        self.assert_error(self.login("operator", PASSWORD), 401, "invalid_credentials")

    def test_it_locks_a_username_and_address_for_a_while_after_five_wrong_passwords(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False) as traveller:
            for _ in range(LOCK_AFTER - 1):
                self.assert_error(self.login("operator", "wrong-password-123"), 401, "invalid_credentials")
            self.assert_error(self.login("operator", "wrong-password-123"), 429, "too_many_attempts")
            self.assert_error(self.login("operator", PASSWORD), 429, "too_many_attempts")
            assert self.login("dispatcher", PASSWORD).status_code == 200  # other accounts are not affected
            traveller.shift(dt.timedelta(minutes=15, seconds=1))
            assert self.login("operator", PASSWORD).status_code == 200

    def test_it_forgets_earlier_failures_after_a_success(self):
        for _ in range(LOCK_AFTER - 1):
            self.login("operator", "wrong-password-123")
        assert self.login("operator", PASSWORD).status_code == 200
        self.login("operator", "wrong-password-123")
        assert self.login("operator", PASSWORD).status_code == 200

    def test_it_answers_400_with_the_field_when_the_password_is_missing(self):
        response = self.client.post(f"{PREFIX}/auth/token", {"username": "operator"}, content_type="application/json")
        body = self.assert_error(response, 400, "invalid_input", field="password")
        assert body["errors"] == [{"field": "password", "message": "此项为必填"}]

    def test_it_refuses_a_nul_in_the_username_or_password_instead_of_failing_in_the_database(self):
        # PostgreSQL refuses NUL in text; the look-up and the lockout record both query by the username.
        for body in ({"username": "oper\u0000ator", "password": "x"}, {"username": "operator", "password": "a\u0000"},
                     {"username": "operator", "password": "x", "otp": "1\u00002"}):
            response = self.client.post(f"{PREFIX}/auth/token", body, content_type="application/json")
            self.assert_error(response, 400, "invalid_input")


class TestBearerToken(ApiTestCase):
    def test_it_answers_401_unauthenticated_without_a_token(self):
        response = self.get("/tickets", as_=None)
        self.assert_error(response, 401, "unauthenticated")
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_it_answers_401_to_an_unknown_token(self):
        response = self.client.get(f"{PREFIX}/tickets", headers={"Authorization": "Bearer not-a-real-token"})
        self.assert_error(response, 401, "unauthenticated")

    def test_it_answers_401_to_another_scheme(self):
        response = self.client.get(f"{PREFIX}/tickets", headers={"Authorization": "Basic b3BlcmF0b3I6eA=="})
        self.assert_error(response, 401, "unauthenticated")

    @override_settings(API_TOKEN_TTL_SECONDS=3600)
    def test_it_answers_401_once_the_token_has_expired(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False) as traveller:
            headers = self.headers(self.operator)
            assert self.client.get(f"{PREFIX}/tickets", headers=headers).status_code == 200
            traveller.move_to(local(2026, 3, 2, 9, 59))
            assert self.client.get(f"{PREFIX}/tickets", headers=headers).status_code == 200
            traveller.move_to(local(2026, 3, 2, 10))
            self.assert_error(self.client.get(f"{PREFIX}/tickets", headers=headers), 401, "unauthenticated")

    def test_it_refuses_the_token_of_a_user_deactivated_since(self):
        headers = self.headers(self.operator)
        self.operator.is_active = False
        self.operator.save()
        self.assert_error(self.client.get(f"{PREFIX}/tickets", headers=headers), 401, "unauthenticated")

    def test_it_records_when_a_token_was_last_used_at_most_once_a_minute(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False) as traveller:
            headers = self.headers(self.operator)
            self.client.get(f"{PREFIX}/tickets", headers=headers)
            assert ApiToken.objects.get().last_used == local(2026, 3, 2, 9)
            traveller.shift(dt.timedelta(seconds=30))
            self.client.get(f"{PREFIX}/tickets", headers=headers)
            assert ApiToken.objects.get().last_used == local(2026, 3, 2, 9)
            traveller.shift(dt.timedelta(seconds=30))
            self.client.get(f"{PREFIX}/tickets", headers=headers)
            assert ApiToken.objects.get().last_used == local(2026, 3, 2, 9, 1)

    def test_it_revokes_the_token_it_was_called_with(self):
        headers = self.headers(self.operator)
        assert self.client.delete(f"{PREFIX}/auth/token", headers=headers).status_code == 204
        self.assert_error(self.client.get(f"{PREFIX}/tickets", headers=headers), 401, "unauthenticated")


@override_settings(HOTLINE_TOTP_REQUIRED=True)
class TestTokenWithTwoFactor(ApiTestCase):
    """While the deployment requires two-factor, a token needs the authenticator's current code too."""

    def code(self, device) -> str:
        from django_otp.oath import totp

        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

    def post(self, **body: str):
        return self.client.post(f"{PREFIX}/auth/token", {"username": "operator", "password": PASSWORD, **body},
                                content_type="application/json")

    def test_it_refuses_a_user_without_an_enrolled_authenticator(self):
        self.assert_error(self.post(), 401, "otp_not_enrolled")

    def test_it_needs_the_current_code_and_refuses_a_wrong_one(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=self.operator, name="手机验证器", confirmed=True)
        with time_machine.travel(local(2026, 3, 2, 9), tick=False) as traveller:
            self.assert_error(self.post(), 401, "otp_invalid")
            wrong = "000000" if self.code(device) != "000000" else "111111"
            self.assert_error(self.post(otp=wrong), 401, "otp_invalid")
            traveller.shift(dt.timedelta(seconds=10))  # django-otp backs off after failures; wait it out
            device.refresh_from_db()
            assert self.post(otp=self.code(device)).status_code == 200
