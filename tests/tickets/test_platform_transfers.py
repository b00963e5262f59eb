"""Down and up the platform tree (Art. 13, 30): the city hands a ticket down to a county sub-centre, which signs it
(stopping the city's signing clock), dispatches it to its own unit, and sends the reply back up for the city's
review; a county passes a city department's matter up."""

import datetime as dt

import pytest

from hotline.deadlines.policy import Clock, compute
from hotline.deadlines.store import load_calendar
from hotline.lib.errors import Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from hotline.tickets import sweeps, workflow
from hotline.tickets.access import access_ticket, visible_tickets
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import DESK_QUEUES, overdue_q, running
from tests.base import local
from tests.platforms import PlatformsTestCase
from tests.tickets.support import MINUTE, MONDAY, WorkflowTestCase

# Handed down on Monday 9 March 2026 at 10:00: one working day to sign, so until 24:00 on Tuesday.
SIGN_DUE = local(2026, 3, 11)


class TransferTestCase(PlatformsTestCase, WorkflowTestCase):
    def handed_down(self) -> Ticket:
        ticket = self.new_ticket()
        workflow.hand_down(ticket, by=self.dispatcher, platform=self.shuangqing, note="属双清区事项")
        return self.reload(ticket)

    def reload(self, ticket: Ticket) -> Ticket:
        return Ticket.objects.get(pk=ticket.pk)

    def transfers(self, user):
        queue = next(q for q in DESK_QUEUES if q.key == "transfers")
        return list(queue.select(visible_tickets(user), MONDAY))


class TestHandDown(TransferTestCase):
    def test_it_moves_the_ticket_to_the_county_with_a_signing_clock_and_stops_the_citys_dispatch_clock(self):
        ticket = self.new_ticket()
        dispatch_due = ticket.dispatch_due
        workflow.hand_down(ticket, by=self.dispatcher, platform=self.shuangqing, note="属双清区事项")
        stored = self.reload(ticket)
        assert (stored.status, stored.platform, stored.received_by) == (
            Status.TRANSFERRING, self.shuangqing, self.city)
        assert stored.sign_due == SIGN_DUE
        event = self.assert_event(ticket, 1, action=Action.HAND_DOWN, actor=self.dispatcher, unit=self.dispatcher.unit,
                                  frm=Status.PENDING_DISPATCH, to=Status.TRANSFERRING, article="第十三条、第三十条")
        assert event.data == {"from": "city", "to": "shuangqing", **self.against(dispatch_due, False)}
        assert event.reason == "属双清区事项"

    def test_the_county_sees_it_to_sign_and_the_other_county_does_not(self):
        ticket = self.handed_down()
        assert self.transfers(self.dispatcher_sq) == [ticket]
        assert access_ticket(self.dispatcher_sq, ticket.number) == ticket
        with pytest.raises(NotFound):
            access_ticket(self.dispatcher_xs, ticket.number)
        assert self.transfers(self.dispatcher_xs) == []

    def test_it_refuses_a_platform_not_directly_below_the_holder(self):
        county = self.county_ticket(self.operator_sq)
        self.assert_refused(InvalidInput, workflow.hand_down, county, by=self.dispatcher_sq, platform=self.xinshao,
                            field="platform", code="platform_not_below")
        ticket = self.new_ticket()
        self.assert_refused(InvalidInput, workflow.hand_down, ticket, by=self.dispatcher, platform=self.city,
                            code="platform_not_below")
        self.assert_refused(InvalidInput, workflow.hand_down, ticket, by=self.dispatcher, platform=None,
                            code="platform_not_below")

    def test_only_the_holding_desk_and_a_dispatcher_send_it(self):
        county = self.county_ticket(self.operator_sq)
        self.assert_refused(TransitionNotAllowed, workflow.hand_down, county, by=self.dispatcher,
                            platform=self.xinshao, code="not_held_here")
        ticket = self.new_ticket()
        self.assert_refused(Forbidden, workflow.hand_down, ticket, by=self.reviewer, platform=self.shuangqing,
                            code="role_not_allowed")

    def test_it_refuses_a_ticket_already_dispatched(self):
        ticket = self.new_ticket()
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
        self.assert_refused(TransitionNotAllowed, workflow.hand_down, ticket, by=self.dispatcher,
                            platform=self.shuangqing)


class TestCountySigning(TransferTestCase):
    def test_signed_a_minute_before_the_deadline_the_citys_clock_stops_in_time(self):
        ticket = self.handed_down()
        self.move_to(SIGN_DUE - MINUTE)
        assert Ticket.objects.filter(running(Clock.SIGN), pk=ticket.pk).exists()
        workflow.sign_transfer(ticket, by=self.dispatcher_sq)
        stored = self.reload(ticket)
        assert (stored.status, stored.platform) == (Status.PENDING_DISPATCH, self.shuangqing)
        event = self.assert_event(ticket, 2, action=Action.PLATFORM_SIGN, actor=self.dispatcher_sq,
                                  unit=self.dispatcher_sq.unit, frm=Status.TRANSFERRING, to=Status.PENDING_DISPATCH,
                                  article="第十三条、第三十条")
        assert event.data == {"platform": "shuangqing", "deemed": False, **self.against(SIGN_DUE, False)}
        # The signing clock no longer runs; the county's own 2-hour dispatch clock starts at its signing.
        assert not Ticket.objects.filter(running(Clock.SIGN), pk=ticket.pk).exists()
        assert stored.dispatch_due == compute(load_calendar(), Clock.DISPATCH, SIGN_DUE - MINUTE).at
        self.move_to(SIGN_DUE + MINUTE)
        assert not Ticket.objects.filter(overdue_q(SIGN_DUE + MINUTE), pk=ticket.pk).exists()

    def test_signed_a_minute_after_the_deadline_it_is_late_and_was_overdue(self):
        ticket = self.handed_down()
        self.move_to(SIGN_DUE + MINUTE)
        assert Ticket.objects.filter(overdue_q(SIGN_DUE + MINUTE), pk=ticket.pk).exists()
        workflow.sign_transfer(ticket, by=self.dispatcher_sq)
        event = ticket.events.order_by("id").last()
        assert event.data == {"platform": "shuangqing", "deemed": False, **self.against(SIGN_DUE, True)}

    def test_the_sweep_deems_it_signed_at_the_deadline_and_not_a_minute_before(self):
        ticket = self.handed_down()
        self.move_to(SIGN_DUE - MINUTE)
        assert sweeps.deem_one_signed() is False
        self.move_to(SIGN_DUE + MINUTE)
        assert sweeps.deem_one_signed() is True
        stored = self.reload(ticket)
        assert (stored.status, stored.platform) == (Status.PENDING_DISPATCH, self.shuangqing)
        event = self.assert_event(ticket, 2, action=Action.PLATFORM_SIGN, actor=None, unit=None,
                                  frm=Status.TRANSFERRING, to=Status.PENDING_DISPATCH, article="第十三条、第三十条")
        assert event.data["deemed"] is True
        assert stored.dispatch_due == compute(load_calendar(), Clock.DISPATCH, SIGN_DUE).at
        assert sweeps.deem_one_signed() is False

    def test_only_the_receiving_platforms_dispatcher_signs(self):
        ticket = self.handed_down()
        self.assert_refused(Forbidden, workflow.sign_transfer, ticket, by=self.dispatcher,
                            code="not_receiving_platform")
        self.assert_refused(Forbidden, workflow.sign_transfer, ticket, by=self.operator_sq, code="role_not_allowed")
        self.assert_refused(TransitionNotAllowed, workflow.sign_transfer, ticket, by=None, code="sign_window_open")


class TestDownAndBackUp(TransferTestCase):
    def test_the_county_dispatches_to_its_unit_and_the_reply_goes_up_for_the_citys_review(self):
        ticket = self.handed_down()
        workflow.sign_transfer(ticket, by=self.dispatcher_sq)
        with pytest.raises(InvalidInput):
            workflow.dispatch(ticket, by=self.dispatcher_sq, lead_unit=self.unit_a)  # a city department
        workflow.dispatch(ticket, by=self.dispatcher_sq, lead_unit=self.unit_c)
        workflow.sign(ticket, by=self.unit_c_handler)
        self.move_to(MONDAY + dt.timedelta(hours=2))
        workflow.reply(ticket, by=self.unit_c_handler, handler_name="双清区城管局", handled_at=MONDAY,
                       process="现场清理", result="垃圾已清运", contact_note="电话告知", contacted=True)
        stored = self.reload(ticket)
        assert (stored.status, stored.platform, stored.lead_unit) == (Status.REPLIED, self.city, self.unit_c)
        assert ticket.events.order_by("id").last().data["up_to"] == "city"
        # The county no longer holds it; the city's reviewer resolves it and its follow-up desk calls back.
        with pytest.raises(NotFound):
            access_ticket(self.reviewer_sq, ticket.number)
        workflow.review_reply(stored, by=self.reviewer, approve=True)
        assert self.reload(ticket).status == Status.RESOLVED
        assert access_ticket(self.unit_c_handler, ticket.number) == stored

    def test_a_countys_own_ticket_is_reviewed_at_the_county(self):
        ticket = self.county_ticket(self.operator_sq)
        workflow.dispatch(ticket, by=self.dispatcher_sq, lead_unit=self.unit_c)
        workflow.sign(ticket, by=self.unit_c_handler)
        workflow.reply(ticket, by=self.unit_c_handler, handler_name="双清区城管局", handled_at=MONDAY,
                       process="现场清理", result="垃圾已清运", contact_note="电话告知", contacted=True)
        assert self.reload(ticket).platform == self.shuangqing
        assert "up_to" not in ticket.events.order_by("id").last().data


class TestPassUp(TransferTestCase):
    def test_a_county_passes_a_city_departments_matter_up_and_the_city_signs_and_dispatches_it(self):
        ticket = self.county_ticket(self.operator_sq)
        self.assert_refused(InvalidInput, workflow.pass_up, ticket, by=self.dispatcher_sq, reason=" ",
                            field="reason", code="required")
        workflow.pass_up(ticket, by=self.dispatcher_sq, reason="属市住建局职责")
        stored = self.reload(ticket)
        assert (stored.status, stored.platform, stored.received_by) == (
            Status.TRANSFERRING, self.city, self.shuangqing)
        event = ticket.events.order_by("id").last()
        assert (event.action, event.data["from"], event.data["to"]) == (Action.PASS_UP, "shuangqing", "city")
        with pytest.raises(NotFound):
            access_ticket(self.dispatcher_sq, ticket.number)
        assert stored in self.transfers(self.dispatcher)
        workflow.sign_transfer(stored, by=self.dispatcher)
        workflow.dispatch(stored, by=self.dispatcher, lead_unit=self.unit_a)
        assert self.reload(ticket).status == Status.DISPATCHED

    def test_the_city_has_nothing_above_it(self):
        ticket = self.new_ticket()
        self.assert_refused(TransitionNotAllowed, workflow.pass_up, ticket, by=self.dispatcher, reason="无",
                            code="no_upper_platform")
