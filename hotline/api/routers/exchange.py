"""Exchanges with other platforms (Art. 7, 27), under /api/v1/exchange/.

The provincial platform posts orders, a lower platform (when this deployment is the province) its status reports,
and a sub-centre its tickets, each request signed like the 110 link
(X-Key-Prefix, X-Timestamp, X-Nonce, X-Signature; docs/api.md): the signature is checked on the raw body before
anything in it is read, so these two take no bearer token. The hotline manager reads the sub-centres' data quality
with a token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from hotline.api.schemas import ErrorOut
from hotline.api.security import staff
from hotline.directory.choices import Role
from hotline.exchange import lower, orders, quality, subcentres
from hotline.exchange.models import PartnerKind
from hotline.exchange.schemas import OrderIn, ReportIn, SubCentreTicketIn
from hotline.exchange.signing import authenticate
from hotline.lib.errors import Forbidden, InvalidInput
from hotline.reports.closing import parse_month
from hotline.reports.facts import Period

router = Router(tags=["平台对接"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class OrderOut(Schema):
    external_id: str
    number: str
    status: str
    upper_due: str
    duplicate: bool


class ReportOut(Schema):
    message_id: str
    external_id: str
    event_id: int
    duplicate: bool


class PushOut(Schema):
    external_id: str
    status: str
    complete: bool
    missing: list[str]


class QualityQuery(Schema):
    month: str


class QualityRow(Schema):
    code: str
    name: str
    unit: str
    received: int
    pushes: int
    read: int
    on_time: int
    complete: int
    refused: int
    due: int
    outcome_pushed: int
    timely_rate: float | None
    complete_rate: float | None
    refused_rate: float | None
    outcome_rate: float | None


def _body_doc(model: type[Schema] | type[Any]) -> dict[str, Any]:
    # The body is read by hand after the signature check; the document still shows its shape.
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}}


@router.post("/orders", auth=None, response={200: OrderOut, 201: OrderOut, **ERRORS},
             openapi_extra=_body_doc(OrderIn))
def post_order(request: HttpRequest) -> Status:
    """An order from the provincial platform (上级交办): 201 with the new ticket, or 200 with the ticket the same
    `external_id` made before (`duplicate: true`)."""
    partner = authenticate(request.headers, request.body, kind=PartnerKind.UPPER)
    taken = orders.take_order(partner, OrderIn.model_validate_json(request.body or b"{}"))
    order = taken.order
    return Status(201 if taken.created else 200, {
        "external_id": order.external_id, "number": order.ticket.number, "status": order.ticket.status,
        "upper_due": timezone.localtime(order.upper_due).isoformat(), "duplicate": not taken.created})


@router.post("/reports", auth=None, response={200: ReportOut, 201: ReportOut, **ERRORS},
             openapi_extra=_body_doc(ReportIn))
def post_report(request: HttpRequest) -> Status:
    """A lower platform's status report on an order we sent it (when this deployment is the provincial platform):
    201 when logged on our ticket as an event, 200 for a `message_id` logged before (`duplicate: true`); 404
    `order_not_found` when no ticket of that number was sent to the platform."""
    partner = authenticate(request.headers, request.body, kind=PartnerKind.LOWER)
    report, created = lower.receive_report(partner, ReportIn.model_validate_json(request.body or b"{}"))
    return Status(201 if created else 200, {"message_id": report.message_id, "external_id": report.order.ticket.number,
                                            "event_id": report.event_id, "duplicate": not created})


@router.post("/sub-centres/tickets", auth=None, response={200: PushOut, **ERRORS},
             openapi_extra=_body_doc(SubCentreTicketIn))
def post_sub_centre_ticket(request: HttpRequest) -> dict[str, Any]:
    """A sub-centre's ticket as it stands now (Art. 7); pushed again on every change. A push that cannot be read
    is refused (400) and counted against the sub-centre's data quality."""
    partner = authenticate(request.headers, request.body, kind=PartnerKind.SUB_CENTRE)
    try:
        push = SubCentreTicketIn.model_validate_json(request.body or b"{}")
        ticket = subcentres.receive(partner, push)
    except (ValueError, InvalidInput) as exc:  # pydantic's ValidationError is a ValueError
        subcentres.refuse(partner, request.body, exc)
        raise
    missing = subcentres.missing_fields(push)
    return {"external_id": ticket.external_id, "status": ticket.status, "complete": not missing, "missing": missing}


@router.get("/quality", response={200: list[QualityRow], **ERRORS})
def data_quality(request: HttpRequest, params: Query[QualityQuery]) -> list[dict[str, Any]]:
    """Each sub-centre's data quality in a month (hotline manager)."""
    if not staff(request).has_role(Role.MANAGER):
        raise Forbidden("只有热线管理员可以查看分中心数据质量", code="role_not_allowed")
    year, month = parse_month(params.month)
    return [row.as_dict() for row in quality.table(Period.month(year, month))]
