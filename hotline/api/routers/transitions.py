"""One endpoint per ticket transition: parse the body, load with `access_ticket`, call the one workflow function,
answer with the ticket (STYLE 1, 7, 8). Rules, roles and windows are checked by the workflow, not here."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from ninja import Router

from hotline.api import lookups, present
from hotline.api.routers.tickets import ERRORS
from hotline.api.schemas import (
    AnswerIn,
    ArrivalIn,
    ConsultIn,
    ContactAttemptIn,
    DeclineIn,
    DispatchIn,
    ExtensionIn,
    FollowUpIn,
    HandDownIn,
    HandOffIn,
    MergeIn,
    NoteIn,
    PassUpIn,
    ReplyIn,
    ReturnIn,
    ReviewIn,
    TicketOut,
)
from hotline.api.security import staff
from hotline.lib.errors import InvalidInput
from hotline.tickets import workflow
from hotline.tickets.access import access_ticket
from hotline.tickets.choices import ReturnKind
from hotline.tickets.models import Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

router = Router(tags=["工单流转"])
RESPONSES: dict[int, Any] = {200: TicketOut, **ERRORS}


def _load(request: HttpRequest, number: str) -> tuple[Staff, Ticket]:
    """The caller and the ticket, loaded once: the transition moves this object, and the answer renders it."""
    user = staff(request)
    return user, access_ticket(user, number)


@router.post("/{number}/decline", response=RESPONSES)
def decline(request: HttpRequest, number: str, payload: DeclineIn) -> dict[str, Any]:
    """不予受理: one of the ten reasons of Art. 10 and the explanation given to the requester."""
    user, ticket = _load(request, number)
    workflow.decline(ticket, by=user, reason_code=payload.reason_code, explanation=payload.explanation)
    return present.ticket(ticket, user)


@router.post("/{number}/answer", response=RESPONSES)
def answer(request: HttpRequest, number: str, payload: AnswerIn) -> dict[str, Any]:
    """直接答复 from the knowledge base, or after consulting a unit (Art. 12.1)."""
    user, ticket = _load(request, number)
    workflow.answer(ticket, by=user, text=payload.text, article_ref=payload.article_ref)
    return present.ticket(ticket, user)


@router.post("/{number}/consult", response=RESPONSES)
def consult(request: HttpRequest, number: str, payload: ConsultIn) -> dict[str, Any]:
    """咨询单位: answer within 24 clock hours (Art. 12.1)."""
    user, ticket = _load(request, number)
    workflow.consult(ticket, by=user, unit=lookups.required_unit(payload.unit, "unit"), note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/dispatch", response=RESPONSES)
def dispatch(request: HttpRequest, number: str, payload: DispatchIn) -> dict[str, Any]:
    """转派 to one lead unit and optional assisting units (Art. 12, 13)."""
    user, ticket = _load(request, number)
    workflow.dispatch(ticket, by=user, lead_unit=lookups.required_unit(payload.lead_unit, "lead_unit"),
                      assisting_units=lookups.units(payload.assisting_units, "assisting_units"), note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/sign", response=RESPONSES)
def sign(request: HttpRequest, number: str) -> dict[str, Any]:
    """签收 by the lead unit; the handling clock starts (Art. 13, 14)."""
    user, ticket = _load(request, number)
    workflow.sign(ticket, by=user)
    return present.ticket(ticket, user)


@router.post("/{number}/hand-down", response=RESPONSES)
def hand_down(request: HttpRequest, number: str, payload: HandDownIn) -> dict[str, Any]:
    """下派分中心: the holding platform sends the ticket, not yet dispatched, to a sub-centre directly below it,
    which signs it within 1 working day (Art. 13, 30)."""
    user, ticket = _load(request, number)
    workflow.hand_down(ticket, by=user, platform=lookups.platform(payload.platform, "platform"), note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/pass-up", response=RESPONSES)
def pass_up(request: HttpRequest, number: str, payload: PassUpIn) -> dict[str, Any]:
    """上交上级平台: a sub-centre sends a ticket, not yet dispatched, to the platform above it, with the reason
    (Art. 30)."""
    user, ticket = _load(request, number)
    workflow.pass_up(ticket, by=user, reason=payload.reason)
    return present.ticket(ticket, user)


@router.post("/{number}/platform-sign", response=RESPONSES)
def platform_sign(request: HttpRequest, number: str) -> dict[str, Any]:
    """平台签收: the receiving platform's desk signs a ticket handed down or passed up to it; its dispatch clock
    starts (Art. 13, 30)."""
    user, ticket = _load(request, number)
    workflow.sign_transfer(ticket, by=user)
    return present.ticket(ticket, user)


_RETURN_PROPERTIES: dict[str, Any] = {
    "kind": {"type": "string", "enum": list(ReturnKind.values)},
    "reason": {"type": "string"}, "basis": {"type": "string"},
    "suggested_unit": {"type": "string", "description": "建议承办单位编码（现场核实后退回必填）"},
}
_RETURN_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object", "required": ["kind", "reason", "basis"],
                                    "properties": _RETURN_PROPERTIES}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["kind", "reason", "basis"], "properties": {
        **_RETURN_PROPERTIES, "photos": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
}}}


def _return_body(request: HttpRequest) -> tuple[ReturnIn, list[UploadedFile]]:
    """The same fields as JSON, or as a multipart form with `photos` files (needed for manholes, poles: Art. 13)."""
    if request.content_type == "multipart/form-data":
        data: Any = {key: value for key, value in request.POST.items() if value != "" or key != "suggested_unit"}
        return ReturnIn.model_validate(data), request.FILES.getlist("photos")
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # deep nesting exhausts the parser's stack
        raise InvalidInput("请求体不是有效的 JSON", code="malformed_body") from exc
    return ReturnIn.model_validate(data), []


@router.post("/{number}/return", response=RESPONSES, openapi_extra=_RETURN_BODY)
def request_return(request: HttpRequest, number: str) -> dict[str, Any]:
    """申请退回: desk return on the signing day, or on-site within 2 working days with photos (Art. 13)."""
    payload, photos = _return_body(request)
    user, ticket = _load(request, number)
    workflow.request_return(ticket, by=user, kind=payload.kind, reason=payload.reason, basis=payload.basis,
                            suggested_unit=lookups.unit(payload.suggested_unit, "suggested_unit"), photos=photos)
    return present.ticket(ticket, user)


@router.post("/{number}/return-review", response=RESPONSES)
def review_return(request: HttpRequest, number: str, payload: ReviewIn) -> dict[str, Any]:
    """审核退回: approve (back to dispatch) or reject with a reason (Art. 13)."""
    user, ticket = _load(request, number)
    workflow.review_return(ticket, by=user, approve=payload.approve, note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/extension", response=RESPONSES)
def request_extension(request: HttpRequest, number: str, payload: ExtensionIn) -> dict[str, Any]:
    """申请延期: once, before the deadline, at most 10 working days (Art. 14)."""
    user, ticket = _load(request, number)
    workflow.request_extension(ticket, by=user, working_days=payload.working_days, reason=payload.reason)
    return present.ticket(ticket, user)


@router.post("/{number}/extension-review", response=RESPONSES)
def review_extension(request: HttpRequest, number: str, payload: ReviewIn) -> dict[str, Any]:
    """审核延期: approve (the deadline moves) or reject with a reason (Art. 14)."""
    user, ticket = _load(request, number)
    workflow.review_extension(ticket, by=user, approve=payload.approve, note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/reply", response=RESPONSES)
def reply(request: HttpRequest, number: str, payload: ReplyIn) -> dict[str, Any]:
    """办结反馈: who, when, how, the result and how the requester was contacted (Art. 15)."""
    user, ticket = _load(request, number)
    workflow.reply(ticket, by=user, handler_name=payload.handler_name, handled_at=payload.handled_at,
                   process=payload.process, result=payload.result, contact_note=payload.contact_note,
                   contacted=payload.contacted)
    return present.ticket(ticket, user)


@router.post("/{number}/reply-review", response=RESPONSES)
def review_reply(request: HttpRequest, number: str, payload: ReviewIn) -> dict[str, Any]:
    """审核办结: approve (resolved) or reject back to the unit (Art. 16)."""
    user, ticket = _load(request, number)
    workflow.review_reply(ticket, by=user, approve=payload.approve, note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/follow-up", response=RESPONSES)
def follow_up(request: HttpRequest, number: str, payload: FollowUpIn) -> dict[str, Any]:
    """回访: five-level satisfaction, solved, whether and how the unit contacted the requester, and whose fault a
    dissatisfied rating is; the unit's fault sends the ticket back for rework in the same step (Art. 17)."""
    user, ticket = _load(request, number)
    workflow.follow_up(ticket, by=user, reached=payload.reached, satisfaction=payload.satisfaction or "",
                       solved=payload.solved, unit_contacted=payload.unit_contacted,
                       unit_contact_method=payload.unit_contact_method or "", fault=payload.fault or "",
                       note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/rework", response=RESPONSES)
def rework(request: HttpRequest, number: str, payload: NoteIn) -> dict[str, Any]:
    """发回重办 after a dissatisfied follow-up through the unit's fault; 5 working days (Art. 17)."""
    user, ticket = _load(request, number)
    workflow.rework(ticket, by=user, note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/merge", response=RESPONSES)
def merge(request: HttpRequest, number: str, payload: MergeIn) -> dict[str, Any]:
    """并单: a repeated request joins the original ticket (Art. 10.4)."""
    user, ticket = _load(request, number)
    workflow.merge(ticket, by=user, into=lookups.other_ticket(user, payload.into, "into"), note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/hand-off", response=RESPONSES)
def hand_off(request: HttpRequest, number: str, payload: HandOffIn) -> dict[str, Any]:
    """联动转出 to 110, 119, 120 or 122 (Art. 7)."""
    user, ticket = _load(request, number)
    workflow.hand_off(ticket, by=user, line=payload.line, summary=payload.summary)
    return present.ticket(ticket, user)


@router.post("/{number}/contact-attempt", response=RESPONSES)
def contact_attempt(request: HttpRequest, number: str, payload: ContactAttemptIn) -> dict[str, Any]:
    """联系服务对象: one attempt; at least three in 24 hours for an unreachable consultation (Art. 14.2)."""
    user, ticket = _load(request, number)
    workflow.record_contact_attempt(ticket, by=user, method=payload.method, reached=payload.reached,
                                    note=payload.note)
    return present.ticket(ticket, user)


@router.post("/{number}/arrival", response=RESPONSES)
def arrival(request: HttpRequest, number: str, payload: ArrivalIn) -> dict[str, Any]:
    """到场处置 for fumes and noise, within 1 hour of dispatch (Art. 20)."""
    user, ticket = _load(request, number)
    workflow.record_arrival(ticket, by=user, remote=payload.remote, note=payload.note)
    return present.ticket(ticket, user)
