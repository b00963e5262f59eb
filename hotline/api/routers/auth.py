"""Issuing and revoking bearer tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Status

from hotline.api import tokens
from hotline.api.schemas import ErrorOut, TokenIn, TokenOut
from hotline.api.security import bearer
from hotline.lib.errors import DomainError
from hotline.privacy import lockout, security, twofactor

router = Router(tags=["认证"])


class InvalidCredentials(DomainError):
    """Wrong username or password, or an inactive account; the two are not told apart."""

    status = 401
    code = "invalid_credentials"


class TooManyAttempts(DomainError):
    """Too many wrong passwords for this username from this address: the one lockout of the whole product
    (hotline.privacy.lockout, kept in the database so every process sees it)."""

    status = 429
    code = "too_many_attempts"


@router.post("/token", auth=None, response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut})
def issue_token(request: HttpRequest, payload: TokenIn) -> dict:
    """Exchange a username and password for a bearer token valid for API_TOKEN_TTL_SECONDS."""
    user = authenticate(request, username=payload.username, password=payload.password)
    # ModelBackend already refuses inactive users; checked again so a custom backend cannot let one through.
    if user is None or not user.is_active:
        if lockout.is_locked(payload.username, request):
            raise TooManyAttempts("密码错误次数过多，账号已暂时锁定，请15分钟后再试")
        raise InvalidCredentials("用户名或密码错误，或账号已停用")
    _second_factor(request, user, payload.otp)
    token, expires = tokens.issue(user)  # type: ignore[arg-type]
    return {"token": token, "expires": expires}


def _second_factor(request: HttpRequest, user: Any, code: str) -> None:
    """While two-factor is on, a token also needs the authenticator's current code (GB/T 22239 level 3)."""
    if not settings.HOTLINE_TOTP_REQUIRED:
        return
    if twofactor.confirmed_device(user) is None:
        raise InvalidCredentials("本系统要求动态验证码：请先在网页端登录并绑定验证器", code="otp_not_enrolled")
    if not twofactor.check_code(user, code, ip=security.client_ip(request)):
        raise InvalidCredentials("动态验证码错误或已过期", code="otp_invalid", field="otp")


@router.delete("/token", auth=bearer, response={204: None, 401: ErrorOut})
def revoke_token(request: HttpRequest) -> Status[None]:
    """Revoke the token this request was made with (log out)."""
    header = request.headers.get("Authorization", "")
    tokens.revoke(header.partition(" ")[2].strip())
    return Status(204, None)
