"""Signed requests between platforms, exactly as the 110 link signs them (Art. 7; docs/channels.md): X-Key-Prefix,
X-Timestamp (Unix seconds, within 5 minutes), X-Nonce (used once) and X-Signature, the hex HMAC-SHA256 of
`timestamp \\n nonce \\n body` with a secret shared out of band and kept in the environment."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping

from hotline.channels.services import sign_body, verify_signed
from hotline.exchange.models import Partner
from hotline.lib.errors import DomainError


class Unauthenticated(DomainError):
    """A partner's request that is not signed as agreed: unknown prefix, bad signature, stale timestamp."""

    status = 401
    code = "unauthenticated"


def authenticate(headers: Mapping[str, str], body: bytes, *, kind: str) -> Partner:
    """The active partner of `kind` whose signature the request carries; the nonce is burnt (a replay is 409)."""
    partner = Partner.objects.filter(prefix=headers.get("X-Key-Prefix", "").replace("\x00", ""), kind=kind,
                                     is_active=True).first()
    if partner is None:
        raise Unauthenticated("未知的对接平台（X-Key-Prefix）", code="invalid_partner_key")
    try:
        verify_signed(f"exchange:{partner.code}", secret=os.environ.get(partner.hmac_secret_env, ""),
                      timestamp=headers.get("X-Timestamp", ""), nonce=headers.get("X-Nonce", ""), body=body,
                      signature=headers.get("X-Signature", ""))
    except DomainError as exc:
        if exc.status == 403:  # bad signature, stale timestamp, no secret configured: not authenticated
            raise Unauthenticated(exc.message, code=exc.code) from exc
        raise
    return partner


def signed_headers(*, prefix: str, secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """The headers a signed request carries (what we send when reporting back; what tests and partners send)."""
    timestamp = str(int(now if now is not None else time.time()))
    nonce = secrets.token_hex(16)
    return {"X-Key-Prefix": prefix, "X-Timestamp": timestamp, "X-Nonce": nonce,
            "X-Signature": sign_body(secret, timestamp, nonce, body), "Content-Type": "application/json"}
