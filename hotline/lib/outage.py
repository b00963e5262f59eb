"""The answer while the database is away: 503 in Chinese, never a stack trace, saying whether the action was saved.

`WriteOutcomeMiddleware` runs every write request (POST, PUT, PATCH, DELETE) in one transaction, so its outcome is
one of three: committed (the normal answer), rolled back (a failure inside: "not saved, retry"), or a failure while
committing ("cannot tell: check before retrying"). It is the outermost middleware after the static files, so the
session save and everything the answer renders happen before the commit: an answer is never lost after its data was
saved. The HTML 500 handler and the API's fault handler turn a lost database into `outage_answer`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

# What a database that is down, restarting or unreachable raises (a broken query is a bug, not an outage).
OUTAGE_ERRORS = (OperationalError, InterfaceError)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
RETRY_AFTER_SECONDS = 10

log = logging.getLogger(__name__)

FULL_MESSAGE = ("数据存储空间已满：可以登录和查看工单，暂时不能保存任何操作（本次操作没有保存）。"
                "请联系系统管理员清理磁盘。")
READ_ONLY_MESSAGE = "数据存储当前只读：可以登录和查看工单，暂时不能保存任何操作（本次操作没有保存）。请联系系统管理员。"
READ_MESSAGE = "数据库暂时无法连接，请稍后刷新重试（本次只是查看，没有更改任何数据）。"
NOT_SAVED_MESSAGE = "数据库暂时无法连接，本次操作没有保存，请稍后重试。"
UNKNOWN_MESSAGE = "数据库连接在保存时中断，无法确认本次操作是否已保存：请先刷新查看当前状态，确认未保存后再重试。"
API_UNKNOWN_HINT = "用同一 Idempotency-Key 重试是安全的：已保存的操作不会重复执行。"


def is_read_only(exc: BaseException) -> bool:
    """The database refused a write because its disk or server is read-only (SQLite, or PostgreSQL's 25006)."""
    text = str(exc).lower()
    cause = exc.__cause__
    return "readonly" in text or "read-only" in text or getattr(cause, "sqlstate", "") == "25006"


def is_disk_full(exc: BaseException) -> bool:
    """The database refused a write for lack of space (SQLite's SQLITE_FULL, PostgreSQL's 53100 disk_full)."""
    text = str(exc).lower()
    cause = exc.__cause__
    return "disk is full" in text or "no space left" in text or getattr(cause, "sqlstate", "") == "53100"


def refuses_writes(exc: BaseException) -> bool:
    """The database can be read but takes no write: a read-only or a full disk."""
    return is_read_only(exc) or is_disk_full(exc)


def is_outage(exc: BaseException | None) -> bool:
    """The database is away, read-only or full: answered as an outage, not as a fault of the code."""
    return isinstance(exc, OUTAGE_ERRORS) or (isinstance(exc, DatabaseError) and refuses_writes(exc))


def outage_for(request: HttpRequest, exc: BaseException | None) -> HttpResponse:
    """The outage answer for `exc`, caught after the fact, so whether it was saved cannot be told from here."""
    return outage_answer(request, saved=None, read_only=exc is not None and is_read_only(exc),
                         full=exc is not None and is_disk_full(exc))


@contextmanager
def unless_read_only(what: str) -> Iterator[None]:
    """Run a bookkeeping write (last login, a security event) that must not stop staff from reading while the
    database is read-only or full; it is logged instead. Any other error is raised."""
    try:
        with transaction.atomic():
            yield
    except DatabaseError as exc:
        if not refuses_writes(exc):
            raise
        log.warning("数据存储只读，未能保存%s：%s", what, exc)


def outage_answer(request: HttpRequest, *, saved: bool | None, read_only: bool = False,
                  full: bool = False) -> HttpResponse:
    """503 for `request`: JSON `database_unavailable` under /api/, a page otherwise; 507 `storage_full` when the
    disk is full. `saved` is False when nothing was saved and None when it cannot be told; a read says it changed
    nothing. A refused write on a read-only or full disk was never saved: the database refused it."""
    if full:
        message, saved = FULL_MESSAGE, False
    elif read_only:
        message, saved = READ_ONLY_MESSAGE, False
    elif request.method in SAFE_METHODS:
        message = READ_MESSAGE
    else:
        message = NOT_SAVED_MESSAGE if saved is False else UNKNOWN_MESSAGE
    response: HttpResponse
    status = 507 if full else 503
    if request.path.startswith("/api/"):
        body: dict[str, object] = {"code": "storage_full" if full else "database_unavailable", "message": message}
        if request.method not in SAFE_METHODS:
            body["message"] = message if saved is False else f"{message}{API_UNKNOWN_HINT}"
            body["details"] = {"saved": saved}
        response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    else:
        page = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(page, status=status, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Read by WriteOutcomeMiddleware, which rewrites the answer once it knows the write was rolled back.
    response.outage = True  # type: ignore[attr-defined]
    response.read_only = read_only  # type: ignore[attr-defined]
    response.full = full  # type: ignore[attr-defined]
    return response


class WriteOutcomeMiddleware:
    """One transaction per write request, so an outage answer can say whether the write was saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        committing = False
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 500:  # a failed request leaves nothing half-written behind
                    transaction.set_rollback(True)
                committing = True
        except OUTAGE_ERRORS as exc:  # at BEGIN nothing was done; at COMMIT the server may have written it or not
            if refuses_writes(exc):  # a read-only or full disk refused the commit itself: nothing was written
                return outage_answer(request, saved=False, read_only=is_read_only(exc), full=is_disk_full(exc))
            return outage_answer(request, saved=None if committing else False)
        if getattr(response, "outage", False):  # the outage struck inside and everything was rolled back
            return outage_answer(request, saved=False, read_only=getattr(response, "read_only", False),
                                 full=getattr(response, "full", False))
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The HTML 500 handler: a lost database is the outage answer; anything else the plain 500 page (no trace)."""
    exc = sys.exc_info()[1]
    if is_outage(exc):
        return outage_for(request, exc)
    return HttpResponse(loader.get_template("500.html").render(), status=500, content_type="text/html; charset=utf-8")
