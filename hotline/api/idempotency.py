"""`Idempotency-Key` on the API's writes: a retry with the same key and body answers the first result without doing
it again; the same key with another request is refused (422 `idempotency_key_reused`).

The key is recorded in the write's own transaction (`hotline.lib.outage.WriteOutcomeMiddleware` makes the whole
request one), so it is saved exactly when the write is: a client that lost the answer to a saved write gets it
again, and one whose write was rolled back does it now. Two requests with one key at once are serialised by the
unique index: the second waits for the first to commit and then replays its answer. Only 2xx answers are kept; a
refused request did nothing, so its retry is simply run again. Keys are kept `KEEP` (the outage answer tells clients
to retry within that time), then removed by the `forget_idempotency_keys` job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from hotline.api import tokens
from hotline.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, e.g. a UUID
PREFIX = "/api/v1/"
EXEMPT = frozenset({"/api/v1/auth/token"})  # issuing a token is not a write a retry could duplicate
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEEP = dt.timedelta(hours=24)


def _refusal(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "field": HEADER}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of method, path and body; a multipart body by its fields and files, not its random boundary."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(repr((name, values)).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(repr((name, upload.name)).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _replay(row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(row.response, status=row.status, content_type="application/json; charset=utf-8")
    response["Idempotent-Replayed"] = "true"
    # When the first request was saved: a client that had several answers for one key can tell which attempt it was.
    response["Idempotent-Saved-At"] = row.created.isoformat()
    return response


class IdempotencyMiddleware:
    """Applies `Idempotency-Key` to the API's write requests (inside WriteOutcomeMiddleware's transaction)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS or not request.path.startswith(PREFIX) \
                or request.path in EXEMPT:
            return self.get_response(request)
        if not KEY_PATTERN.match(key):
            return _refusal("invalid_idempotency_key", "Idempotency-Key 须为 1–200 个可见 ASCII 字符（如 UUID）", 400)
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        user = tokens.user_for(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return self.get_response(request)  # the endpoint answers 401
        digest = fingerprint(request)
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(user=user, key=key, fingerprint=digest)
        except IntegrityError:  # a first request with this key was saved (we waited for it if it was running)
            first = IdempotentRequest.objects.get(user=user, key=key)
            if first.fingerprint != digest:
                message = "该 Idempotency-Key 已用于另一个请求：新的操作请使用新的键"
                return _refusal("idempotency_key_reused", message, 422)
            return _replay(first)
        response = self.get_response(request)
        if 200 <= response.status_code < 300 and not response.streaming:
            row.status, row.response = response.status_code, response.content.decode()
            row.save(update_fields=["status", "response"])
        else:
            row.delete()
        return response


def forget_one(now: dt.datetime | None = None) -> bool:
    """Remove one batch of keys older than `KEEP`; False when none is left (a timed job, STYLE 6)."""
    cutoff = (now or timezone.now()) - KEEP
    pks = list(IdempotentRequest.objects.filter(created__lt=cutoff).values_list("pk", flat=True)[:500])
    if not pks:
        # A round with nothing to forget only reads: it takes no write lock, so it never waits on a writer.
        return False
    return IdempotentRequest.objects.filter(pk__in=pks).delete()[0] > 0
