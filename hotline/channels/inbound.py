"""Machine channels: WeChat/app/SMS gateways (key) and transfers from the 110 platform (HMAC signature, Art. 7)."""

from __future__ import annotations

import json
import os
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hotline.channels import services
from hotline.channels.models import ChannelKey, InboundNonce
from hotline.followups import ratings
from hotline.lib.errors import DomainError, Forbidden, InvalidInput, NotFound
from hotline.tickets.choices import Channel
from hotline.tickets.models import Ticket


def _json_error(exc: DomainError) -> JsonResponse:
    status = 401 if exc.code in {"invalid_channel_key", "bad_signature", "stale_request",
                                 "signature_not_configured"} else exc.status
    return JsonResponse(exc.as_dict(), status=status)


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:  # deep nesting exhausts the parser
        raise InvalidInput("请求体须为 JSON", code="malformed_json") from exc
    if not isinstance(data, dict):
        raise InvalidInput("请求体须为 JSON 对象", code="malformed_json")
    return data


def _created(ticket: Any, code: str) -> JsonResponse:
    return JsonResponse({"number": ticket.number, "query_code": code, "status": ticket.status}, status=201)


@csrf_exempt
@require_POST
def gateway_ticket(request: HttpRequest) -> JsonResponse:
    """POST /channels/tickets with `Authorization: Key <key>`: a ticket from the key's channel (WeChat, app, SMS)."""
    try:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "key":
            raise Forbidden("缺少接入密钥（Authorization: Key …）", code="invalid_channel_key")
        key = services.authenticate_key(raw)
        if key.channel == Channel.POLICE_110:
            raise Forbidden("110 转接须使用签名接口", code="invalid_channel_key")
        ticket = services.submit(key.channel, _body(request))
        return _created(ticket, services.issue_tracking(ticket))
    except DomainError as exc:
        return _json_error(exc)


@csrf_exempt
@require_POST
def sms_rating(request: HttpRequest) -> JsonResponse:
    """POST /channels/ratings/sms with an SMS key: the requester's reply to the rating SMS ("1 满意 / 2 基本满意 /
    3 不满意"), as `{"number", "phone", "text"}`; a follow-up record of the SMS channel (Art. 17)."""
    try:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        key = services.authenticate_key(raw) if scheme.lower() == "key" else None
        if key is None or key.channel != Channel.SMS:
            raise Forbidden("缺少短信网关接入密钥（Authorization: Key …）", code="invalid_channel_key")
        data = _body(request)
        ticket = Ticket.objects.filter(number=str(data.get("number") or "")).first()
        if ticket is None:
            raise NotFound("工单不存在", code="not_found")
        rating = ratings.rate_by_sms(ticket, phone=str(data.get("phone") or ""), text=str(data.get("text") or ""))
        return JsonResponse({"number": ticket.number, "follow_up": rating.pk, "satisfaction": rating.satisfaction},
                            status=201)
    except DomainError as exc:
        return _json_error(exc)


@csrf_exempt
@require_POST
def police_transfer(request: HttpRequest) -> JsonResponse:
    """POST /channels/110/tickets: a non-emergency matter transferred from 110, signed with HMAC (Art. 7).

    Headers: X-Key-Prefix (the 110 key's prefix), X-Timestamp (Unix seconds), X-Nonce, X-Signature
    (hex HMAC-SHA256 of `timestamp\\nnonce\\nbody` with the shared secret). A replayed nonce is refused.
    """
    try:
        key = ChannelKey.objects.filter(prefix=request.headers.get("X-Key-Prefix", ""), is_active=True,
                                        channel=Channel.POLICE_110).first()
        if key is None:
            raise Forbidden("未知的 110 接入密钥", code="invalid_channel_key")
        nonce: InboundNonce = services.verify_signed(
            "110", secret=os.environ.get(key.hmac_secret_env, "") if key.hmac_secret_env else "",
            timestamp=request.headers.get("X-Timestamp", ""), nonce=request.headers.get("X-Nonce", ""),
            body=request.body, signature=request.headers.get("X-Signature", ""),
        )
        data = _body(request)
        ticket = services.submit(Channel.POLICE_110, data)
        InboundNonce.objects.filter(pk=nonce.pk).update(ticket=ticket)
        return _created(ticket, services.issue_tracking(ticket))
    except DomainError as exc:
        return _json_error(exc)
