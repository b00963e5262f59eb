"""Supervision cases (Art. 24) over JSON: list, read, open, and one endpoint per action, with the ticket API's error
codes. Thin like the ticket endpoints: parse, load with `access_case`, call the one function, answer the case."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from hotline.api import lookups
from hotline.api.routers.tickets import ERRORS
from hotline.api.schemas import Code, Day, In, LocalDateTime, ShortText, Text, When
from hotline.api.security import staff
from hotline.lib.errors import NotFound
from hotline.supervision import cases, coordination, selectors, triggers
from hotline.supervision.choices import CaseStatus, Method, Trigger, UrgeMethod
from hotline.supervision.models import Coordination, SupervisionCase

router = Router(tags=["督办"])

TriggerCode = Literal["overdue", "hotspot", "dissatisfied_after_rework", "assigned", "media", "impact",
                      "assessment_loss", "other"]
MethodCode = Literal["system", "phone", "onsite", "letter", "meeting"]
StatusCode = Literal["open", "answered", "closed", "escalated"]
assert set(TriggerCode.__args__) == set(Trigger.values)  # type: ignore[attr-defined]
assert set(MethodCode.__args__) == set(Method.values)  # type: ignore[attr-defined]
assert set(StatusCode.__args__) == set(CaseStatus.values)  # type: ignore[attr-defined]


class UrgeOut(Schema):
    method: str
    at: LocalDateTime
    person_reached: str
    promise: str
    unit: str | None
    by: str


class CaseOut(Schema):
    number: str
    title: str
    status: StatusCode
    trigger: TriggerCode
    method: MethodCode
    automatic: bool
    evidence: dict[str, str]
    tickets: list[str]
    units: list[str]
    opened_at: LocalDateTime
    due_at: LocalDateTime
    extended_due_at: LocalDateTime | None
    answered_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    escalated_at: LocalDateTime | None
    colour: Literal["", "blue", "yellow", "red"]
    urges: list[UrgeOut]


class CasePage(Schema):
    total: int
    limit: int
    offset: int
    items: list[CaseOut]


class CaseFilters(Schema):
    status: StatusCode | None = None
    trigger: TriggerCode | None = None
    method: MethodCode | None = None
    unit: Code | None = Field(None, description="督办对象单位编码")
    overdue: bool | None = Field(None, description="true：已超督办时限（含延期）")
    colour: Literal["blue", "yellow", "red"] | None = None
    due_before: Day | None = Field(None, description="督办时限不晚于该日（含），北京时间")
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    # Bounded like the other lists: an offset beyond SQLite's integers was answered 500 ("datatype mismatch").
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class CaseIn(In):
    trigger: TriggerCode
    method: MethodCode
    tickets: Annotated[list[Annotated[str, Field(max_length=20)]], Field(min_length=1, max_length=200)]
    units: Annotated[list[Code], Field(max_length=50)] = []
    title: ShortText = ""
    evidence: dict[str, Annotated[str, Field(max_length=500)]] = {}


class UrgeIn(In):
    method: Literal["phone", "sms", "onsite", "notice"]
    person_reached: ShortText
    promise: Text = ""
    unit: Code | None = None


class CaseReplyIn(In):
    actions_taken: Text
    result: Text
    evidence: Text = ""


class CaseNoteIn(In):
    note: Text = ""


class CaseExtensionIn(In):
    working_days: StrictInt = Field(description="1-10 个工作日（第二十四条），只能申请一次")
    reason: Text


class CaseReviewIn(In):
    approve: StrictBool
    note: Text = ""


class ProposalIn(In):
    method: MethodCode = "system"
    units: Annotated[list[Code], Field(max_length=50)] = []


assert set(UrgeIn.model_fields["method"].annotation.__args__) == set(UrgeMethod.values)  # type: ignore[union-attr]


def present(case: SupervisionCase) -> dict[str, Any]:
    """The case as the API answers it: tickets by number, units by code, dues in Beijing time, its colour."""
    return {
        "number": case.number, "title": case.title, "status": case.status, "trigger": case.trigger,
        "method": case.method, "automatic": case.automatic, "evidence": case.evidence,
        "tickets": sorted(case.tickets.values_list("number", flat=True)),
        "units": sorted(case.units.values_list("code", flat=True)),
        "opened_at": case.opened_at, "due_at": case.due_at, "extended_due_at": case.extended_due_at,
        "answered_at": case.answered_at, "closed_at": case.closed_at, "escalated_at": case.escalated_at,
        "colour": selectors.case_colour(case, timezone.now()),
        "urges": [{"method": u.method, "at": u.at, "person_reached": u.person_reached, "promise": u.promise,
                   "unit": u.unit.code if u.unit else None, "by": str(u.by)}
                  for u in case.urges.select_related("unit", "by").order_by("at", "id")],
    }


def _load(request: HttpRequest, number: str) -> SupervisionCase:
    return selectors.access_case(staff(request), number)


@router.get("/cases", response={200: CasePage, **ERRORS})
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """Cases the caller may see (a unit: the cases naming it), most urgent due first."""
    qs = selectors.filtered(selectors.visible_cases(staff(request)), selectors.CaseFilter(
        status=filters.status or "", trigger=filters.trigger or "", method=filters.method or "",
        colour=filters.colour or "", unit=lookups.unit(filters.unit, "unit"), overdue=filters.overdue,
        due_before=filters.due_before), timezone.now()).order_by("due_at", "id")
    total = qs.count()
    page = qs[filters.offset:filters.offset + filters.limit]
    return {"total": total, "limit": filters.limit, "offset": filters.offset, "items": [present(c) for c in page]}


@router.post("/cases", response={201: CaseOut, **ERRORS})
def open_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    """Open a case on tickets for one of the eight matters of Art. 24 (supervisors and the manager)."""
    user = staff(request)
    tickets = [lookups.other_ticket(user, number, "tickets") for number in payload.tickets]
    case = cases.open_case(by=user, trigger=payload.trigger, method=payload.method, tickets=tickets,
                           units=lookups.units(payload.units, "units") or None, title=payload.title,
                           evidence=payload.evidence)
    return Status(201, present(case))


@router.get("/cases/{number}", response={200: CaseOut, **ERRORS})
def read_case(request: HttpRequest, number: str) -> dict[str, Any]:
    """One case; unknown and invisible cases are both 404."""
    return present(_load(request, number))


@router.post("/cases/{number}/urge", response={200: CaseOut, **ERRORS})
def urge(request: HttpRequest, number: str, payload: UrgeIn) -> dict[str, Any]:
    """催办: log how, whom, what they promised."""
    case = _load(request, number)
    cases.urge(case, by=staff(request), method=payload.method, person_reached=payload.person_reached,
               promise=payload.promise, unit=lookups.unit(payload.unit, "unit"))
    return present(case)


@router.post("/cases/{number}/reply", response={200: CaseOut, **ERRORS})
def reply(request: HttpRequest, number: str, payload: CaseReplyIn) -> dict[str, Any]:
    """The target unit's answer: measures, result, evidence."""
    case = _load(request, number)
    cases.reply(case, by=staff(request), actions_taken=payload.actions_taken, result=payload.result,
                evidence=payload.evidence)
    return present(case)


@router.post("/cases/{number}/accept", response={200: CaseOut, **ERRORS})
def accept(request: HttpRequest, number: str, payload: CaseNoteIn) -> dict[str, Any]:
    """Close the case on the answer, once every ticket of it is dealt with."""
    case = _load(request, number)
    cases.accept(case, by=staff(request), note=payload.note)
    return present(case)


@router.post("/cases/{number}/send-back", response={200: CaseOut, **ERRORS})
def send_back(request: HttpRequest, number: str, payload: CaseNoteIn) -> dict[str, Any]:
    """Refuse the answer, with a reason; the due stays."""
    case = _load(request, number)
    cases.send_back(case, by=staff(request), note=payload.note)
    return present(case)


@router.post("/cases/{number}/extension", response={200: CaseOut, **ERRORS})
def extension(request: HttpRequest, number: str, payload: CaseExtensionIn) -> dict[str, Any]:
    """Ask once, before the due, for at most 10 more working days."""
    case = _load(request, number)
    cases.request_extension(case, by=staff(request), working_days=payload.working_days, reason=payload.reason)
    return present(case)


@router.post("/cases/{number}/extension-review", response={200: CaseOut, **ERRORS})
def extension_review(request: HttpRequest, number: str, payload: CaseReviewIn) -> dict[str, Any]:
    """Approve or reject the pending extension."""
    case = _load(request, number)
    cases.review_extension(case, by=staff(request), approve=payload.approve, note=payload.note)
    return present(case)


@router.post("/cases/{number}/escalate", response={200: CaseOut, **ERRORS})
def escalate(request: HttpRequest, number: str, payload: CaseNoteIn) -> dict[str, Any]:
    """Report to the city government's inspection office: after the due, once."""
    case = _load(request, number)
    cases.escalate(case, by=staff(request), note=payload.note)
    return present(case)


@router.post("/proposals/{proposal}/open", response={201: CaseOut, **ERRORS})
def open_proposal(request: HttpRequest, proposal: int, payload: ProposalIn) -> Status[dict[str, Any]]:
    """Open the case an automatic trigger proposed (its whole group)."""
    case = triggers.open_proposal(proposal, by=staff(request), method=payload.method,
                                  units=lookups.units(payload.units, "units") or None)
    return Status(201, present(case))


# ---------------------------------------------------------------- coordination (Art. 19), under /api/v1/coordination

coordination_router = Router(tags=["疑难协调"])


class CoordinationOut(Schema):
    ticket: str
    status: Literal["pool", "decided", "undetermined"]
    source: Literal["auto", "manual"]
    flag_reason: str
    flagged_at: LocalDateTime
    meeting_at: LocalDateTime | None
    units_present: list[str]
    minutes: str
    lead_unit: str | None
    assisting_units: list[str]
    basis: str
    catalogue_changed: bool
    leader: str
    case: str | None
    shirk_units: list[str]


class FlagIn(In):
    ticket: Annotated[str, Field(max_length=20)]
    reason: ShortText


class MeetingIn(In):
    meeting_at: When
    units_present: Annotated[list[Code], Field(min_length=1, max_length=50)]
    minutes: Text


class DecideIn(In):
    lead_unit: Code
    assisting_units: Annotated[list[Code], Field(max_length=50)] = []
    basis: Text
    update_catalogue: StrictBool = False


class UndeterminedIn(In):
    leader: ShortText
    note: Text = ""


def present_coordination(coord: Coordination) -> dict[str, Any]:
    return {
        "ticket": coord.ticket.number, "status": coord.status, "source": coord.source,
        "flag_reason": coord.flag_reason, "flagged_at": coord.flagged_at, "meeting_at": coord.meeting_at,
        "units_present": sorted(coord.units_present.values_list("code", flat=True)), "minutes": coord.minutes,
        "lead_unit": coord.lead_unit.code if coord.lead_unit else None,
        "assisting_units": sorted(coord.assisting_units.values_list("code", flat=True)), "basis": coord.basis,
        "catalogue_changed": coord.catalogue_changed, "leader": coord.leader,
        "case": coord.case.number if coord.case else None,
        "shirk_units": sorted(coord.shirks.values_list("unit__code", flat=True)),
    }


def _coordination(request: HttpRequest, number: str) -> Coordination:
    user = staff(request)
    if not user.is_city_hotline:  # coordination is the city platform's (Art. 19)
        raise NotFound("疑难事项不存在或无权查看", code="coordination_not_found")
    coord = Coordination.objects.select_related("ticket", "lead_unit", "case").filter(ticket__number=number).first()
    if coord is None:
        raise NotFound("疑难事项不存在或无权查看", code="coordination_not_found")
    return coord


@coordination_router.get("", response={200: list[CoordinationOut], **ERRORS})
def pool(request: HttpRequest, status: Literal["pool", "decided", "undetermined"] | None = None
         ) -> list[dict[str, Any]]:
    """疑难工单池 (hotline staff; units get an empty list)."""
    if not staff(request).is_city_hotline:
        return []
    qs = Coordination.objects.select_related("ticket", "lead_unit", "case").order_by("-flagged_at")
    if status:
        qs = qs.filter(status=status)
    return [present_coordination(c) for c in qs[:500]]


@coordination_router.post("", response={201: CoordinationOut, **ERRORS})
def flag(request: HttpRequest, payload: FlagIn) -> Status[dict[str, Any]]:
    """Put a ticket in the pool by hand (Art. 19)."""
    user = staff(request)
    ticket = lookups.other_ticket(user, payload.ticket, "ticket")
    return Status(201, present_coordination(coordination.flag(ticket, by=user, reason=payload.reason)))


@coordination_router.get("/{number}", response={200: CoordinationOut, **ERRORS})
def read_coordination(request: HttpRequest, number: str) -> dict[str, Any]:
    """The coordination record of ticket `number`."""
    return present_coordination(_coordination(request, number))


@coordination_router.post("/{number}/meeting", response={200: CoordinationOut, **ERRORS})
def meeting(request: HttpRequest, number: str, payload: MeetingIn) -> dict[str, Any]:
    coord = _coordination(request, number)
    coordination.record_meeting(coord, by=staff(request), meeting_at=payload.meeting_at,
                                units_present=lookups.units(payload.units_present, "units_present"),
                                minutes=payload.minutes)
    return present_coordination(coord)


@coordination_router.post("/{number}/decide", response={200: CoordinationOut, **ERRORS})
def decide(request: HttpRequest, number: str, payload: DecideIn) -> dict[str, Any]:
    """Fix the owner and re-dispatch; optionally the catalogue's next version (Art. 19, 27)."""
    coord = _coordination(request, number)
    coordination.decide(coord, by=staff(request), lead_unit=lookups.required_unit(payload.lead_unit, "lead_unit"),
                        assisting_units=lookups.units(payload.assisting_units, "assisting_units"),
                        basis=payload.basis, update_catalogue=payload.update_catalogue)
    return present_coordination(coord)


@coordination_router.post("/{number}/undetermined", response={200: CoordinationOut, **ERRORS})
def undetermined(request: HttpRequest, number: str, payload: UndeterminedIn) -> dict[str, Any]:
    """Still undetermined: a city leader named and a trigger-(4) case opened."""
    coord = _coordination(request, number)
    coordination.undetermined(coord, by=staff(request), leader=payload.leader, note=payload.note)
    return present_coordination(coord)
