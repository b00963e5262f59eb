"""The follow-up clock (Art. 17): a stored deadline set by the resolution, swept and warned like the other clocks,
cleared by rework, and the hotline's own — a late call is no unit's overdue."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from hotline.deadlines.policy import RULES, Clock
from hotline.tickets import sweeps, workflow
from hotline.tickets.choices import Action, AlertKind, Fault, Satisfaction, Status
from hotline.tickets.models import ClockAlert, Ticket
from hotline.tickets.selectors import overdue_q
from tests.base import local
from tests.tickets.support import MONDAY, WorkflowTestCase

RESOLVED = MONDAY + dt.timedelta(hours=2)  # Monday 9 March 2026, 12:00
DUE = local(2026, 3, 12)  # two working days: the end of Wednesday


class TestFollowUpClock(WorkflowTestCase):
    def resolve(self) -> Ticket:
        ticket = self.replied_ticket()
        self.move_to(RESOLVED)
        return workflow.review_reply(ticket, by=self.reviewer, approve=True)

    def test_it_is_stored_by_the_resolution_from_the_clock_table(self) -> None:
        ticket = self.resolve()
        assert RULES[Clock.FOLLOW_UP].article == "第十七条"
        assert self.reload(ticket).follow_up_due == DUE
        event = ticket.events.get(action=Action.REVIEW_REPLY)
        assert event.data["follow_up_due"] == DUE.isoformat()

    @override_settings(FOLLOW_UP_WORKING_DAYS=1)
    def test_its_length_is_a_setting(self) -> None:
        assert self.reload(self.resolve()).follow_up_due == local(2026, 3, 11)

    def test_it_warns_then_marks_overdue_with_no_unit_to_blame(self) -> None:
        ticket = self.resolve()
        self.move_to(DUE - RULES[Clock.FOLLOW_UP].warn_before - dt.timedelta(minutes=1))
        assert not ClockAlert.objects.filter(clock=Clock.FOLLOW_UP).exists()
        assert sweeps.warn_one(timezone.now()) is False
        self.move_to(DUE - dt.timedelta(hours=1))
        assert sweeps.warn_one(timezone.now()) is True
        assert sweeps.warn_one(timezone.now()) is False  # once per deadline
        self.move_to(DUE + dt.timedelta(minutes=1))
        assert sweeps.mark_one_overdue(timezone.now()) is True
        assert sweeps.mark_one_overdue(timezone.now()) is False
        alerts = ClockAlert.objects.filter(ticket=ticket, clock=Clock.FOLLOW_UP)
        assert sorted(alerts.values_list("kind", "unit_id")) == [(AlertKind.BREACH, None), (AlertKind.WARNING, None)]
        assert ticket.events.filter(action=Action.MARK_OVERDUE, data__clock="follow_up").count() == 1
        # The unit replied in time: a late call is the hotline's, not in the unit's overdue queue or filter.
        assert not Ticket.objects.filter(overdue_q(timezone.now()), pk=ticket.pk).exists()

    def test_the_closing_call_stops_it(self) -> None:
        ticket = self.resolve()
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction=Satisfaction.SATISFIED, solved=True,
                           unit_contacted=True, unit_contact_method="phone")
        self.move_to(DUE + dt.timedelta(minutes=1))
        assert self.reload(ticket).status == Status.CLOSED
        assert sweeps.mark_one_overdue(timezone.now()) is False

    def test_rework_clears_it_and_the_next_resolution_sets_it_again(self) -> None:
        ticket = self.resolve()
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction=Satisfaction.DISSATISFIED,
                           solved=False, unit_contacted=False, fault=Fault.UNIT)
        assert self.reload(ticket).follow_up_due is None
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=timezone.now(),
                       process="重新处理", result="已修复", contact_note="电话告知", contacted=True)
        self.move_to(local(2026, 3, 13, 9))  # Friday
        workflow.review_reply(self.reload(ticket), by=self.reviewer, approve=True)
        assert self.reload(ticket).follow_up_due == local(2026, 3, 18)  # Tuesday's end, over the weekend
