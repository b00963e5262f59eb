"""Recording security events with who, what, when and where (GB/T 22239 level 3 security audit)."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from hotline.lib.outage import unless_read_only
from hotline.lib.screens import DENIAL_CODE_ATTR
from hotline.privacy.logfilter import escape_log_text
from hotline.privacy.models import SecurityEvent

if TYPE_CHECKING:
    from hotline.directory.models import Staff
    from hotline.tickets.models import Ticket

log = logging.getLogger("hotline.security")
# Set on a request whose denial is already recorded, so DenialMiddleware does not record it twice.
RECORDED_ATTR = "_hotline_denial_recorded"


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address of the request (REMOTE_ADDR; a reverse proxy must be configured to set it), or None."""
    if request is None:
        return None
    raw = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def record(kind: str, *, staff: Staff | None = None, username: str = "", ip: str | None = None,
           ticket: Ticket | None = None, detail: str = "") -> SecurityEvent:
    """Store one security event and write it, escaped, to the `hotline.security` log."""
    staff_obj: Any = staff if staff is not None and getattr(staff, "pk", None) else None
    # A probe's path may carry a NUL, which PostgreSQL refuses in text: the event is still written, the NUL shown.
    username = (username or getattr(staff_obj, "username", "") or "").replace("\x00", "\\x00")[:150]
    detail = detail.replace("\x00", "\\x00")
    event = SecurityEvent(at=timezone.now(), kind=kind, staff=staff_obj, username=username, ip=ip, ticket=ticket,
                          detail=detail[:300])
    with unless_read_only("安全事件"):  # a read-only disk: the log line below still records it
        event.save()
    log.info("security kind=%s user=%s ip=%s ticket=%s detail=%s", kind, escape_log_text(username), ip or "-",
             getattr(ticket, "number", "-"), escape_log_text(detail[:300]))
    return event


def record_denial(request: HttpRequest, *, what: str, ticket: Ticket | None = None,
                  user: Staff | None = None) -> SecurityEvent:
    """A 403 or 404 on a protected object, for the web and API error handlers to call (`user`: the API's token
    holder, else the session's user)."""
    setattr(request, RECORDED_ATTR, True)
    user = user or getattr(request, "user", None)
    staff = user if getattr(user, "is_authenticated", False) else None
    return record("denied", staff=staff, ip=client_ip(request), ticket=ticket, detail=f"{request.method} {what}")


class DenialMiddleware:
    """Records a 403 or 404 answered to a logged-in user by any view that did not record it itself (the knowledge
    base, channels and routing screens raise Http404 or PermissionDenied directly)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (response.status_code in (403, 404) and not getattr(request, RECORDED_ATTR, False)
                and getattr(user, "is_authenticated", False)):
            code = getattr(request, DENIAL_CODE_ATTR, "") or f"http_{response.status_code}"
            record_denial(request, what=f"{request.path} {code}")
        return response
