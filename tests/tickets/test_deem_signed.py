"""deem_signed: an unsigned ticket at its signing deadline counts as signed; handling runs from then (Art. 13)."""

import datetime as dt

from hotline.lib.errors import TransitionNotAllowed
from hotline.tickets import sweeps, workflow
from hotline.tickets.choices import Action, Status
from tests.base import local
from tests.tickets.support import MINUTE, WorkflowTestCase

SIGN_DUE = local(2026, 3, 11)


class TestDeemSigned(WorkflowTestCase):
    def test_it_deems_signed_at_the_deadline_and_runs_handling_from_the_signing_day(self):
        ticket = self.dispatched_ticket()
        self.move_to(SIGN_DUE + dt.timedelta(minutes=3))
        workflow.deem_signed(ticket)
        stored = self.reload(ticket)
        assert (stored.status, stored.deemed_signed, stored.signed_at) == (Status.IN_PROGRESS, True, SIGN_DUE)
        # Same clocks as a signature at 23:59 on Tuesday: 5 working days after Tuesday, on-site return 2 after.
        assert (stored.handling_days, stored.handling_due) == (5, local(2026, 3, 18))
        assert stored.return_due == local(2026, 3, 13)
        assert stored.desk_return_due == SIGN_DUE  # the desk return closed with the signing window
        self.assert_event(ticket, 2, action=Action.DEEM_SIGNED, actor=None, unit=None, frm=Status.DISPATCHED,
                          to=Status.IN_PROGRESS, article="第十三条")

    def test_it_refuses_a_minute_before_the_deadline(self):
        ticket = self.dispatched_ticket()
        self.move_to(SIGN_DUE - MINUTE)
        self.assert_refused(TransitionNotAllowed, workflow.deem_signed, ticket, code="sign_window_open")
        self.move_to(SIGN_DUE + MINUTE)
        workflow.deem_signed(ticket)
        assert self.reload(ticket).status == Status.IN_PROGRESS

    def test_it_takes_the_sweeps_moment_when_given(self):
        ticket = self.dispatched_ticket()
        workflow.deem_signed(ticket, now=SIGN_DUE)
        assert ticket.events.last().at == SIGN_DUE

    def test_it_refuses_a_ticket_the_unit_signed(self):
        ticket = self.signed_ticket()
        self.move_to(SIGN_DUE + MINUTE)
        self.assert_refused(TransitionNotAllowed, workflow.deem_signed, ticket)

    def test_it_runs_handling_over_the_national_day_holiday_and_its_make_up_saturday(self):
        self.move_to(local(2025, 9, 30, 10, 0))
        ticket = self.dispatched_ticket()
        self.move_to(local(2025, 10, 10, 0, 1))
        assert sweeps.deem_one_signed() is True
        stored = self.reload(ticket)
        # Signing day Thursday 9 October; then 10, 11 (make-up Saturday), 13, 14 and 15 October.
        assert stored.signed_at == local(2025, 10, 10)
        assert stored.handling_due == local(2025, 10, 16)
        assert sweeps.deem_one_signed() is False
