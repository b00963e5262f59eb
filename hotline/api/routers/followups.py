"""Follow-up records and appeals (Art. 17, 25): list a ticket's follow-ups, appeal a dissatisfied rating, review the
appeal, list appeals. Thin like every endpoint: parse, load with `access_ticket`, call the one service, answer."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from hotline.api import lookups
from hotline.api.routers.tickets import ERRORS
from hotline.api.schemas import Code, Day, In, LocalDateTime, Text
from hotline.api.security import staff
from hotline.followups import appeals as appeal_service
from hotline.followups import selectors
from hotline.followups.appeals import Evidence
from hotline.followups.models import Appeal
from hotline.lib.errors import Conflict, InvalidInput, NotFound
from hotline.tickets.access import access_ticket
from hotline.tickets.choices import AppealGround, AppealState, EvidenceKind, FollowUpChannel, Satisfaction
from hotline.tickets.models import FollowUp

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

tickets_router = Router(tags=["回访与申诉"])
appeals_router = Router(tags=["回访与申诉"])


class FollowUpOut(Schema):
    """One follow-up record of any channel; `satisfaction` stays as given, `excluded_from_assessment` says whether an
    upheld appeal took it out of the assessment (Art. 25)."""

    id: int
    channel: FollowUpChannel
    at: LocalDateTime
    reached: bool
    satisfaction: Satisfaction | None
    solved: bool | None
    unit_contacted: bool | None
    unit_contact_method: str | None
    fault: str | None
    excluded_from_assessment: bool
    appeal_due: LocalDateTime | None
    appeal: int | None


class AppealIn(In):
    follow_up: StrictInt = Field(description="被申诉的回访记录 id（GET …/follow-ups）")
    ground: AppealGround
    statement: Text


class AppealReviewIn(In):
    approve: StrictBool
    note: Text = Field("", description="审核理由，必填")
    appeal: StrictInt | None = Field(None, description="申诉 id；工单只有一件待审申诉时可省略")


class EvidenceOut(Schema):
    kind: str
    name: str
    content_type: str
    size: int


class AppealOut(Schema):
    id: int
    ticket: str
    follow_up: int
    unit: str
    ground: AppealGround
    statement: str
    filed_by: str
    filed_at: LocalDateTime
    state: AppealState
    reviewer: str | None
    decided_at: LocalDateTime | None
    decision_note: str
    counts_in: dt.date | None
    satisfaction: Satisfaction
    excluded_from_assessment: bool
    evidence: list[EvidenceOut]


class AppealFilters(Schema):
    state: AppealState | None = None
    ground: AppealGround | None = None
    unit: Code | None = Field(None, description="申诉单位编码")
    filed_from: Day | None = Field(None, description="申诉日期起（含），北京时间")
    filed_to: Day | None = Field(None, description="申诉日期止（含），北京时间")
    limit: Annotated[int, Field(ge=1, le=100)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class AppealPage(Schema):
    total: int
    limit: int
    offset: int
    items: list[AppealOut]


def follow_up_out(fu: FollowUp) -> dict[str, Any]:
    appeal = getattr(fu, "appeal", None)  # the reverse one-to-one raises an AttributeError when there is none
    return {"id": fu.pk, "channel": fu.channel, "at": fu.at, "reached": fu.reached,
            "satisfaction": fu.satisfaction or None, "solved": fu.solved, "unit_contacted": fu.unit_contacted,
            "unit_contact_method": fu.unit_contact_method or None, "fault": fu.fault or None,
            "excluded_from_assessment": fu.excluded_from_assessment, "appeal_due": fu.appeal_due,
            "appeal": appeal.pk if appeal else None}


def appeal_out(a: Appeal) -> dict[str, Any]:
    return {"id": a.pk, "ticket": a.ticket.number, "follow_up": a.follow_up_id, "unit": a.unit.code,
            "ground": a.ground, "statement": a.statement, "filed_by": a.filed_by.get_full_name() or str(a.filed_by),
            "filed_at": a.filed_at, "state": a.state,
            "reviewer": (a.reviewer.get_full_name() or str(a.reviewer)) if a.reviewer else None,
            "decided_at": a.decided_at, "decision_note": a.decision_note, "counts_in": a.counts_in,
            "satisfaction": a.follow_up.satisfaction, "excluded_from_assessment": a.follow_up.excluded_from_assessment,
            "evidence": [{"kind": e.kind, "name": e.original_name, "content_type": e.content_type, "size": e.size}
                         for e in a.evidence.all()]}


_APPEAL_PROPERTIES: dict[str, Any] = {
    "follow_up": {"type": "integer"}, "ground": {"type": "string", "enum": list(AppealGround.values)},
    "statement": {"type": "string"},
}
_APPEAL_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["follow_up", "ground", "statement",
                                                                      "contact_proof"], "properties": {
        **_APPEAL_PROPERTIES,
        "contact_proof": {"type": "array", "items": {"type": "string", "format": "binary"},
                          "description": "与服务对象沟通联系证明（至少一个，第二十五条）"},
        "evidence": {"type": "array", "items": {"type": "string", "format": "binary"}, "description": "其他依据"}}}},
    "application/json": {"schema": {"type": "object", "required": ["follow_up", "ground", "statement"],
                                    "properties": _APPEAL_PROPERTIES}},
}}}


def _appeal_body(request: HttpRequest) -> tuple[AppealIn, list[Evidence]]:
    """The fields as a multipart form with files under `contact_proof` and `evidence`, or as JSON (no files, so it
    is refused for want of proof of contact, with that message)."""
    if request.content_type == "multipart/form-data":
        data: dict[str, Any] = dict(request.POST.items())
        if "follow_up" in data:
            try:
                data["follow_up"] = int(data["follow_up"])
            except ValueError as exc:
                raise InvalidInput("follow_up 须为整数", field="follow_up", code="invalid_input") from exc
        files: list[tuple[UploadedFile, str]] = [(f, EvidenceKind.CONTACT_PROOF)
                                                 for f in request.FILES.getlist("contact_proof")]
        files += [(f, EvidenceKind.OTHER) for f in request.FILES.getlist("evidence")]
        return AppealIn.model_validate(data), [Evidence(upload, kind) for upload, kind in files]
    try:
        raw = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # deep nesting exhausts the parser's stack
        raise InvalidInput("请求体不是有效的 JSON", code="malformed_body") from exc
    return AppealIn.model_validate(raw), []


@tickets_router.get("/{number}/follow-ups", response={200: list[FollowUpOut], **ERRORS})
def follow_ups(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """Every follow-up record of the ticket, calls and the requester's own ratings, oldest first (Art. 17)."""
    ticket = access_ticket(staff(request), number)
    return [follow_up_out(fu) for fu in selectors.records(ticket)]


@tickets_router.post("/{number}/appeal", response={201: AppealOut, **ERRORS}, openapi_extra=_APPEAL_BODY)
def appeal(request: HttpRequest, number: str) -> Status[dict[str, Any]]:
    """申诉: the lead unit contests one dissatisfied rating within the window, with proof of contact (Art. 25)."""
    payload, evidence = _appeal_body(request)
    user = staff(request)
    ticket = access_ticket(user, number)
    fu = ticket.follow_ups.filter(pk=payload.follow_up).first()
    if fu is None:
        raise InvalidInput("该工单没有这条回访记录", field="follow_up", code="unknown_follow_up")
    created = appeal_service.file_appeal(fu, by=user, ground=payload.ground, statement=payload.statement,
                                         evidence=evidence)
    return Status(201, appeal_out(created))


@tickets_router.post("/{number}/appeal-review", response={200: AppealOut, **ERRORS})
def appeal_review(request: HttpRequest, number: str, payload: AppealReviewIn) -> dict[str, Any]:
    """审核申诉: uphold (the rating no longer counts in the assessment) or reject, with a reason (Art. 25)."""
    user = staff(request)
    ticket = access_ticket(user, number)
    qs = ticket.appeals.select_related("follow_up")
    if payload.appeal is not None:
        target = qs.filter(pk=payload.appeal).first()
        if target is None:
            raise NotFound("该工单没有这件申诉", code="unknown_appeal")
    else:
        pending = list(qs.filter(state=AppealState.PENDING)[:2])
        if not pending:
            raise Conflict("该工单没有待审核的申诉", code="no_pending_appeal")
        if len(pending) > 1:
            raise InvalidInput("该工单有多件待审申诉，请指明 appeal", field="appeal", code="required")
        target = pending[0]
    decided = appeal_service.review_appeal(target, by=user, approve=payload.approve, note=payload.note)
    return appeal_out(Appeal.objects.select_related("ticket", "unit", "follow_up", "filed_by", "reviewer")
                      .get(pk=decided.pk))


@appeals_router.get("", response={200: AppealPage, **ERRORS})
def list_appeals(request: HttpRequest, filters: Query[AppealFilters]) -> dict[str, Any]:
    """Appeals the caller may see (a unit: its own tickets'), newest first, with filters: the ledger (Art. 25)."""
    if filters.filed_from and filters.filed_to and filters.filed_from > filters.filed_to:
        raise InvalidInput("起始日期不能晚于截止日期", field="filed_from", code="invalid_date_range")
    unit = lookups.unit(filters.unit, "unit") if filters.unit else None
    qs = selectors.appeals(staff(request), selectors.AppealFilter(
        state=filters.state or "", ground=filters.ground or "", unit=unit.pk if unit else None,
        since=filters.filed_from, until=filters.filed_to)).prefetch_related("evidence")
    total = qs.count()
    page = qs[filters.offset:filters.offset + filters.limit]
    return {"total": total, "limit": filters.limit, "offset": filters.offset, "items": [appeal_out(a) for a in page]}
