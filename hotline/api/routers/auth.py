"""Issuing and revoking bearer tokens."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Status

from hotline.api import tokens
from hotline.api.schemas import ErrorOut, TokenIn, TokenOut
from hotline.api.security import bearer
from hotline.lib.errors import DomainError
from hotline.privacy import lockout

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
    token, expires = tokens.issue(user)  # type: ignore[arg-type]
    return {"token": token, "expires": expires}


@router.delete("/token", auth=bearer, response={204: None, 401: ErrorOut})
def revoke_token(request: HttpRequest) -> Status[None]:
    """Revoke the token this request was made with (log out)."""
    header = request.headers.get("Authorization", "")
    tokens.revoke(header.partition(" ")[2].strip())
    return Status(204, None)
