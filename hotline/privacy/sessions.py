"""Idle and absolute session time-outs for staff logins (GB/T 22239 level 3: session control).

A staff session ends after HOTLINE_SESSION_IDLE_SECONDS without a request (30 minutes by default) and, however
busy, HOTLINE_SESSION_ABSOLUTE_SECONDS after login (8 hours, one shift). The next request is then anonymous, so
`login_required` sends the browser to the login page and the event is recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from hotline.privacy import security
from hotline.privacy.models import SecurityKind

STARTED_KEY = "_hotline_started"
SEEN_KEY = "_hotline_seen"
# Writing the session on every request would turn every read into a database write; a minute is precise enough.
SEEN_RESOLUTION_SECONDS = 60


def expired(request: HttpRequest, now: float) -> str:
    """'idle' or 'absolute' when the session has run out, '' otherwise."""
    session = request.session
    started = session.get(STARTED_KEY)
    seen = session.get(SEEN_KEY)
    if started is None or seen is None:
        return ""
    if now - started >= settings.HOTLINE_SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - seen >= settings.HOTLINE_SESSION_IDLE_SECONDS:
        return "idle"
    return ""


class SessionTimeoutMiddleware:
    """Logs out a staff session that has been idle or open too long; stamps the others (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            reason = expired(request, now)
            if reason:
                security.record(SecurityKind.SESSION_EXPIRED, staff=user, ip=security.client_ip(request),  # type: ignore[arg-type]
                                detail="会话空闲超时" if reason == "idle" else "会话超过最长时限")
                logout(request)
            else:
                session = request.session
                session.setdefault(STARTED_KEY, now)
                if now - session.get(SEEN_KEY, 0) >= SEEN_RESOLUTION_SECONDS:
                    session[SEEN_KEY] = now
        return self.get_response(request)
