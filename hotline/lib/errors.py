"""Domain errors with stable codes; views and the API map them to HTTP in one place (STYLE 7, 8)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error the domain raises on purpose: a stable `code`, a Chinese message and an HTTP status."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class InvalidInput(DomainError):
    """The request itself is wrong: a missing field, a value out of range (400)."""

    status = 400
    code = "invalid_input"


class Forbidden(DomainError):
    """The user can see the object but may not do this to it (403)."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """Unknown, or invisible to this user: the two are indistinguishable on purpose (404)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The object's state does not allow this now (409)."""

    status = 409
    code = "conflict"


class TransitionNotAllowed(Conflict):
    """The ticket's status does not allow this action (409)."""

    code = "transition_not_allowed"


class ConcurrentChange(Conflict):
    """Someone else moved the ticket first; reload and try again (409)."""

    code = "concurrent_change"
