"""review_return: approved goes back to dispatch with the suggested unit preselected; rejected, the unit carries on
where it was (Art. 13)."""

import datetime as dt

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, ReviewState, Status
from tests.base import local
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestReviewReturn(WorkflowTestCase):
    def returned(self, *, signed: bool = True):
        ticket = self.signed_ticket() if signed else self.dispatched_ticket()
        rr = workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="非本单位职责",
                                     basis="三定方案", suggested_unit=self.unit_b)
        return ticket, rr

    def test_it_approves_back_to_dispatch_with_the_suggested_unit_and_ends_the_assignment(self):
        ticket, rr = self.returned()
        self.move_to(MONDAY + dt.timedelta(hours=3))
        workflow.review_return(ticket, by=self.reviewer, approve=True, note="同意")
        stored = self.reload(ticket)
        assert (stored.status, stored.lead_unit, stored.suggested_unit) == (Status.PENDING_DISPATCH, None,
                                                                           self.unit_b)
        assert stored.dispatch_due == MONDAY + dt.timedelta(hours=5)
        assert not ticket.assignments.filter(is_active=True).exists()
        rr.refresh_from_db()
        assert (rr.state, rr.reviewed_by, rr.review_note) == (ReviewState.APPROVED, self.reviewer, "同意")
        self.assert_event(ticket, 4, action=Action.REVIEW_RETURN, actor=self.reviewer, unit=self.reviewer.unit,
                          frm=Status.RETURN_REQUESTED, to=Status.PENDING_DISPATCH, article="第十三条")

    def test_it_lets_the_ticket_be_dispatched_again_to_the_new_unit_only(self):
        ticket, _rr = self.returned()
        workflow.review_return(ticket, by=self.manager, approve=True)
        self.move_to(local(2026, 3, 10, 9, 0))
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_b)
        self.assert_refused(Forbidden, workflow.sign, ticket, by=self.unit_a_handler)
        workflow.sign(ticket, by=self.unit_b_handler)
        stored = self.reload(ticket)
        assert (stored.lead_unit, stored.signed_at, stored.handling_due) == (self.unit_b, local(2026, 3, 10, 9, 0),
                                                                             local(2026, 3, 18))
        assert list(ticket.assignments.filter(is_active=True).values_list("unit__code", flat=True)) == ["zjj"]
        assert ticket.assignments.count() == 2

    def test_it_expires_a_pending_extension_of_the_unit_that_returned_the_ticket(self):
        ticket = self.signed_ticket()
        er = workflow.request_extension(ticket, by=self.unit_a_handler, working_days=5, reason="需协调")
        workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="非本单位职责", basis="三定方案")
        workflow.review_return(ticket, by=self.reviewer, approve=True)
        er.refresh_from_db()
        assert er.state == ReviewState.REJECTED
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_b)
        workflow.sign(ticket, by=self.unit_b_handler)
        # The old request cannot move the new unit's deadline, and the new unit may still ask once.
        self.assert_refused(TransitionNotAllowed, workflow.review_extension, ticket, by=self.reviewer, approve=True)
        workflow.request_extension(ticket, by=self.unit_b_handler, working_days=3, reason="需协调")

    def test_it_rejects_back_to_handling_with_the_clocks_untouched(self):
        ticket, rr = self.returned()
        before = self.reload(ticket)
        workflow.review_return(ticket, by=self.reviewer, approve=False, note="属本单位职责")
        stored = self.reload(ticket)
        assert (stored.status, stored.lead_unit) == (Status.IN_PROGRESS, self.unit_a)
        assert (stored.handling_due, stored.return_due) == (before.handling_due, before.return_due)
        rr.refresh_from_db()
        assert rr.state == ReviewState.REJECTED
        self.assert_event(ticket, 4, action=Action.REVIEW_RETURN, actor=self.reviewer, unit=self.reviewer.unit,
                          frm=Status.RETURN_REQUESTED, to=Status.IN_PROGRESS, article="第十三条")

    def test_it_keeps_the_unit_on_the_ticket_after_a_rejection(self):
        ticket, _rr = self.returned()
        workflow.review_return(ticket, by=self.reviewer, approve=False, note="属本单位职责")
        # Art. 13: rejected, the unit carries on; a second request for the same dispatch is refused.
        self.assert_refused(TransitionNotAllowed, workflow.request_return, ticket, by=self.unit_a_handler,
                            kind="onsite", reason="再次申请", basis="现场核实", suggested_unit=self.unit_b,
                            code="return_rejected")

    def test_it_lets_a_unit_return_again_after_a_new_dispatch(self):
        ticket, _rr = self.returned()
        workflow.review_return(ticket, by=self.reviewer, approve=True)
        self.move_to(MONDAY + dt.timedelta(hours=1))
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_b)
        workflow.request_return(ticket, by=self.unit_b_handler, kind="desk", reason="非本单位", basis="三定方案")
        workflow.review_return(ticket, by=self.reviewer, approve=True)
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
        workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="仍非本单位", basis="三定方案")
        assert self.reload(ticket).status == Status.RETURN_REQUESTED

    def test_it_rejects_an_unsigned_return_back_to_signing(self):
        ticket, _rr = self.returned(signed=False)
        workflow.review_return(ticket, by=self.reviewer, approve=False, note="属本单位职责")
        assert self.reload(ticket).status == Status.DISPATCHED

    def test_it_refuses_a_rejection_without_a_reason(self):
        ticket, _rr = self.returned()
        self.assert_refused(InvalidInput, workflow.review_return, ticket, by=self.reviewer, approve=False,
                            field="note")

    def test_it_refuses_everyone_but_reviewers_and_managers(self):
        ticket, _rr = self.returned()
        for person in (self.operator, self.dispatcher, self.followup, self.unit_a_handler, self.unit_b_handler):
            self.assert_refused(Forbidden, workflow.review_return, ticket, by=person, approve=True)

    def test_it_refuses_when_nothing_is_pending(self):
        self.assert_refused(TransitionNotAllowed, workflow.review_return, self.signed_ticket(), by=self.reviewer,
                            approve=True, code="no_pending_return")
