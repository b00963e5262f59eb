"""The NPC deputies' ledger (Art. 18): 受理, 办理, 反馈, 回访, 督办 of each deputy's request, as JSON or XLSX."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from hotline.api.schemas import Day, ErrorOut, LocalDateTime
from hotline.api.security import staff
from hotline.channels import deputies
from hotline.lib.errors import Forbidden

router = Router(tags=["人大代表"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerQuery(Schema):
    deputy: int | None = Field(None, ge=1, le=2_147_483_647)
    level: Literal["national", "provincial", "city", "county", "township"] | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    status: str | None = None
    format: Literal["json", "xlsx"] = "json"
    # Bounded like the ticket list: an offset beyond SQLite's integers was answered 500 ("datatype mismatch").
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class LedgerRowOut(Schema):
    number: str
    deputy: str
    level: str
    delegation: str
    accepted_at: LocalDateTime
    matter: str
    status: str
    handling: str
    replied_at: LocalDateTime | None
    follow_up: str
    supervisions: int


class LedgerPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[LedgerRowOut]


@router.get("/ledger", response={200: LedgerPage, **ERRORS})
def ledger(request: HttpRequest, params: Query[LedgerQuery]) -> Any:
    """The ledger, newest first; hotline staff only. `format=xlsx` answers the same rows as an Excel file."""
    if not staff(request).is_hotline:
        raise Forbidden("人大代表台账仅限热线工作人员查看", code="role_not_allowed")
    qs = deputies.ledger(deputies.LedgerFilter(
        deputy=params.deputy, level=params.level or "", date_from=params.date_from, date_to=params.date_to,
        status=params.status or ""))
    if params.format == "xlsx":
        response = HttpResponse(deputies.ledger_xlsx(qs), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="deputies-ledger.xlsx"'
        return response
    limit, offset = max(1, min(params.limit, 500)), max(0, params.offset)
    return {"total": qs.count(), "limit": limit, "offset": offset,
            "items": [row.__dict__ for row in deputies.rows(qs[offset:offset + limit])]}
