"""The platforms of this deployment the caller can see (Art. 30): the city platform and its sub-centres."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from hotline.api.schemas import ErrorOut, PlatformOut
from hotline.api.security import staff
from hotline.tickets.selectors import Scope

router = Router(tags=["平台"])


@router.get("", response={200: list[PlatformOut], 401: ErrorOut})
def list_platforms(request: HttpRequest) -> list[dict[str, Any]]:
    """Every platform for the city platform's staff; a sub-centre's staff see theirs and those below it, a unit's
    staff their unit's platform."""
    platforms = Scope.of(staff(request)).platforms_visible().select_related("parent").order_by("id")
    return [{"code": p.code, "name": p.name, "parent": p.parent.code if p.parent else None, "kind": p.kind}
            for p in platforms]
