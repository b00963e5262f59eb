"""Login lockout without Redis: a database counter per username and address (GB/T 22239 level 3, 登录失败处理).

Five failures within fifteen minutes lock that username from that address for fifteen minutes; during the lock even
the right password is refused. Counting per address as well as per name keeps an attacker from locking a clerk out
from every desk by typing their name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import update_last_login as django_update_last_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from hotline.lib.outage import unless_read_only
from hotline.privacy import security
from hotline.privacy.models import LoginThrottle, SecurityKind


def _limits() -> tuple[int, dt.timedelta, dt.timedelta]:
    return (getattr(settings, "HOTLINE_LOGIN_MAX_FAILURES", 5),
            dt.timedelta(seconds=getattr(settings, "HOTLINE_LOGIN_WINDOW_SECONDS", 15 * 60)),
            dt.timedelta(seconds=getattr(settings, "HOTLINE_LOGIN_LOCK_SECONDS", 15 * 60)))


def _key(username: str | None, request: HttpRequest | None) -> tuple[str, str]:
    return (username or "").strip()[:150], security.client_ip(request) or "-"


def is_locked(username: str | None, request: HttpRequest | None, now: dt.datetime | None = None) -> bool:
    """Whether this username is locked out from this request's address now."""
    name, ip = _key(username, request)
    now = now or timezone.now()
    return LoginThrottle.objects.filter(username=name, ip=ip, locked_until__gt=now).exists()


def register_failure(username: str | None, request: HttpRequest | None) -> LoginThrottle:
    """Count one failure in the current window; the fifth locks (returns the counter after the change)."""
    max_failures, window, lock = _limits()
    name, ip = _key(username, request)
    now = timezone.now()
    for _attempt in range(2):  # a concurrent first failure may create the row between our read and insert
        try:
            with transaction.atomic():
                row = LoginThrottle.objects.select_for_update().filter(username=name, ip=ip).first()
                if row is None:
                    row = LoginThrottle.objects.create(username=name, ip=ip, window_started=now, failures=0)
                if now - row.window_started > window:
                    row.window_started, row.failures = now, 0
                row.failures += 1
                if row.failures >= max_failures:
                    row.locked_until, row.window_started, row.failures = now + lock, now, 0
                row.save()
                return row
        except IntegrityError:
            continue
    raise RuntimeError("登录失败计数写入冲突")


def clear(username: str | None, request: HttpRequest | None) -> None:
    """Forget the failures after a successful login."""
    name, ip = _key(username, request)
    with unless_read_only("登录失败计数清零"):  # staff can still log in to read while the disk is read-only
        LoginThrottle.objects.filter(username=name, ip=ip).delete()


class LockoutModelBackend(ModelBackend):
    """Django's model backend that refuses every login of a locked username from the locked address."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if is_locked(username, request):
            # PermissionDenied stops every backend; Django then sends user_login_failed, recorded below.
            raise PermissionDenied("账号已被暂时锁定")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            clear(username, request)  # also for API token logins, which authenticate without login()
        return user


def on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                    **kwargs: Any) -> None:
    """user_login_failed receiver: count the failure and record it; a try during a lock does not extend it."""
    username = str(credentials.get("username") or "")
    ip = security.client_ip(request)
    if is_locked(username, request):
        security.record(SecurityKind.LOGIN_LOCKED, username=username, ip=ip, detail="锁定期间尝试登录")
        return
    row = register_failure(username, request)
    if row.locked_until is not None and row.failures == 0:
        security.record(SecurityKind.LOGIN_LOCKED, username=username, ip=ip,
                        detail=f"连续登录失败，锁定至 {timezone.localtime(row.locked_until):%H:%M}")
    else:
        security.record(SecurityKind.LOGIN_FAILED, username=username, ip=ip, detail=f"窗口内第{row.failures}次失败")


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: reset the counter and record the login."""
    clear(getattr(user, "username", ""), request)
    security.record(SecurityKind.LOGIN_SUCCEEDED, staff=user, ip=security.client_ip(request))


def update_last_login(sender: Any, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver in place of Django's: the same update, skipped (and logged) on a read-only disk."""
    with unless_read_only("最近登录时间"):
        django_update_last_login(sender, user, **kwargs)
