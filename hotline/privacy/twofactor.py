"""TOTP two-factor login for staff, switched on per deployment with HOTLINE_TOTP_REQUIRED (GB/T 22239 level 3:
two factors for administrators and operators).

With it on, a staff member who has entered the password is sent to enrol an authenticator app (first time, QR code
rendered here, never fetched from a service) or to type its six-digit code; no other page opens until then. The
JSON API keeps its own bearer tokens. Wrong codes are throttled by django-otp and recorded as security events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotline.privacy import security
from hotline.privacy.models import SecurityKind

if TYPE_CHECKING:
    from hotline.directory.models import Staff

# Pages a staff member must reach before the second factor: the steps themselves, leaving, and static files.
EXEMPT_PREFIXES = ("/otp/", "/logout/", "/static/", "/api/")


def confirmed_device(user: Staff) -> TOTPDevice | None:
    """The staff member's enrolled authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Staff) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per person; a new secret only when none is pending)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=False)
    return device


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI of the device as an SVG QR code in a data: URI, rendered locally."""
    # config_url names the issuer (settings.OTP_TOTP_ISSUER) and the account, as authenticator apps expect.
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4))


def _check(request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    user = request.user
    allowed, _ = device.verify_is_allowed()
    if allowed and device.verify_token((code or "").strip()):
        otp_login(request, device)
        return True
    security.record(SecurityKind.OTP_FAILED, staff=user, ip=security.client_ip(request),  # type: ignore[arg-type]
                    detail="动态验证码错误" if allowed else "尝试过多，暂时锁定")
    return False


def check_code(user: Staff, code: str, *, ip: str | None) -> bool:
    """Check a code of the enrolled device without a browser session (the API's token request); logs a failure."""
    device = confirmed_device(user)
    if device is None:
        return False
    allowed, _ = device.verify_is_allowed()
    if allowed and device.verify_token((code or "").strip()):
        return True
    security.record(SecurityKind.OTP_FAILED, staff=user, ip=ip,
                    detail="动态验证码错误（接口）" if allowed else "尝试过多，暂时锁定（接口）")
    return False


def enrol(request: HttpRequest, code: str) -> bool:
    """Confirm the pending device with its first code and verify this session; False on a wrong code."""
    device = pending_device(request.user)  # type: ignore[arg-type]
    if not _check(request, device, code):
        return False
    TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    security.record(SecurityKind.OTP_ENROLLED, staff=request.user, ip=security.client_ip(request))  # type: ignore[arg-type]
    return True


def verify(request: HttpRequest, code: str) -> bool:
    """Check the code of the enrolled device and mark this session verified; False on a wrong code."""
    device = confirmed_device(request.user)  # type: ignore[arg-type]
    return device is not None and _check(request, device, code)


def safe_next(request: HttpRequest) -> str:
    """Where to go after the second factor: the `next` asked for if it is on this site, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("web:home")


class TwoFactorMiddleware:
    """Sends a password-only staff session to the TOTP step while HOTLINE_TOTP_REQUIRED is on (after OTPMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (settings.HOTLINE_TOTP_REQUIRED and user is not None and user.is_authenticated
                and not user.is_verified() and not request.path.startswith(EXEMPT_PREFIXES)):
            step = "web:otp_verify" if confirmed_device(user) else "web:otp_enrol"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)
