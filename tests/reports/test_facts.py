"""The event-fact base (Art. 26, 27): hand-built months whose figures are worked out here, event by event.

March 2026 has no holiday and no make-up day, so its working days are Monday to Friday; 1 March is a Sunday.
Deadlines of N working days end at 24:00 of the Nth working day, stored as 00:00 of the next day.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from hotline.deadlines.policy import Clock
from hotline.reports.facts import (
    FollowUpCounts,
    IntakeCounts,
    Period,
    UnitCounts,
    clock_events,
    clock_summary,
    declines_by_reason,
    follow_up_totals,
    follow_ups_by_unit,
    intake_by,
    intake_totals,
    received_by_day,
    unit_facts,
)
from hotline.tickets import sweeps, workflow
from hotline.tickets.choices import Action, Channel, RequestType
from hotline.tickets.models import Event, Ticket
from tests.base import HotlineTestCase, local
from tests.reports.support import declined_at_intake

MARCH = Period.month(2026, 3)
APRIL = Period.month(2026, 4)


class FactsTestCase(HotlineTestCase):
    """Personas, with the clock frozen and moved forward by each step of a story."""

    def setUp(self) -> None:
        super().setUp()
        traveller = time_machine.travel(local(2026, 2, 27, 9), tick=False)
        self.clock = traveller.start()
        self.addCleanup(traveller.stop)

    def at(self, *when: int) -> None:
        """Move the frozen clock to a Beijing-time moment (year, month, day, hour, minute)."""
        self.clock.move_to(local(*when))

    def dispatch(self, ticket: Ticket, unit=None) -> Ticket:
        return workflow.dispatch(ticket, by=self.dispatcher, lead_unit=unit or self.unit_a)

    def reply(self, ticket: Ticket, by=None) -> None:
        workflow.reply(ticket, by=by or self.unit_a_handler, handler_name="李工", handled_at=timezone.now(),
                       process="现场处理", result="已处理", contact_note="电话告知服务对象", contacted=True)

    def desk_return(self, ticket: Ticket, by) -> None:
        workflow.request_return(ticket, by=by, kind="desk", reason="不属于本单位职责", basis="三定方案")


class TestPeriod:
    def test_a_month_runs_from_local_midnight_to_local_midnight(self):
        assert MARCH.bounds == (local(2026, 3, 1), local(2026, 4, 1))
        assert len(MARCH.days) == 31
        assert Period.month(2026, 2).end == dt.date(2026, 2, 28)

    def test_it_refuses_an_end_before_the_start(self):
        with pytest.raises(ValueError):
            Period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))


class TestIntakeFacts(FactsTestCase):
    def build_march(self) -> None:
        self.at(2026, 2, 28, 23, 59)
        self.new_ticket(channel=Channel.PHONE)  # February
        self.at(2026, 3, 2, 9)
        self.new_ticket(channel=Channel.PHONE, topic=self.topic_streetlight, region=self.county)
        self.at(2026, 3, 2, 9, 5)
        on_the_spot = self.new_ticket(channel=Channel.WEB, request_type=RequestType.HELP)
        workflow.answer(on_the_spot, by=self.operator, text="已告知办理流程")
        self.at(2026, 3, 3, 10)
        declined_at_intake(self.operator, channel=Channel.PHONE, reason_code="9")
        self.at(2026, 3, 4, 10)
        later = self.new_ticket(channel=Channel.WEB)
        self.at(2026, 3, 4, 10, 30)
        # Accepted, then found not acceptable: ACCEPT then DECLINE from pending_dispatch, 不予受理 all the same.
        workflow.decline(later, by=self.operator, reason_code="8", explanation="非本级行政职权管辖")
        self.at(2026, 3, 31, 23, 59)
        last = self.new_ticket(channel=Channel.PHONE, request_type=RequestType.CONSULTATION)
        workflow.consult(last, by=self.operator, unit=self.unit_b)
        self.at(2026, 4, 1, 8)
        workflow.answer(last, by=self.operator, text="经咨询住建局，已答复")  # answered in April
        self.at(2026, 4, 1, 9)
        declined_at_intake(self.operator, channel=Channel.PHONE, reason_code="4")

    def test_it_counts_received_accepted_declined_and_answered_in_the_month_of_each_event(self):
        self.build_march()
        # Accepted: 2 Mar phone, 2 Mar web, 4 Mar web, 31 Mar phone. Declined at intake: 3 Mar.
        # 不予受理: 3 Mar at intake and 4 Mar after acceptance. Answered directly: 2 Mar web (31 Mar's is April's).
        assert intake_totals(MARCH) == IntakeCounts(accepted=4, declined_at_intake=1, declined=2, answered_directly=1)
        assert intake_totals(MARCH).received == 5
        assert intake_totals(APRIL) == IntakeCounts(accepted=0, declined_at_intake=1, declined=1, answered_directly=1)
        assert intake_totals(Period.month(2026, 2)).received == 1

    def test_it_counts_the_last_minute_of_the_month_in_that_month(self):
        self.build_march()
        accept = Event.objects.filter(action=Action.ACCEPT).order_by("-at").first()
        assert accept is not None
        # 23:59 on 31 March in Beijing is 15:59 UTC, still 31 March; the period's bounds are local midnights.
        assert accept.at.astimezone(dt.UTC).hour == 15
        assert MARCH.bounds[0] <= accept.at < MARCH.bounds[1]
        assert received_by_day(MARCH, "channel")[Channel.PHONE][dt.date(2026, 3, 31)] == 1
        assert dt.date(2026, 4, 1) not in received_by_day(MARCH, "channel")[Channel.PHONE]

    def test_it_breaks_the_counts_down_by_channel_type_topic_and_region(self):
        self.build_march()
        by_channel = intake_by(MARCH, "channel")
        assert by_channel[Channel.PHONE] == IntakeCounts(accepted=2, declined_at_intake=1, declined=1,
                                                         answered_directly=0)
        assert by_channel[Channel.WEB] == IntakeCounts(accepted=2, declined_at_intake=0, declined=1,
                                                       answered_directly=1)
        assert set(by_channel) == {Channel.PHONE, Channel.WEB}
        by_type = intake_by(MARCH, "request_type")
        assert by_type[RequestType.CONSULTATION].accepted == 1
        assert by_type[RequestType.HELP].answered_directly == 1
        assert by_type[RequestType.COMPLAINT].received == 3  # 2 Mar phone, 3 Mar declined, 4 Mar web
        assert intake_by(MARCH, "topic")[self.topic_streetlight.pk].accepted == 1
        by_region = intake_by(MARCH, "region")
        assert by_region[self.county.pk].received == 1
        assert by_region[None].received == 4

    def test_it_counts_declines_by_their_article_10_reason(self):
        self.build_march()
        assert declines_by_reason(MARCH) == {"9": 1, "8": 1}
        assert declines_by_reason(APRIL) == {"4": 1}

    def test_it_counts_received_per_local_day(self):
        self.build_march()
        assert received_by_day(MARCH, "channel") == {
            Channel.PHONE: {dt.date(2026, 3, 2): 1, dt.date(2026, 3, 3): 1, dt.date(2026, 3, 31): 1},
            Channel.WEB: {dt.date(2026, 3, 2): 1, dt.date(2026, 3, 4): 1},
        }


class TestClockFacts(FactsTestCase):
    def build_march(self) -> None:
        # Ticket A keeps every clock: accepted Mon 2 Mar 09:00, dispatch due 11:00, sign due 24:00 Tue 3 Mar,
        # handling (complaint, 5 wd from Mon) due 24:00 Mon 9 Mar.
        self.at(2026, 3, 2, 9)
        self.a = self.new_ticket()
        self.at(2026, 3, 2, 10)
        self.dispatch(self.a)
        self.at(2026, 3, 2, 15)
        workflow.sign(self.a, by=self.unit_a_handler)
        self.at(2026, 3, 5, 10)
        self.reply(self.a)
        # Ticket B misses every clock: accepted Tue 3 Mar 09:00, dispatched at 12:00 (due 11:00); sign due 24:00
        # Wed 4 Mar, deemed signed (late by definition); handling from Wed, due 24:00 Wed 11 Mar, replied 12 Mar.
        self.at(2026, 3, 3, 9)
        self.b = self.new_ticket()
        self.at(2026, 3, 3, 12)
        self.dispatch(self.b)
        self.at(2026, 3, 5, 0, 10)
        workflow.deem_signed(self.b)
        self.at(2026, 3, 12, 10)
        self.reply(self.b)
        self.at(2026, 3, 12, 11)
        workflow.review_reply(self.b, by=self.reviewer, approve=True)
        # Dissatisfied through the unit's fault: rework from Fri 13 Mar, 5 wd, due 24:00 Fri 20 Mar; replied in
        # the last minute of March, late, and still March's.
        self.at(2026, 3, 13, 10)
        workflow.follow_up(self.b, by=self.followup, reached=True, satisfaction="2",
                           solved=False, unit_contacted=False, fault="unit")
        self.at(2026, 3, 31, 23, 59)
        self.reply(self.b)
        # Ticket C: consultation of unit B on Fri 6 Mar 10:00, answer due Sat 7 Mar 10:00, answered at 12:00.
        self.at(2026, 3, 6, 10)
        self.c = self.new_ticket(request_type=RequestType.CONSULTATION)
        workflow.consult(self.c, by=self.operator, unit=self.unit_b)
        self.at(2026, 3, 7, 12)
        workflow.answer(self.c, by=self.operator, text="经咨询住建局，已答复")
        # Ticket D: noise, dispatched Mon 9 Mar 20:30, on site due 21:30, arrived 21:00 (Art. 20).
        self.at(2026, 3, 9, 20)
        self.d = self.new_ticket(topic=self.topic_noise)
        self.at(2026, 3, 9, 20, 30)
        self.dispatch(self.d)
        self.at(2026, 3, 9, 21)
        workflow.record_arrival(self.d, by=self.unit_a_handler)

    def test_it_counts_each_clock_completed_and_late_per_unit(self):
        self.build_march()
        hotline, unit_a, unit_b = self.hotline.pk, self.unit_a.pk, self.unit_b.pk
        summary = {(row.clock, row.unit_id): (row.completed, row.late) for row in clock_summary(MARCH)}
        assert summary == {
            (Clock.DISPATCH, hotline): (3, 1),  # A and D in time, B an hour late
            (Clock.SIGN, unit_a): (2, 1),  # A signed, B deemed signed
            (Clock.HANDLING, unit_a): (2, 1),  # A in time, B a day late
            (Clock.REWORK, unit_a): (1, 1),  # B's reply on 31 Mar against 20 Mar
            (Clock.CONSULT, unit_b): (1, 1),  # C answered two hours late
            (Clock.ARRIVAL, unit_a): (1, 0),  # D on site in 30 minutes
        }
        assert clock_summary(APRIL) == []

    def test_a_deemed_signing_is_a_late_signing_against_the_signing_deadline(self):
        self.build_march()
        signings = {e.ticket_id: e for e in clock_events(MARCH, Clock.SIGN)}
        deemed = signings[self.b.pk]
        assert (deemed.action, deemed.unit, deemed.due, deemed.late) == (Action.DEEM_SIGNED, self.unit_a.pk,
                                                                         local(2026, 3, 5), True)
        signed = signings[self.a.pk]
        assert (signed.action, signed.unit, signed.due, signed.late) == (Action.SIGN, self.unit_a.pk,
                                                                         local(2026, 3, 4), False)

    def test_a_reply_after_rework_is_measured_against_the_rework_deadline(self):
        self.build_march()
        replies = [(e.clock, e.due, e.late) for e in clock_events(MARCH, Clock.HANDLING, Clock.REWORK)
                   .filter(ticket=self.b).order_by("at")]
        assert replies == [(Clock.HANDLING, local(2026, 3, 12), True), (Clock.REWORK, local(2026, 3, 21), True)]

    def test_the_events_own_due_and_late_win_over_the_tickets_columns(self):
        self.at(2026, 3, 2, 9)
        ticket = self.new_ticket()  # dispatch due 11:00 in its column
        self.at(2026, 3, 2, 12)
        # What the workflow writes from now on: the deadline it measured and its verdict. These rows stand for
        # a dispatch whose clock the hotline restarted at 10:30 (due 12:30), and one with the due alone.
        due = local(2026, 3, 2, 12, 30)
        Event.objects.create(ticket=ticket, action=Action.DISPATCH, from_status="pending_dispatch",
                             to_status="dispatched", actor=self.dispatcher, actor_unit=self.hotline,
                             at=timezone.now(), data={"due": due.isoformat(), "late": False})
        self.at(2026, 3, 2, 12, 45)
        Event.objects.create(ticket=ticket, action=Action.DISPATCH, from_status="pending_dispatch",
                             to_status="dispatched", actor=self.dispatcher, actor_unit=self.hotline,
                             at=timezone.now(), data={"due": due.isoformat()})
        rows = [(e.due, e.late) for e in clock_events(MARCH, Clock.DISPATCH).order_by("at")]
        assert rows == [(due, False), (due, True)]


class TestUnitFacts(FactsTestCase):
    def build_march(self) -> None:
        # T1, unit A: signed in time, extension asked and granted, replied in time, requester satisfied.
        self.at(2026, 3, 2, 9)
        self.t1 = self.new_ticket()
        self.t2 = self.new_ticket(requester={"name": "李四", "phone": "13711112222"})
        self.at(2026, 3, 2, 9, 30)
        self.dispatch(self.t1)
        self.dispatch(self.t2)
        self.at(2026, 3, 2, 10)
        workflow.sign(self.t1, by=self.unit_a_handler)
        self.at(2026, 3, 3, 10)
        workflow.request_extension(self.t1, by=self.unit_a_handler, working_days=2, reason="需协调供电公司")
        workflow.review_extension(self.t1, by=self.reviewer, approve=True)
        # T2, unit A: never signed, deemed signed after 24:00 Tue 3 Mar; handling due 24:00 Tue 10 Mar.
        self.at(2026, 3, 4, 0, 5)
        workflow.deem_signed(self.t2)
        self.at(2026, 3, 5, 10)
        self.reply(self.t1)
        workflow.review_reply(self.t1, by=self.reviewer, approve=True)
        # T4 repeats T1 and is merged; its requester gets a call of their own about T1's result.
        self.t4 = self.new_ticket(requester={"name": "王五", "phone": "13822223333"}, content="路灯仍不亮")
        workflow.merge(self.t4, by=self.operator, into=self.t1)
        self.at(2026, 3, 6, 10)
        workflow.follow_up(self.t1, by=self.followup, reached=True, satisfaction="4", solved=True,
                           unit_contacted=True, unit_contact_method="phone")
        self.at(2026, 3, 6, 12)
        workflow.follow_up(self.t4, by=self.followup, reached=False)
        # T3: unit A returns it on its signing day and the return is upheld; unit B asks to return it too, is
        # refused, and signs.
        self.at(2026, 3, 9, 9)
        self.t3 = self.new_ticket(requester={"name": "赵六", "phone": "13933334444"})
        self.at(2026, 3, 9, 9, 30)
        self.dispatch(self.t3)
        self.at(2026, 3, 9, 10)
        workflow.sign(self.t3, by=self.unit_a_handler)
        self.at(2026, 3, 9, 11)
        self.desk_return(self.t3, self.unit_a_handler)
        self.at(2026, 3, 9, 14)
        workflow.review_return(self.t3, by=self.reviewer, approve=True)
        self.at(2026, 3, 9, 15)
        self.dispatch(self.t3, self.unit_b)
        self.at(2026, 3, 9, 15, 30)
        self.desk_return(self.t3, self.unit_b_handler)
        self.at(2026, 3, 9, 16)
        workflow.review_return(self.t3, by=self.reviewer, approve=False, note="属于住建职责")
        self.at(2026, 3, 9, 16, 30)
        workflow.sign(self.t3, by=self.unit_b_handler)
        # T2 is past its handling deadline: the sweep records the breach, then unit A replies late, the
        # requester is dissatisfied through the unit's fault and the ticket goes back for rework.
        self.at(2026, 3, 11, 8)
        assert sweeps.mark_one_overdue() is True
        self.at(2026, 3, 11, 9)
        self.reply(self.t2)
        workflow.review_reply(self.t2, by=self.reviewer, approve=True)
        self.at(2026, 3, 11, 11)
        workflow.follow_up(self.t2, by=self.followup, reached=True, satisfaction="1",
                           solved=False, unit_contacted=False, fault="unit")

    def test_it_counts_what_each_unit_was_sent_and_did(self):
        self.build_march()
        facts = unit_facts(MARCH)
        assert facts[self.unit_a.pk] == UnitCounts(
            dispatched=3, signed=3, signed_late=1, deemed_signed=1, returns_requested=1, returns_upheld=1,
            extensions_requested=1, extensions_approved=1, replied=2, replied_late=1, reworked=1, overdue=1,
            overdue_by_clock={Clock.HANDLING: 1},
        )
        assert facts[self.unit_b.pk] == UnitCounts(dispatched=1, signed=1, returns_requested=1)
        # The dispatches, reviews and the sweep's alert are the hotline's acts, counted for the lead unit then.
        assert self.hotline.pk not in facts
        assert unit_facts(APRIL) == {}

    def test_it_counts_follow_up_calls_with_what_they_found(self):
        self.build_march()
        levels = {"5": 0, "4": 1, "3": 0, "2": 0, "1": 1}
        expected = FollowUpCounts(calls=3, reached=2, unit_contacted=1, unit_at_fault=1, satisfaction=levels)
        assert follow_up_totals(MARCH) == expected
        assert (expected.unreached, expected.dissatisfied) == (1, 1)
        # The merged requester's call counts for the unit that handled the original.
        assert follow_ups_by_unit(MARCH) == {self.unit_a.pk: expected}
        assert follow_up_totals(APRIL) == FollowUpCounts(satisfaction={level: 0 for level in levels})


class TestFollowUpsRecordedWithoutAChannel(FactsTestCase):
    def test_an_older_unreached_call_counts_even_when_a_later_call_reached_the_requester(self):
        # Only a requester's own rating gives way to a later reached call; a call recorded before events carried
        # their `channel` is a call, and so is counted.
        self.at(2026, 3, 2, 9)
        ticket = self.new_ticket()
        for hour, reached in ((10, False), (11, True)):
            self.at(2026, 3, 2, hour)
            Event.objects.create(ticket=ticket, action=Action.FOLLOW_UP, from_status="resolved", to_status="resolved",
                                 actor=self.followup, actor_unit=self.hotline, at=timezone.now(),
                                 data={"reached": reached, "satisfaction": "5" if reached else ""})
        totals = follow_up_totals(MARCH)
        assert (totals.calls, totals.reached, totals.unreached) == (2, 1, 1)
