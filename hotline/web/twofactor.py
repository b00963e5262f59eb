"""The TOTP steps after the password: enrolling an authenticator app and typing its code (hotline/privacy/twofactor)."""

from __future__ import annotations

import base64

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hotline.privacy import twofactor


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new secret; the first correct code confirms it and verifies this session."""
    device = twofactor.pending_device(request.user)  # type: ignore[arg-type]
    error = ""
    if request.method == "POST":
        if twofactor.enrol(request, request.POST.get("code", "")):
            return redirect(twofactor.safe_next(request))
        error = "验证码不正确，请核对手机时间后重新输入"
    context = {"qr": twofactor.qr_svg_data_uri(device), "secret": _grouped(device), "error": error,
               "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "web/otp_enrol.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the six-digit code of the enrolled authenticator; without one, enrol first."""
    if twofactor.confirmed_device(request.user) is None:  # type: ignore[arg-type]
        return redirect("web:otp_enrol")
    error = ""
    if request.method == "POST":
        if twofactor.verify(request, request.POST.get("code", "")):
            return redirect(twofactor.safe_next(request))
        error = "验证码不正确或尝试过多，请稍后重试"
    context = {"error": error, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "web/otp_verify.html", context, status=400 if error else 200)


def _grouped(device: object) -> str:
    """The base32 secret in groups of four, for typing it in when the camera cannot read the code."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")  # type: ignore[attr-defined]
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
