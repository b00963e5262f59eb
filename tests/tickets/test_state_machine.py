"""Random lifecycles: every persona tries every action with random input on a few tickets while the clock jumps
across weekends and the National Day holiday; after every step the engine's invariants must hold.

- a successful action writes exactly one event and a refused one writes none and changes nothing;
- a unit's staff only ever succeed on tickets their unit is assigned (lead-only actions: the lead unit);
- at most one extension is approved per ticket, never for more than 10 working days (Art. 14);
- every stored deadline equals the calendar's own computation from the event that started it (Art. 13, 14, 17);
- the status is always one of `Status`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from typing import Any, ClassVar

import time_machine
from django.db import transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from hotline.deadlines.calendar import WorkCalendar
from hotline.deadlines.store import load_calendar
from hotline.directory.models import Staff, Topic, Unit
from hotline.lib.errors import DomainError
from hotline.tickets import sweeps, workflow
from hotline.tickets.choices import TRANSITIONS, Action, ReviewState, Status
from hotline.tickets.models import Assignment, Event, ExtensionRequest, Ticket
from tests.base import HotlineTestCase, local
from tests.tickets.support import photo

# Friday before the 2025 National Day week: make-up Sunday 28 Sep, holidays 1-8 Oct, make-up Saturday 11 Oct.
START = local(2025, 9, 26, 9, 0)
PERSONAS = ("operator", "dispatcher", "reviewer", "followup", "supervisor", "manager", "unit_a_handler",
            "unit_a_manager", "unit_b_handler", "unit_c_handler")
UNITS = ("unit_a", "unit_b", "unit_c", "hotline")
LEAD_ONLY = {Action.SIGN, Action.REQUEST_RETURN, Action.REQUEST_EXTENSION, Action.REPLY}
MAX_TICKETS = 4
EXAMPLES = int(os.environ.get("HOTLINE_STATE_MACHINE_EXAMPLES", "60"))  # raise it for a longer hunt
US = dt.timedelta(microseconds=1)

persona = st.sampled_from(PERSONAS)
# Below MAX_TICKETS: any ticket; from MAX_TICKETS up: a ticket whose status the action starts from, if there is one,
# so that random sequences still reach signing, replies and follow-ups instead of mostly bouncing off.
slot = st.integers(0, 2 * MAX_TICKETS - 1)
# Mostly valid input so lifecycles get deep; blanks still come up often enough to test refusals.
note = st.sampled_from(["说明", "说明", "说明", "", "  "])
lead_unit = st.sampled_from(["unit_a", "unit_a", "unit_b", "unit_c", "hotline"])


def actor(*likely: str) -> st.SearchStrategy[str]:
    """Mostly someone whose role fits the action, otherwise anyone at all (other units included)."""
    return st.sampled_from(list(likely) * 4 + list(PERSONAS))


intake = actor("operator", "dispatcher", "manager")
dispatcher = actor("dispatcher", "manager")
# "lead" is whoever works at the ticket's lead unit at that moment; the others are often the wrong unit.
unit_staff = actor("lead", "lead", "unit_a_handler", "unit_b_handler")
reviewer = actor("reviewer", "manager")
followup = actor("followup", "manager")


def handling_days(ticket: Ticket) -> int:
    """Art. 14, restated here rather than imported: statutory limit, else complex 10, consultation 1, others 5."""
    if ticket.topic is not None and ticket.topic.statutory_working_days:
        return ticket.topic.statutory_working_days
    if ticket.is_complex:
        return 10
    return 1 if ticket.request_type == "consultation" else 5


class ExpectedClocks:
    """Replays a ticket's events against the calendar to get the deadlines it must have stored."""

    def __init__(self, ticket: Ticket, calendar: WorkCalendar) -> None:
        self.ticket, self.cal = ticket, calendar
        self.due: dict[str, dt.datetime | None] = dict.fromkeys(
            ("dispatch_due", "consult_due", "sign_due", "desk_return_due", "return_due", "handling_due",
             "rework_due"))
        self.extension_days: dict[int, int] = {}
        for event in ticket.events.order_by("id"):
            self.apply(event)

    def apply(self, event: Event) -> None:
        due, at, data = self.due, event.at, event.data
        if event.to_status == Status.PENDING_DISPATCH and event.from_status != Status.PENDING_DISPATCH:
            due["dispatch_due"] = at + dt.timedelta(hours=2)
        elif event.action == Action.CONSULT:
            due["consult_due"] = at + dt.timedelta(hours=24)
        elif event.action == Action.DISPATCH:
            due["sign_due"] = self.cal.add_working_days(at, 1).at
            for key in ("desk_return_due", "return_due", "handling_due"):
                due[key] = None
        elif event.action in (Action.SIGN, Action.DEEM_SIGNED):
            self.signed(at, deemed=event.action == Action.DEEM_SIGNED)
        elif event.action == Action.REWORK:
            due["rework_due"] = self.cal.add_working_days(at, 5).at
        elif event.action == Action.REQUEST_EXTENSION:
            self.extension_days[data["extension_request"]] = data["working_days"]
        elif event.action == Action.REVIEW_EXTENSION and data["approved"]:
            key = "rework_due" if due["rework_due"] else "handling_due"
            old = due[key]
            assert old is not None
            due[key] = self.cal.add_working_days(old - US, self.extension_days[data["extension_request"]]).at

    def signed(self, at: dt.datetime, *, deemed: bool) -> None:
        sign_due = self.due["sign_due"]
        assert sign_due is not None
        on_time = not deemed and at < sign_due
        # Signed in time: clocks run from the signature; late or deemed: from the last instant of the signing day.
        start = at if on_time else sign_due - US
        self.due["desk_return_due"] = self.cal.end_of_day(at) if on_time else sign_due
        self.due["return_due"] = self.cal.add_working_days(start, 2).at
        self.due["handling_due"] = self.cal.add_working_days(start, handling_days(self.ticket)).at


class Lifecycle(RuleBasedStateMachine):
    """Random actors doing random things to a handful of tickets; `case` holds the personas."""

    case: ClassVar[HotlineTestCase]
    # Successful actions over the whole run, so the test can show it reached deep into the lifecycle.
    reached: ClassVar[Counter[str]] = Counter()

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.traveller = time_machine.travel(START, tick=False)
        self.clock = self.traveller.start()
        self.now = START
        self.tickets: list[int] = []

    def teardown(self) -> None:
        self.traveller.stop()
        transaction.savepoint_rollback(self.savepoint)

    # ------------------------------------------------------------ helpers

    def who(self, name: str, ticket: Ticket | None = None) -> Staff:
        if name == "lead":
            lead = ticket.lead_unit_id if ticket is not None else None
            staff = {self.case.unit_a.pk: "unit_a_manager", self.case.unit_b.pk: "unit_b_handler"}
            name = staff.get(lead, "unit_c_handler") if lead else "unit_c_handler"
        return getattr(self.case, name)

    def unit(self, name: str) -> Unit:
        unit: Unit = getattr(self.case, name)
        return unit

    def topic(self, name: str | None) -> Topic | None:
        return getattr(self.case, name) if name else None

    def ticket(self, index: int, action: str | None = None) -> Ticket:
        pks = self.tickets
        if action is not None and index >= MAX_TICKETS:
            ready = list(Ticket.objects.filter(pk__in=pks, status__in=TRANSITIONS[action]).values_list("pk", flat=True))
            pks = sorted(ready) or pks
        return Ticket.objects.select_related("topic").get(pk=pks[index % len(pks)])

    def attempt(self, ticket: Ticket, action: str, actor: Staff | None, call: Any) -> None:
        """Run one action and check what a success or a refusal may and may not change."""
        before = model_to_dict(Ticket.objects.get(pk=ticket.pk))
        events_before = Event.objects.count()
        last_id = Event.objects.aggregate(m=Max("id"))["m"] or 0
        assigned = set(Assignment.objects.filter(ticket=ticket, is_active=True).values_list("unit_id", flat=True))
        try:
            call()
        except DomainError:
            assert model_to_dict(Ticket.objects.get(pk=ticket.pk)) == before
            assert Event.objects.count() == events_before
            return
        self.reached[action] += 1
        new = list(Event.objects.filter(id__gt=last_id))
        # A follow-up at the unit's fault sends the ticket back in the same step: one event per transition (Art. 17).
        chained = [e.action for e in new] == [Action.FOLLOW_UP, Action.REWORK]
        assert len(new) == 1 or chained, [e.action for e in new]
        event = new[0]
        after = Ticket.objects.get(pk=ticket.pk)
        assert (event.ticket_id, event.action, event.from_status) == (ticket.pk, action, before["status"])
        assert after.status == new[-1].to_status
        assert event.actor == actor
        if actor is not None and not actor.is_hotline:
            assert actor.unit_id in assigned, f"{actor} acted on a ticket its unit is not assigned"
            if action in LEAD_ONLY:
                assert actor.unit_id == before["lead_unit"]

    # ------------------------------------------------------------ rules

    @initialize(kind=st.sampled_from(["consultation", "complaint", "help"]), lead=st.sampled_from(["unit_a", "unit_b"]),
                topic=st.sampled_from([None, "topic_manhole", "topic_noise", "topic_statutory"]),
                complex_=st.booleans())
    def start_with_a_dispatched_ticket(self, kind: str, lead: str, topic: str | None, complex_: bool) -> None:
        """Begin every run with one ticket already at a unit, so the later stages get explored too."""
        ticket = workflow.create_ticket(by=self.case.operator, channel="phone", request_type=kind, content="井盖缺失",
                                        topic=self.topic(topic), is_complex=complex_)
        workflow.dispatch(ticket, by=self.case.dispatcher, lead_unit=self.unit(lead))
        self.tickets.append(ticket.pk)

    @precondition(lambda self: self.tickets)
    @rule(index=slot, choice=st.integers(0, 3))
    def advance(self, index: int, choice: int) -> None:
        """The natural next step, by the right person with valid input; drives runs into the later stages."""
        t = self.ticket(index)
        lead, case = self.who("lead", t), self.case
        now = self.now
        steps: dict[str, tuple[str, Staff, Any]] = {
            Status.PENDING_DISPATCH: (Action.DISPATCH, case.dispatcher, lambda: workflow.dispatch(
                t, by=case.dispatcher, lead_unit=case.unit_b if choice == 3 else case.unit_a,
                assisting_units=[case.unit_c] if choice == 2 else [])),
            Status.CONSULTING: (Action.ANSWER, case.operator, lambda: workflow.answer(
                t, by=case.operator, text="答复")),
            Status.DISPATCHED: (Action.SIGN, lead, lambda: workflow.sign(t, by=lead)),
            Status.RETURN_REQUESTED: (Action.REVIEW_RETURN, case.reviewer, lambda: workflow.review_return(
                t, by=case.reviewer, approve=choice < 2, note="审核")),
            Status.IN_PROGRESS: (Action.REQUEST_EXTENSION, lead, lambda: workflow.request_extension(
                t, by=lead, working_days=choice * 3 + 1, reason="需协调")) if choice == 0 else (
                Action.REPLY, lead, lambda: workflow.reply(
                    t, by=lead, handler_name="李工", handled_at=now, process="处理", result="已处理",
                    contact_note="电话告知", contacted=True)),
            Status.REPLIED: (Action.REVIEW_REPLY, case.reviewer, lambda: workflow.review_reply(
                t, by=case.reviewer, approve=choice != 1, note="不满足要求")),
            Status.RESOLVED: (Action.REWORK, case.followup, lambda: workflow.rework(t, by=case.followup))
            if choice == 0 else (Action.FOLLOW_UP, case.followup, lambda: workflow.follow_up(
                t, by=case.followup, reached=choice != 3, satisfaction="1" if choice == 1 else "4", solved=False,
                unit_contacted=True, unit_contact_method="phone", fault="unit")),
        }
        if t.status in steps:
            action, who, call = steps[t.status]
            self.attempt(t, action, who, call)

    @precondition(lambda self: len(self.tickets) < MAX_TICKETS)
    @rule(by=intake, kind=st.sampled_from(["consultation", "complaint", "help", "gossip"]),
          topic=st.sampled_from([None, "topic_manhole", "topic_noise", "topic_statutory", "topic_streetlight"]),
          complex_=st.booleans())
    def create(self, by: str, kind: str, topic: str | None, complex_: bool) -> None:
        events_before = Event.objects.count()
        try:
            ticket = workflow.create_ticket(by=self.who(by), channel="phone", request_type=kind,
                                            content="路灯不亮", topic=self.topic(topic), is_complex=complex_)
        except DomainError:
            assert Event.objects.count() == events_before
            return
        assert Event.objects.count() == events_before + 1
        self.tickets.append(ticket.pk)

    @rule(minutes=st.integers(1, 60 * 24 * 5))
    def wait(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)
        self.clock.move_to(self.now)

    @precondition(lambda self: self.tickets)
    @rule(index=slot, column=st.sampled_from(["sign_due", "desk_return_due", "return_due", "handling_due",
                                              "rework_due", "dispatch_due"]),
          side=st.sampled_from([-1, 1]))
    def wait_for_deadline(self, index: int, column: str, side: int) -> None:
        due = getattr(self.ticket(index), column)
        target = due + side * dt.timedelta(minutes=1) if due else None
        if target is not None and target > self.now:
            self.now = target
            self.clock.move_to(self.now)

    @precondition(lambda self: self.tickets)
    @rule()
    def sweep(self) -> None:
        ticket = Ticket.objects.filter(status=Status.DISPATCHED, sign_due__lte=self.now).first()
        if ticket is None:
            assert sweeps.deem_one_signed(self.now) is False
            return
        self.attempt(ticket, Action.DEEM_SIGNED, None, lambda: workflow.deem_signed(ticket, now=self.now))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, into=slot, by=intake, how=st.sampled_from(["decline", "answer", "merge", "hand_off"]),
          code=st.sampled_from(["1", "10", "11"]), text=note, line=st.sampled_from(["110", "999"]))
    def close_at_intake(self, index: int, into: int, by: str, how: str, code: str, text: str, line: str) -> None:
        """Decline, answer, merge or hand off (one rule, so endings do not crowd out the long lifecycle)."""
        t, target = self.ticket(index, Action.DECLINE), self.ticket(into)
        who = self.who(by, t)
        calls = {
            "decline": (Action.DECLINE, lambda: workflow.decline(t, by=who, reason_code=code, explanation=text)),
            "answer": (Action.ANSWER, lambda: workflow.answer(t, by=who, text=text)),
            "merge": (Action.MERGE, lambda: workflow.merge(t, by=who, into=target)),
            "hand_off": (Action.HAND_OFF, lambda: workflow.hand_off(t, by=who, line=line, summary="紧急")),
        }
        action, call = calls[how]
        self.attempt(t, action, who, call)

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=intake, unit=lead_unit)
    def consult(self, index: int, by: str, unit: str) -> None:
        t = self.ticket(index, Action.CONSULT)
        self.attempt(t, Action.CONSULT, self.who(by, t),
                     lambda: workflow.consult(t, by=self.who(by, t), unit=self.unit(unit)))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=dispatcher, lead=lead_unit, assisting=st.lists(st.sampled_from(UNITS), max_size=2))
    def dispatch(self, index: int, by: str, lead: str, assisting: list[str]) -> None:
        t = self.ticket(index, Action.DISPATCH)
        units = [self.unit(u) for u in assisting]
        self.attempt(t, Action.DISPATCH, self.who(by, t),
                     lambda: workflow.dispatch(t, by=self.who(by, t), lead_unit=self.unit(lead), assisting_units=units))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=unit_staff)
    def sign(self, index: int, by: str) -> None:
        t = self.ticket(index, Action.SIGN)
        self.attempt(t, Action.SIGN, self.who(by, t), lambda: workflow.sign(t, by=self.who(by, t)))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=unit_staff, kind=st.sampled_from(["desk", "onsite", "phone"]),
          suggested=st.sampled_from([None, *UNITS]), with_photo=st.booleans(), reason=note)
    def request_return(self, index: int, by: str, kind: str, suggested: str | None, with_photo: bool,
                       reason: str) -> None:
        t = self.ticket(index, Action.REQUEST_RETURN)
        photos = [photo()] if with_photo else []
        unit = self.unit(suggested) if suggested else None
        self.attempt(t, Action.REQUEST_RETURN, self.who(by, t), lambda: workflow.request_return(
            t, by=self.who(by, t), kind=kind, reason=reason, basis="依据", suggested_unit=unit, photos=photos))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=reviewer, approve=st.booleans(), text=note)
    def review_return(self, index: int, by: str, approve: bool, text: str) -> None:
        t = self.ticket(index, Action.REVIEW_RETURN)
        self.attempt(t, Action.REVIEW_RETURN, self.who(by, t),
                     lambda: workflow.review_return(t, by=self.who(by, t), approve=approve, note=text))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=unit_staff, days=st.sampled_from([0, 1, 5, 10, 11]), reason=note)
    def request_extension(self, index: int, by: str, days: int, reason: str) -> None:
        t = self.ticket(index, Action.REQUEST_EXTENSION)
        self.attempt(t, Action.REQUEST_EXTENSION, self.who(by, t), lambda: workflow.request_extension(
            t, by=self.who(by, t), working_days=days, reason=reason))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=reviewer, approve=st.booleans(), text=note)
    def review_extension(self, index: int, by: str, approve: bool, text: str) -> None:
        t = self.ticket(index, Action.REVIEW_EXTENSION)
        self.attempt(t, Action.REVIEW_EXTENSION, self.who(by, t),
                     lambda: workflow.review_extension(t, by=self.who(by, t), approve=approve, note=text))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=unit_staff, hours_ago=st.sampled_from([-3, 0, 2]), result=note)
    def reply(self, index: int, by: str, hours_ago: int, result: str) -> None:
        t = self.ticket(index, Action.REPLY)
        handled_at = self.now - dt.timedelta(hours=hours_ago)
        self.attempt(t, Action.REPLY, self.who(by, t), lambda: workflow.reply(
            t, by=self.who(by, t), handler_name="李工", handled_at=handled_at, process="处理", result=result,
            contact_note="电话告知", contacted=True))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=reviewer, approve=st.booleans(), text=note)
    def review_reply(self, index: int, by: str, approve: bool, text: str) -> None:
        t = self.ticket(index, Action.REVIEW_REPLY)
        self.attempt(t, Action.REVIEW_REPLY, self.who(by, t),
                     lambda: workflow.review_reply(t, by=self.who(by, t), approve=approve, note=text))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=followup, reached=st.booleans(), satisfaction=st.sampled_from(["", "1", "2", "3", "5", "9"]),
          at_fault=st.booleans())
    def follow_up(self, index: int, by: str, reached: bool, satisfaction: str, at_fault: bool) -> None:
        t = self.ticket(index, Action.FOLLOW_UP)
        self.attempt(t, Action.FOLLOW_UP, self.who(by, t), lambda: workflow.follow_up(
            t, by=self.who(by, t), reached=reached, satisfaction=satisfaction, solved=False, unit_contacted=False,
            fault="unit" if at_fault else "requester"))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=followup)
    def rework(self, index: int, by: str) -> None:
        t = self.ticket(index, Action.REWORK)
        self.attempt(t, Action.REWORK, self.who(by, t), lambda: workflow.rework(t, by=self.who(by, t)))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=st.one_of(unit_staff, intake), method=st.sampled_from(["call", "sms", "visit"]))
    def contact_attempt(self, index: int, by: str, method: str) -> None:
        t = self.ticket(index, Action.CONTACT_ATTEMPT)
        self.attempt(t, Action.CONTACT_ATTEMPT, self.who(by, t), lambda: workflow.record_contact_attempt(
            t, by=self.who(by, t), method=method, reached=False))

    @precondition(lambda self: self.tickets)
    @rule(index=slot, by=unit_staff)
    def arrive(self, index: int, by: str) -> None:
        t = self.ticket(index, Action.ARRIVE)
        self.attempt(t, Action.ARRIVE, self.who(by, t), lambda: workflow.record_arrival(t, by=self.who(by, t)))

    # ------------------------------------------------------------ invariants

    @invariant()
    def statuses_are_known(self) -> None:
        for status in Ticket.objects.values_list("status", flat=True):
            assert status in Status.values

    @invariant()
    def at_most_one_approved_extension_of_at_most_ten_days(self) -> None:
        for ticket in Ticket.objects.all():
            approved = list(ExtensionRequest.objects.filter(ticket=ticket, state=ReviewState.APPROVED))
            assert len(approved) <= 1 and ticket.extension_count == len(approved)
            assert all(er.working_days <= 10 for er in approved)

    @invariant()
    def stored_deadlines_match_the_calendar(self) -> None:
        calendar = load_calendar()
        for ticket in Ticket.objects.select_related("topic"):
            expected = ExpectedClocks(ticket, calendar).due
            stored = {name: getattr(ticket, name) for name in expected}
            assert stored == expected, ticket.number


class TestLifecycleStateMachine(HotlineTestCase):
    def test_it_keeps_every_invariant_under_random_actions_by_random_people(self):
        Lifecycle.case = self
        Lifecycle.reached.clear()
        # The same examples every run (Hypothesis's fixed seed): a random run reached a fresh dispatch 2 to 24
        # times, and now and then not at all, failing the depth check below with nothing wrong. A hunt (the
        # examples raised through HOTLINE_STATE_MACHINE_EXAMPLES) draws new ones every run.
        run_state_machine_as_test(Lifecycle, settings=settings(
            max_examples=EXAMPLES, stateful_step_count=30, deadline=None, database=None,
            derandomize="HOTLINE_STATE_MACHINE_EXAMPLES" not in os.environ,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
        # The run must have got past intake, or the invariants above were checked on nothing much.
        assert {Action.DISPATCH, Action.SIGN, Action.REPLY} <= set(Lifecycle.reached), dict(Lifecycle.reached)
