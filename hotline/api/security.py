"""Bearer-token authentication for every endpoint except issuing a token and the public calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja.security import HttpBearer

from hotline.api import tokens

if TYPE_CHECKING:
    from hotline.directory.models import Staff


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; `request.auth` is then the staff member."""

    def authenticate(self, request: HttpRequest, token: str) -> Staff | None:
        return tokens.user_for(token.strip())


bearer = BearerToken()


def staff(request: HttpRequest) -> Staff:
    """The authenticated staff member of a request that passed `bearer` (ninja sets `request.auth`)."""
    return request.auth  # type: ignore[attr-defined, no-any-return]
