"""The demo's ticket stories: each is a generator that yields when its next step happens and then calls the workflow.

A `Plan` names where a story stops and what happens on the way (returns, extensions, rework, merges...); `PLANS`
weighs them so a few hundred tickets cover every status and the usual and unusual paths through the regulation.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from collections.abc import Generator
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hotline.channels import intake
from hotline.channels.intake import Decision
from hotline.demo import texts
from hotline.demo.replay import Cast, Story
from hotline.directory.models import Staff, Topic, Unit
from hotline.tickets import workflow
from hotline.tickets.choices import EmergencyLine, ReturnKind, Satisfaction, Status
from hotline.tickets.models import Ticket

S = Status
CONSULT_TOPICS = ("0105", "0502", "0503", "0504", "0902", "1002", "1101")
EMERGENCY_LINES = {"1201": EmergencyLine.FIRE, "1202": EmergencyLine.FIRE, "1203": EmergencyLine.AMBULANCE,
                   "1204": EmergencyLine.POLICE}
# A detour that ends with the unit to carry on (the lead may change on the way).
Step = Generator[dt.datetime, None, Unit]
SATISFIED = [Satisfaction.VERY_SATISFIED] * 5 + [Satisfaction.SATISFIED] * 4 + [Satisfaction.NEUTRAL] * 2


@dataclass(frozen=True)
class Plan:
    """One kind of story: how it starts, where it stops, what happens on the way, and how old its ticket is."""

    kind: str  # "answer", "consult", "decline", "hand_off" or "dispatch"
    stop: str  # the status the story means to end in
    age_days: tuple[float, float]  # when the ticket was accepted, in days before now
    topics: str = "general"  # "general", "consult", "emergency", "photo", "arrival"
    assist: bool = False
    late_dispatch: bool = False
    desk_return: str = ""  # "", "approve", "reject", "pending"
    onsite_return: str = ""  # "", "approve", "reject", "pending"
    deemed: bool = False
    extension: str = ""  # "", "approve", "reject", "pending"
    reject_reply: bool = False
    late_reply: bool = False
    quick: bool = False  # replies early in the handling period
    rework: bool = False
    unreached: bool = False
    repeat: bool = False
    attempts: bool = False
    late_arrival: bool = False


H = 1 / 24  # one hour, in days
P = Plan
# name -> (weight, plan). Open statuses get young tickets so the story has reached its stop by now.
PLANS: dict[str, tuple[int, Plan]] = {
    "closed": (20, P("dispatch", S.CLOSED, (12, 42))),
    "closed_assisted": (4, P("dispatch", S.CLOSED, (12, 42), assist=True)),
    "closed_deemed_signed": (4, P("dispatch", S.CLOSED, (12, 42), deemed=True)),
    "closed_after_rework": (4, P("dispatch", S.CLOSED, (24, 42), rework=True)),
    "closed_return_approved": (4, P("dispatch", S.CLOSED, (14, 42), desk_return="approve")),
    "closed_return_rejected": (2, P("dispatch", S.CLOSED, (14, 42), desk_return="reject")),
    "closed_onsite_return_rejected": (3, P("dispatch", S.CLOSED, (14, 42), topics="photo", onsite_return="reject")),
    "closed_extended": (4, P("dispatch", S.CLOSED, (28, 42), extension="approve")),
    "closed_extension_refused": (2, P("dispatch", S.CLOSED, (16, 42), extension="reject")),
    "closed_reply_rejected": (3, P("dispatch", S.CLOSED, (14, 42), reject_reply=True)),
    "closed_unreached": (2, P("dispatch", S.CLOSED, (12, 42), unreached=True)),
    "closed_late_reply": (4, P("dispatch", S.CLOSED, (20, 42), late_reply=True, late_dispatch=True)),
    "closed_with_repeat_merged": (4, P("dispatch", S.CLOSED, (12, 42), repeat=True)),
    "closed_on_site_within_hour": (4, P("dispatch", S.CLOSED, (12, 42), topics="arrival")),
    "closed_on_site_late": (1, P("dispatch", S.CLOSED, (12, 42), topics="arrival", late_arrival=True)),
    "closed_emergency_unit": (2, P("dispatch", S.CLOSED, (12, 42), topics="emergency")),
    "resolved": (5, P("dispatch", S.RESOLVED, (8, 14), quick=True)),
    "replied": (4, P("dispatch", S.REPLIED, (6, 12), quick=True)),
    "in_progress": (4, P("dispatch", S.IN_PROGRESS, (0.5, 3))),
    "in_progress_overdue": (3, P("dispatch", S.IN_PROGRESS, (16, 30))),
    "in_progress_extension_pending": (1, P("dispatch", S.IN_PROGRESS, (1, 3), extension="pending")),
    "in_progress_onsite_return_approved": (1, P("dispatch", S.IN_PROGRESS, (1, 3), topics="photo",
                                                onsite_return="approve")),
    "return_requested": (2, P("dispatch", S.RETURN_REQUESTED, (3 * H, 20 * H), desk_return="pending")),
    "return_requested_onsite": (1, P("dispatch", S.RETURN_REQUESTED, (1, 2), topics="photo",
                                     onsite_return="pending")),
    "dispatched": (3, P("dispatch", S.DISPATCHED, (1 * H, 10 * H))),
    "dispatched_assisted": (1, P("dispatch", S.DISPATCHED, (1 * H, 10 * H), assist=True)),
    "pending_dispatch": (2, P("dispatch", S.PENDING_DISPATCH, (10 / 1440, 90 / 1440))),
    "pending_dispatch_overdue": (1, P("dispatch", S.PENDING_DISPATCH, (3 * H, 8 * H))),
    "answered": (10, P("answer", S.ANSWERED, (0.2, 42), topics="consult")),
    "answered_after_consulting": (3, P("consult", S.ANSWERED, (2, 42), topics="consult")),
    "answered_after_attempts": (1, P("consult", S.ANSWERED, (2, 42), topics="consult", attempts=True)),
    "consulting": (2, P("consult", S.CONSULTING, (2 * H, 20 * H), topics="consult")),
    "consulting_overdue": (1, P("consult", S.CONSULTING, (26 * H, 40 * H), topics="consult")),
    "declined": (5, P("decline", S.DECLINED, (0.2, 42))),
    "handed_off": (3, P("hand_off", S.HANDED_OFF, (0.2, 42), topics="emergency")),
}


def _png() -> bytes:
    """A valid 1x1 grey PNG: stands in for a site photo without shipping binary files."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + \
        chunk(b"IEND", b"")


PHOTO = _png()


def pick_topic(cast: Cast, plan: Plan) -> Topic:
    """A topic that suits the plan (consultations, emergencies, photo-return or arrival topics, or any other)."""
    specs = cast.specs
    pools = {
        "consult": list(CONSULT_TOPICS),
        "emergency": [c for c, s in specs.items() if s.emergency],
        "photo": [c for c, s in specs.items() if s.photo],
        "arrival": [c for c, s in specs.items() if s.arrival],
        "general": [c for c, s in specs.items() if not s.emergency and c not in CONSULT_TOPICS],
    }
    return cast.topics[cast.rng.choice(pools[plan.topics])]


def request_type(cast: Cast, topic: Topic) -> str:
    if topic.code in CONSULT_TOPICS:
        return "consultation"
    if topic.code in ("0702", "0901"):
        return "suggestion"
    if topic.emergency_category:
        return "help"
    return cast.rng.choice(["complaint", "complaint", "complaint", "help", "report"])


def start(cast: Cast, plan: Plan) -> dt.datetime:
    """When the ticket is accepted; stories older than a day are moved into daytime (8:00-21:00) to read naturally."""
    low, high = plan.age_days
    at = cast.now - dt.timedelta(days=cast.rng.uniform(low, high))
    hour = timezone.localtime(at).hour
    if low >= 1 and not 8 <= hour < 21:
        at += dt.timedelta(hours=(cast.rng.randint(8, 20) - hour) % 24)
    return at


def story(cast: Cast, plan: Plan) -> Story:
    """The story a plan describes, ready to be queued on a `Replay`."""
    topic = pick_topic(cast, plan)
    runner = {"answer": answered, "consult": consulted, "decline": declined, "hand_off": handed_off,
              "dispatch": dispatched}[plan.kind]
    return runner(cast, plan, topic)


def answered(cast: Cast, plan: Plan, topic: Topic) -> Story:
    """Answered on the spot from the knowledge base (Art. 12.1)."""
    yield start(cast, plan)
    ticket = cast.intake(topic, request_type=request_type(cast, topic))
    yield cast.later(2, 8)
    workflow.answer(ticket, by=ticket.created_by or cast.operator, text=cast.rng.choice(texts.ANSWERS))


def consulted(cast: Cast, plan: Plan, topic: Topic) -> Story:
    """Consulting a unit and answering within 24 hours, after up to three call-backs (Art. 12.1, 14.2)."""
    yield start(cast, plan)
    ticket = cast.intake(topic, request_type="consultation")
    yield cast.later(3, 15)
    assert topic.default_unit is not None
    workflow.consult(ticket, by=cast.operator, unit=topic.default_unit, note="经服务对象同意，咨询承办单位后答复")
    if plan.stop == S.CONSULTING:
        return
    yield cast.later(120, 900)
    if plan.attempts:
        for attempt in range(3):
            workflow.record_contact_attempt(ticket, by=cast.operator, method="call", reached=attempt == 2,
                                            note="回拨电话" + ("已接通" if attempt == 2 else "无人接听"))
            yield cast.later(60, 180)
    workflow.answer(ticket, by=cast.operator, text=cast.rng.choice(texts.CONSULT_ANSWERS))


def declined(cast: Cast, plan: Plan, topic: Topic) -> Story:
    """Not accepted at the call desk for one of the reasons of Art. 10, with what the requester was told: registered
    and declined in one step (no accept, no dispatch clock)."""
    yield start(cast, plan)
    contact = cast.contact(topic, request_type=request_type(cast, topic))
    code, explanation = cast.rng.choice(texts.DECLINES)
    intake.take(contact, by=cast.operator,
                decision=Decision(action="decline", decline_reason=code, decline_explanation=explanation))


def handed_off(cast: Cast, plan: Plan, topic: Topic) -> Story:
    """An emergency passed to 110/119/120 at once (Art. 7)."""
    yield start(cast, plan)
    ticket = cast.intake(topic, request_type="help")
    yield cast.later(1, 4)
    line = EMERGENCY_LINES[topic.code]
    workflow.hand_off(ticket, by=cast.operator, line=line, summary=f"情况紧急，已三方通话转{line}处置：{ticket.title}")


def _fresh(ticket: Ticket) -> Ticket:
    # A sweep (deemed signing, alerts) may have moved the row since the story last looked.
    ticket.refresh_from_db()
    return ticket


def dispatched(cast: Cast, plan: Plan, topic: Topic) -> Story:
    """Dispatch, sign, handle, reply, review and follow up, with the plan's detours on the way (Art. 12-17, 20)."""
    yield start(cast, plan)
    county = cast.rng.choice(cast.counties)
    # A local matter in a county with a sub-centre is taken at the county's own desk (Art. 30).
    ticket = cast.intake(topic, request_type=request_type(cast, topic), by=_intake_desk(cast, county, topic),
                         county=county)
    if plan.stop == S.PENDING_DISPATCH:
        return
    yield cast.later(130, 300) if plan.late_dispatch else cast.later(8, 90)
    lead = cast.lead_for(ticket)
    yield from _across_platforms(cast, ticket, lead)
    assisting = [cast.other_unit(lead)] if plan.assist else []
    workflow.dispatch(ticket, by=cast.desk("dispatcher", ticket), lead_unit=lead, assisting_units=assisting)
    if ticket.arrival_due is not None:
        yield cast.later(65, 150) if plan.late_arrival else cast.later(15, 50)
        workflow.record_arrival(_fresh(ticket), by=cast.handler(lead), note="执法队员到达现场，责令停止并整改")
    if plan.stop == S.DISPATCHED:
        return
    lead = yield from _desk_return(cast, plan, ticket, lead)
    if plan.stop == S.RETURN_REQUESTED and plan.desk_return:
        return
    yield from _signed(cast, plan, ticket, lead)
    lead = yield from _onsite_return(cast, plan, ticket, lead)
    if plan.stop in (S.RETURN_REQUESTED, S.IN_PROGRESS) and plan.onsite_return:
        return
    yield from _extension(cast, plan, ticket, lead)
    if plan.repeat:
        yield cast.later(180, 1200)
        repeat = cast.intake(topic, request_type=ticket.request_type, county=ticket.region, like=ticket)
        yield cast.later(5, 20)
        workflow.merge(repeat, by=cast.operator, into=ticket, note="同一事项重复来电，并入原工单")
    if plan.stop == S.IN_PROGRESS:
        return
    yield from _replied(cast, plan, ticket, lead)
    if plan.stop == S.REPLIED:
        return
    yield cast.office(1, 20)
    if plan.reject_reply:
        workflow.review_reply(_fresh(ticket), by=cast.desk("reviewer", ticket),
                              approve=False, note=cast.rng.choice(texts.REJECT_NOTES))
        yield cast.office(4, 24)
        _reply(cast, ticket, lead)
        yield cast.office(1, 12)
    workflow.review_reply(_fresh(ticket), by=cast.desk("reviewer", ticket), approve=True)
    if plan.stop == S.RESOLVED:
        return
    yield from _followed_up(cast, plan, ticket, lead)


def _chance(key: str) -> random.Random:
    # Its own generator, seeded by the story's moment or ticket: the replay's shared sequence, and so every other
    # story of the demo, stays as it was without the platform hops.
    return random.Random(key)


def _intake_desk(cast: Cast, county: Unit, topic: Topic) -> Staff | None:
    """The desk that takes the contact: mostly the county sub-centre's for its own matters, the rest at the city,
    which may hand them down; now and then a city department's matter is taken at a county desk and passed up
    (Art. 30). Either way the replay's shared sequence is drawn from as it would be without the detour."""
    desk = cast.sub_centre_desk(county, topic)
    draw = _chance(f"desk {cast.moment()}")
    if desk is not None and draw.random() < 0.4:
        return draw.choice([cast.operator, cast.operator, cast.dispatcher])
    if desk is None and not county.platform.is_root and draw.random() < 0.15:
        cast.rng.choice((0, 1, 2))  # the draw intake makes for a city desk
        desk = cast.staff[f"operator-{county.platform.code}"]
    return desk


def _across_platforms(cast: Cast, ticket: Ticket, lead: Unit) -> Story:
    """Art. 30: half the city's tickets for a county's own unit go down to that county's sub-centre as a whole,
    and a county desk's ticket for a city department goes up; the receiving desk signs it, then dispatches."""
    rng = _chance(ticket.number)
    held = ticket.platform
    if lead.platform_id == held.pk:
        return
    if held.is_root:
        if rng.random() < 0.3:  # the city may also dispatch to a county's unit itself
            return
        workflow.hand_down(ticket, by=cast.desk("dispatcher", ticket), platform=lead.platform,
                           note="属区县分中心辖内事项，整件下派分中心签收转派")
    else:
        workflow.pass_up(ticket, by=cast.desk("dispatcher", ticket), reason="属市直部门职责，上交市中心转派")
    yield cast.moment() + dt.timedelta(minutes=rng.uniform(20, 300))
    if _fresh(ticket).status == S.TRANSFERRING:  # unless the sweep deemed it signed first
        workflow.sign_transfer(ticket, by=cast.desk("dispatcher", ticket))
    yield cast.moment() + dt.timedelta(minutes=rng.uniform(5, 60))


def awaiting_county(cast: Cast) -> Ticket | None:
    """A contact about a county's own matter, taken at the city just now and handed down to the county's
    sub-centre, which has not signed it yet: the county desk's 平台移交 tab has one to sign (Art. 30)."""
    for county in cast.counties:
        for topic in cast.topics.values():
            if county.platform.is_root or cast.sub_centre_desk(county, topic) is None:
                continue
            ticket = cast.intake(topic, request_type="complaint", by=cast.operator, county=county)
            workflow.hand_down(ticket, by=cast.dispatcher, platform=county.platform,
                               note="属区县分中心辖内事项，整件下派分中心签收转派")
            return ticket
    return None


def _desk_return(cast: Cast, plan: Plan, ticket: Ticket, lead: Unit) -> Step:
    """A return from the desk on the signing day (Art. 13), approved (re-dispatched), rejected or left pending."""
    if not plan.desk_return:
        return lead
    yield cast.later(20, 120)
    reason, basis = cast.rng.choice(texts.RETURN_REASONS)
    suggested = cast.other_unit(lead)
    workflow.request_return(_fresh(ticket), by=cast.handler(lead), kind=ReturnKind.DESK, reason=reason, basis=basis,
                            suggested_unit=suggested)
    if plan.desk_return == "pending":
        return lead
    yield cast.later(30, 240)
    approve = plan.desk_return == "approve"
    workflow.review_return(_fresh(ticket), by=cast.desk("reviewer", ticket), approve=approve,
                           note="" if approve else "经核实属该单位职责，退回理由不成立")
    if approve:
        yield cast.later(10, 60)
        workflow.dispatch(_fresh(ticket), by=cast.desk("dispatcher", ticket), lead_unit=suggested,
                          note="按退回审核意见改派")
        return suggested
    return lead


def _signed(cast: Cast, plan: Plan, ticket: Ticket, lead: Unit) -> Story:
    """Signed in office hours, or left unsigned until the deadline makes it deemed signed (Art. 13)."""
    _fresh(ticket)
    if plan.deemed:
        assert ticket.sign_due is not None
        yield ticket.sign_due + dt.timedelta(minutes=cast.rng.uniform(1, 30))
        if _fresh(ticket).status == S.DISPATCHED:  # unless the sweep got there first
            workflow.deem_signed(ticket)
        return
    yield cast.before(ticket.sign_due, 0.05, 0.4) if ticket.sign_due else cast.office(0, 4)
    workflow.sign(_fresh(ticket), by=cast.handler(lead))


def _onsite_return(cast: Cast, plan: Plan, ticket: Ticket, lead: Unit) -> Step:
    """A return after on-site verification within 2 working days, with site photos where required (Art. 13)."""
    if not plan.onsite_return:
        return lead
    _fresh(ticket)
    assert ticket.return_due is not None
    yield cast.before(ticket.return_due, 0.2, 0.6)
    reason, basis = texts.RETURN_REASONS[1]
    suggested = cast.other_unit(lead)
    photo = SimpleUploadedFile("现场照片.png", PHOTO, content_type="image/png")
    workflow.request_return(_fresh(ticket), by=cast.handler(lead), kind=ReturnKind.ONSITE, reason=reason,
                            basis=basis, suggested_unit=suggested, photos=[photo])
    if plan.onsite_return == "pending":
        return lead
    yield cast.office(1, 8)
    approve = plan.onsite_return == "approve"
    workflow.review_return(_fresh(ticket), by=cast.desk("reviewer", ticket), approve=approve,
                           note="" if approve else "现场图片不能证明设施产权归属，请继续办理")
    if not approve:
        return lead
    yield cast.later(10, 60)
    workflow.dispatch(_fresh(ticket), by=cast.desk("dispatcher", ticket), lead_unit=suggested,
                      note="按退回审核意见改派")
    yield cast.later(30, 240)
    workflow.sign(_fresh(ticket), by=cast.handler(suggested))
    return suggested


def _extension(cast: Cast, plan: Plan, ticket: Ticket, lead: Unit) -> Story:
    """An extension asked for before the deadline, once, and reviewed (Art. 14)."""
    if not plan.extension:
        return
    _fresh(ticket)
    assert ticket.handling_due is not None
    yield cast.before(ticket.handling_due, 0.1, 0.5)
    workflow.request_extension(_fresh(ticket), by=cast.handler(lead), working_days=cast.rng.choice([3, 5, 10]),
                               reason=cast.rng.choice(texts.EXTENSION_REASONS))
    if plan.extension == "pending":
        return
    yield cast.office(1, 8)
    approve = plan.extension == "approve"
    workflow.review_extension(_fresh(ticket), by=cast.desk("reviewer", ticket), approve=approve,
                              note="" if approve else "理由不充分，请按原时限办理")


def _reply(cast: Cast, ticket: Ticket, lead: Unit) -> None:
    process, result = cast.rng.choice(texts.REPLIES)
    workflow.reply(_fresh(ticket), by=cast.handler(lead), handler_name=cast.handler(lead).display_name,
                   handled_at=timezone.now() - dt.timedelta(hours=cast.rng.uniform(1, 20)), process=process,
                   result=result, contact_note=cast.rng.choice(texts.CONTACT_NOTES), contacted=True)


def _replied(cast: Cast, plan: Plan, ticket: Ticket, lead: Unit) -> Story:
    """The reply (Art. 15), in time or, for a late plan, after the deadline."""
    due = _fresh(ticket).rework_due or ticket.handling_due
    assert due is not None
    if plan.late_reply:
        yield cast.in_office(due + dt.timedelta(hours=cast.rng.uniform(4, 72)))
    else:
        yield cast.before(due, 0.05, 0.3) if plan.quick else cast.before(due, 0.2, 0.8)
    _reply(cast, ticket, lead)


def _followed_up(cast: Cast, plan: Plan, ticket: Ticket, lead: Unit) -> Story:
    """The follow-up call (Art. 17): satisfied, unreached three times, or dissatisfied and reworked."""
    yield cast.office(2, 30)
    if plan.unreached:
        for _ in range(3):
            workflow.follow_up(_fresh(ticket), by=cast.desk("followup", ticket), reached=False, note="电话无人接听")
            yield cast.office(2, 6)
        return
    if plan.rework:
        # The unit's fault sends the ticket back in the same step (Art. 17).
        workflow.follow_up(_fresh(ticket), by=cast.desk("followup", ticket),
                           reached=True, satisfaction=Satisfaction.DISSATISFIED,
                           solved=False, unit_contacted=False, fault="unit",
                           note="服务对象反映承办单位未联系、问题未解决，发回重办")
        yield cast.later(10, 90)
        yield from _replied(cast, Plan("dispatch", S.CLOSED, (0, 0)), ticket, lead)
        yield cast.office(1, 12)
        workflow.review_reply(_fresh(ticket), by=cast.desk("reviewer", ticket), approve=True)
        yield cast.office(2, 30)
    satisfaction = cast.rng.choice(SATISFIED + [Satisfaction.DISSATISFIED])
    dissatisfied = satisfaction == Satisfaction.DISSATISFIED
    workflow.follow_up(_fresh(ticket), by=cast.desk("followup", ticket), reached=True, satisfaction=satisfaction,
                       solved=not dissatisfied, unit_contacted=True, unit_contact_method="phone",
                       fault="objective" if dissatisfied else "",
                       note="服务对象对办理结果" + Satisfaction(satisfaction).label)

