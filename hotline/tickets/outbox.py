"""Sending the outbox (STYLE 4): side effects written in a transition's transaction go out afterwards, here.

`send_one` claims one unsent row with a compare-and-swap on (claimed_at, attempts), so two workers never send the same
row; a failed send is retried with growing pauses up to `MAX_ATTEMPTS`, keeping the last error on the row. The SMS
sender is the city's gateway when `SMS_ENABLED`, otherwise a log line without personal data.

Delivery is at least once: a worker killed after the gateway accepted a message and before `sent_at` is written
leaves the row to be claimed again, so the gateway may receive it twice, each time with the row's `message_id`, on
which it de-duplicates (docs/deploy.md).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from hotline.deadlines import display
from hotline.tickets.models import Outbox, Requester

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Pause before attempt n+1 after n attempts. The first entry is also the lease of a claim: a worker that died while
# sending leaves a claimed row, which another worker takes over after this long.
RETRY_AFTER = (
    dt.timedelta(minutes=2), dt.timedelta(minutes=2), dt.timedelta(minutes=10), dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
GATEWAY_TIMEOUT_SECONDS = 10


class SendFailed(Exception):
    """A send that failed; `permanent` ones (nothing to send to, unknown kind) are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    """One SMS: the recipient's number and a text that names the ticket but no person."""

    kind: str
    ticket: str
    phone: str
    text: str
    message_id: str = ""


def _due_text(value: str) -> str:
    """The deadline in the screens' words (`display.format_due`: "12月10日 24:00", never "12月11日00:00")."""
    try:
        due = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return "新的时限"
    return display.format_due(due) if timezone.is_aware(due) else "新的时限"


# The rating menu of the SMS sent at resolution; `followups.ratings.parse_sms_reply` reads the reply (Art. 17).
RATING_PROMPT = "回复1 满意 / 2 基本满意 / 3 不满意（也可回复“非常满意”“非常不满意”）"

# Texts per kind (Art. 14: an approved extension is told to the requester; Art. 17: a resolved ticket invites a
# rating). A payload may carry its own `text`.
TEXTS: dict[str, Callable[[dict], str]] = {
    "sms.extension": lambda p: (f"【12345热线】您反映的问题（工单号{p.get('ticket', '')}）经审核延期办理，"
                                f"办理时限延至{_due_text(p.get('new_due', ''))}。"),
    "sms.rating": lambda p: (f"【12345热线】您反映的问题（工单号{p.get('ticket', '')}）已办结，请评价本次办理："
                             f"{RATING_PROMPT}。"),
}


def compose(row: Outbox) -> Message:
    """The message a row stands for; fails permanently when there is no text for its kind or no number to send to."""
    payload = row.payload or {}
    build = TEXTS.get(row.kind)
    text = build(payload) if build else payload.get("text", "")
    if not text or not row.kind.startswith("sms."):
        raise SendFailed(f"未知的消息类型：{row.kind}", permanent=True)
    requester_id = payload.get("requester")
    requester = Requester.objects.filter(pk=requester_id).first() if requester_id else None
    phone = str(getattr(requester, "phone", "") or "")
    if not phone:
        raise SendFailed("服务对象没有可发送短信的电话号码", permanent=True)
    return Message(kind=row.kind, ticket=str(payload.get("ticket", "")), phone=phone, text=text,
                   message_id=str(row.message_id))


def log_sender(message: Message) -> None:
    """SMS disabled: the message goes to the log, without the number or any name (Art. 23)."""
    log.info("短信未启用，仅记录：类型=%s 工单=%s 消息编号=%s 内容=%s",
             message.kind, message.ticket, message.message_id, message.text)


def gateway_sender(message: Message) -> None:
    """POST the message as JSON to the city's SMS gateway (`SMS_GATEWAY_URL`, bearer `SMS_GATEWAY_TOKEN`); `id` (also
    the `Idempotency-Key` header) is the same on every attempt, so the gateway can drop a repeat."""
    url = str(getattr(settings, "SMS_GATEWAY_URL", ""))
    if not url.startswith(("http://", "https://")):
        raise SendFailed("SMS_GATEWAY_URL 必须是 http(s) 地址", permanent=True)
    body = json.dumps({"id": message.message_id, "phone": message.phone, "text": message.text,
                       "ref": message.ticket}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 (scheme checked above)
        "Content-Type": "application/json", "Idempotency-Key": message.message_id,
        "Authorization": f"Bearer {getattr(settings, 'SMS_GATEWAY_TOKEN', '')}"})
    try:
        with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT_SECONDS) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise SendFailed(f"短信网关返回 {response.status}")
    except OSError as exc:  # refused, timed out, HTTP 4xx/5xx (HTTPError is an OSError)
        raise SendFailed(f"短信网关错误：{exc}") from exc


# Kinds other than SMS are sent by the app that owns them, which registers a handler for its prefix when it starts
# (`register`): the tickets layer cannot import the apps above it. A handler raises SendFailed like a sender.
HANDLERS: dict[str, Callable[[Outbox], None]] = {}


def register(prefix: str, handler: Callable[[Outbox], None]) -> None:
    """Send rows whose kind starts with `prefix` (e.g. "exchange.") with `handler` instead of the SMS sender."""
    HANDLERS[prefix] = handler


def deliver(row: Outbox) -> None:
    """Send one claimed row: by its registered handler, or as an SMS."""
    handler = next((h for prefix, h in HANDLERS.items() if row.kind.startswith(prefix)), None)
    if handler is not None:
        handler(row)
    else:
        sender()(compose(row))


def sender() -> Callable[[Message], None]:
    """The gateway when `SMS_ENABLED`, the log otherwise."""
    return gateway_sender if getattr(settings, "SMS_ENABLED", False) else log_sender


def claimable(now: dt.datetime) -> Q:
    """Unsent rows never claimed, or whose last attempt is older than the pause its attempt count calls for."""
    q = Q(claimed_at__isnull=True)
    for attempts in range(1, MAX_ATTEMPTS):
        q |= Q(attempts=attempts, claimed_at__lte=now - RETRY_AFTER[attempts])
    return Q(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS) & q


def claim_one(now: dt.datetime) -> Outbox | None:
    """Take one row for this worker, or None; a row another worker took in between is skipped, never shared."""
    for row in Outbox.objects.filter(claimable(now)).order_by("created_at", "pk")[:5]:
        # Compare-and-swap: only the worker whose UPDATE still sees the old claim and count gets the row.
        won = Outbox.objects.filter(pk=row.pk, sent_at__isnull=True, attempts=row.attempts,
                                    claimed_at=row.claimed_at).update(claimed_at=now, attempts=row.attempts + 1)
        if won:
            row.claimed_at, row.attempts = now, row.attempts + 1
            return row
    return None


def send_one(now: dt.datetime | None = None) -> bool:
    """Claim and send one message; False when nothing is waiting. Failures are recorded on the row, not raised."""
    return _send_one(now or timezone.now()) is not None


def _send_one(now: dt.datetime) -> bool | None:
    """True if sent, False if it failed, None if nothing was claimable."""
    row = claim_one(now)
    if row is None:
        return None
    try:
        deliver(row)
    except SendFailed as exc:
        _failed(row, str(exc), permanent=exc.permanent)
        return False
    except Exception as exc:  # a sender bug must not stop the sweep loop; the row keeps the error for the admin
        log.exception("outbox row %s: unexpected error", row.pk)
        _failed(row, f"{type(exc).__name__}: {exc}", permanent=False)
        return False
    Outbox.objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="")
    return True


def _failed(row: Outbox, error: str, *, permanent: bool) -> None:
    attempts = MAX_ATTEMPTS if permanent else row.attempts
    Outbox.objects.filter(pk=row.pk).update(last_error=error[:1000], attempts=attempts)
    log.warning("outbox row %s (%s) attempt %s failed: %s", row.pk, row.kind, row.attempts, error)


def drain(now: dt.datetime | None = None, limit: int = 10_000) -> dict[str, int]:
    """Send everything claimable now (the `hotline outbox` command); counts of sent and failed rows."""
    counts = {"sent": 0, "failed": 0}
    for _ in range(limit):
        result = _send_one(now or timezone.now())
        if result is None:
            break
        counts["sent" if result else "failed"] += 1
    return counts
