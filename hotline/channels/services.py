"""Taking tickets in from channels: citizen portal codes, gateway keys and HMAC-signed 110 transfers (Art. 2, 7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.channels import intake
from hotline.channels.models import ChannelKey, InboundNonce, RecoveryCode, Tracking
from hotline.directory.choices import UnitKind
from hotline.directory.models import Topic, Unit
from hotline.followups import ratings
from hotline.lib.errors import Conflict, Forbidden, InvalidInput, NotFound
from hotline.tickets.choices import Channel, RequestType
from hotline.tickets.models import FollowUp, Outbox, Requester, Ticket
from hotline.tickets.workflow import Contact

# Art. 7: a signed transfer older or newer than this is refused; nonces are kept at least this long.
SIGNATURE_WINDOW = dt.timedelta(minutes=5)
# Letters and digits that cannot be confused when read out on the phone (no 0/O, 1/I/L).
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def _digest(value: str, purpose: str) -> str:
    key = hashlib.sha256(f"hotline-{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def submit(channel: str, data: dict[str, Any]) -> Ticket:
    """A contact from a channel without staff (portal, gateways, 110, Open311), through the one intake service;
    topic and region are given by code."""
    if channel not in Channel.values:
        raise InvalidInput("来源渠道不正确", field="channel", code="invalid_channel")
    _check_types(data)
    topic = lookup_code(Topic, data.get("topic"), "topic", "事项分类")
    region = lookup_code(Unit, data.get("region"), "region", "所属区县", kind=UnitKind.COUNTY)
    request_type = data.get("request_type") or RequestType.HELP
    return intake.take(Contact(
        channel=channel, request_type=request_type, content=data.get("content") or "",
        address=data.get("address") or "", topic=topic, region=region, requester=data.get("requester") or None,
        title=data.get("title") or "", is_confidential=bool(data.get("is_confidential")),
    ), by=None)


_TEXT = ("topic", "region", "request_type", "content", "address", "title")
_REQUESTER_TEXT = ("name", "phone", "id_number", "address", "ip")


def _check_types(data: dict[str, Any]) -> None:
    """A gateway's JSON values at their type, never coerced: `"is_confidential": "no"` is not a yes, and a number
    where text belongs is refused rather than failing further in."""
    def text(value: Any, field: str) -> None:
        if value is not None and not isinstance(value, str):
            raise InvalidInput(f"{field} 须为字符串", field=field, code="invalid_type")

    def flag(value: Any, field: str) -> None:
        if value is not None and not isinstance(value, bool):
            raise InvalidInput(f"{field} 须为 true 或 false", field=field, code="invalid_type")

    for name in _TEXT:
        text(data.get(name), name)
    flag(data.get("is_confidential"), "is_confidential")
    requester = data.get("requester")
    if requester is None:
        return
    if not isinstance(requester, dict):
        raise InvalidInput("requester 须为 JSON 对象", field="requester", code="invalid_type")
    for name in _REQUESTER_TEXT:
        text(requester.get(name), f"requester.{name}")
    flag(requester.get("is_company"), "requester.is_company")


def lookup_code(model: Any, code: Any, field: str, label: str, **filters: Any) -> Any:
    """The active object of `model` with `code`, None when no code is given; an unknown code is `unknown_<field>`."""
    if code in (None, ""):
        return None
    obj = model.objects.filter(code=str(code), is_active=True, **filters).first()
    if obj is None:
        raise InvalidInput(f"{label}“{code}”不存在", field=field, code=f"unknown_{field}")
    return obj


def issue_tracking(ticket: Ticket) -> str:
    """Give the citizen a query code (stored only as a keyed hash) and a public token for Open311."""
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
    Tracking.objects.create(ticket=ticket, code_hash=_digest(code, "tracking"), token=secrets.token_hex(8))
    return code


def track(number: str, code: str) -> Ticket:
    """The ticket if the query code matches; one message for unknown number and wrong code (no oracle)."""
    tracking = Tracking.objects.select_related("ticket").filter(ticket__number=(number or "").strip()).first()
    if tracking is None or not hmac.compare_digest(tracking.code_hash, _digest(code or "", "tracking")):
        if tracking is not None:
            Tracking.objects.filter(pk=tracking.pk).update(failed_checks=tracking.failed_checks + 1)
        raise NotFound("工单编号或查询码不正确", code="tracking_mismatch")
    return tracking.ticket


# A lost query code is replaced after an SMS code sent to the phone the requester gave (Art. 23: nothing is shown to
# anyone who does not hold that phone). The code lives 10 minutes and allows 5 tries.
RECOVERY_TTL = dt.timedelta(minutes=10)
RECOVERY_TRIES = 5
RECOVERY_SMS_PER_DAY = 3  # per ticket: nobody can flood the requester's phone


def start_recovery(number: str, phone: str) -> None:
    """Text a 6-digit code to the ticket's requester if `phone` is the number they gave. Says nothing either way:
    the page answers the same whether the ticket exists and the phone matches or not (no oracle)."""
    tracking = Tracking.objects.select_related("ticket").filter(ticket__number=(number or "").strip()).first()
    requester_id = tracking.ticket.requester_id if tracking is not None else None
    if tracking is None or requester_id is None:
        return
    if not Requester.matching_phone(phone or "").filter(pk=requester_id).exists():
        return
    now = timezone.now()
    if tracking.recoveries.filter(created_at__gte=now - dt.timedelta(days=1)).count() >= RECOVERY_SMS_PER_DAY:
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        RecoveryCode.objects.create(tracking=tracking, code_hash=_digest(code, "recovery"), created_at=now,
                                    expires_at=now + RECOVERY_TTL)
        Outbox.objects.create(kind="sms.recovery", payload={
            "ticket": tracking.ticket.number, "requester": requester_id,
            "text": f"【12345热线】您正在找回工单{tracking.ticket.number}的查询码，验证码{code}，10分钟内有效。"
                    "如非本人操作，请忽略本短信。"})


def finish_recovery(number: str, code: str) -> str:
    """A new query code for the ticket once the SMS code is right (the old one stops working); one message for
    every failure (unknown ticket, no code sent, wrong, expired or used up)."""
    now = timezone.now()
    row = (RecoveryCode.objects.select_related("tracking").filter(
        tracking__ticket__number=(number or "").strip(), used_at__isnull=True, expires_at__gt=now,
        tries__lt=RECOVERY_TRIES).order_by("-created_at").first())
    if row is None or not hmac.compare_digest(row.code_hash, _digest(code or "", "recovery")):
        if row is not None:
            RecoveryCode.objects.filter(pk=row.pk).update(tries=row.tries + 1)
        raise NotFound("验证码不正确或已过期，请重新获取", code="recovery_mismatch")
    new_code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with transaction.atomic():
        if not RecoveryCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
            raise NotFound("验证码不正确或已过期，请重新获取", code="recovery_mismatch")
        Tracking.objects.filter(pk=row.tracking_id).update(code_hash=_digest(new_code, "tracking"), failed_checks=0)
    return new_code


def rate(ticket: Ticket, *, satisfaction: str, comment: str = "") -> FollowUp:
    """The requester rates the handling once the ticket is resolved or closed: a follow-up record of the portal
    channel (Art. 17), recorded by the follow-up service."""
    return ratings.rate_on_portal(ticket, satisfaction=satisfaction, comment=comment)


def create_key(name: str, channel: str, *, hmac_secret_env: str = "") -> tuple[ChannelKey, str]:
    """A new gateway key; the raw value is shown once and only its hash is kept."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(24)
    key = ChannelKey.objects.create(name=name, channel=channel, prefix=prefix,
                                    key_hash=_digest(secret, "channel-key"), hmac_secret_env=hmac_secret_env)
    return key, f"{prefix}.{secret}"


def authenticate_key(raw: str | None) -> ChannelKey:
    """The active key `prefix.secret`; Forbidden (401 at the edge) otherwise."""
    prefix, _, secret = (raw or "").strip().partition(".")
    if "\x00" in prefix:  # no key has one, and PostgreSQL refuses it in a query
        raise Forbidden("接入密钥无效", code="invalid_channel_key")
    key = ChannelKey.objects.filter(prefix=prefix, is_active=True).first()
    if key is None or not secret or not hmac.compare_digest(key.key_hash, _digest(secret, "channel-key")):
        raise Forbidden("接入密钥无效", code="invalid_channel_key")
    ChannelKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def sign_body(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp \\n nonce \\n body`, hex: what the 110 platform sends as X-Signature."""
    message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_signed(source: str, *, secret: str, timestamp: str, nonce: str, body: bytes, signature: str,
                  now: dt.datetime | None = None) -> InboundNonce:
    """Check the signature and the time window, and burn the nonce so a replay is refused (Art. 7)."""
    now = now or timezone.now()
    if not secret:
        raise Forbidden("未配置签名密钥", code="signature_not_configured")
    try:
        sent = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInput("X-Timestamp 须为 Unix 秒数", field="X-Timestamp", code="invalid_timestamp") from exc
    if abs(now - sent) > SIGNATURE_WINDOW:
        raise Forbidden("请求时间超出允许范围（5分钟）", code="stale_request")
    if not nonce or len(nonce) > 64:
        raise InvalidInput("X-Nonce 不能为空且不超过64个字符", field="X-Nonce", code="invalid_nonce")
    expected = sign_body(secret, timestamp, nonce, body)
    if not hmac.compare_digest(expected, (signature or "").lower()):
        raise Forbidden("签名不正确", code="bad_signature")
    try:
        with transaction.atomic():
            return InboundNonce.objects.create(source=source, nonce=nonce, received_at=now)
    except IntegrityError as exc:
        raise Conflict("重复的请求（nonce 已使用）", code="replayed_request") from exc


def purge_one_nonce(now: dt.datetime | None = None) -> bool:
    """Forget nonces older than the window (a sweep: handle one batch, return whether anything was left)."""
    cutoff = (now or timezone.now()) - 2 * SIGNATURE_WINDOW
    ids = list(InboundNonce.objects.filter(received_at__lt=cutoff).values_list("pk", flat=True)[:500])
    if not ids:
        return False
    InboundNonce.objects.filter(pk__in=ids).delete()
    return True
