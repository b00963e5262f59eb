"""TOTP two-factor login for staff, on per deployment (HOTLINE_TOTP_REQUIRED): enrol with a locally rendered QR
code, then a code after every password login; wrong codes are refused and recorded (GB/T 22239 level 3)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotline.privacy.models import SecurityEvent, SecurityKind
from tests.base import PASSWORD, HotlineTestCase, local


def code_for(device: TOTPDevice) -> str:
    """The six digits an authenticator app shows now for this device's secret."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(HOTLINE_TOTP_REQUIRED=True)
class TestTwoFactorRequired(HotlineTestCase):
    def password_login(self) -> None:
        response = self.client.post("/login/", {"username": "operator", "password": PASSWORD})
        assert response.status_code == 302

    def test_it_makes_a_first_login_enrol_an_authenticator_from_a_local_qr_code(self) -> None:
        with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
            self.password_login()
            response = self.client.get("/tickets/")
            assert response.status_code == 302 and response["Location"] == "/otp/enrol/?next=/tickets/"
            page = self.client.get(response["Location"])
            assert page.status_code == 200
            assert b'src="data:image/svg+xml' in page.content  # rendered here, nothing fetched from a service
            device = TOTPDevice.objects.get(user=self.operator, confirmed=False)
            done = self.client.post("/otp/enrol/", {"code": code_for(device), "next": "/tickets/"})
            assert done.status_code == 302 and done["Location"] == "/tickets/"
            assert self.client.get("/tickets/").status_code == 200
        assert TOTPDevice.objects.get(user=self.operator).confirmed
        assert SecurityEvent.objects.filter(kind=SecurityKind.OTP_ENROLLED, staff=self.operator).count() == 1

    def test_it_asks_an_enrolled_user_for_the_code_after_the_password(self) -> None:
        device = TOTPDevice.objects.create(user=self.operator, name="手机验证器", confirmed=True)
        with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False) as clock:
            self.password_login()
            assert self.client.get("/desk/")["Location"] == "/otp/verify/?next=/desk/"
            wrong = self.client.post("/otp/verify/", {"code": "000000" if code_for(device) != "000000" else "111111"})
            assert wrong.status_code == 400
            assert self.client.get("/desk/").status_code == 302, "still not through after a wrong code"
            clock.shift(dt.timedelta(seconds=5))  # django-otp slows down guessing after a failure
            right = self.client.post("/otp/verify/", {"code": code_for(device), "next": "/desk/"})
            assert right.status_code == 302 and right["Location"] == "/desk/"
            assert self.client.get("/desk/").status_code == 200
        assert SecurityEvent.objects.filter(kind=SecurityKind.OTP_FAILED, staff=self.operator).count() == 1

    def test_it_refuses_a_next_address_on_another_site(self) -> None:
        device = TOTPDevice.objects.create(user=self.operator, name="手机验证器", confirmed=True)
        self.password_login()
        response = self.client.post("/otp/verify/", {"code": code_for(device), "next": "https://evil.example/"})
        assert response["Location"] == "/"


class TestTwoFactorOff(HotlineTestCase):
    def test_it_lets_a_password_login_through_when_the_deployment_does_not_require_it(self) -> None:
        self.client.post("/login/", {"username": "operator", "password": PASSWORD})
        assert self.client.get("/tickets/").status_code == 200
