"""review_reply: approved, the ticket is resolved; rejected, the unit carries on under the original deadline
(Art. 16)."""

import datetime as dt

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, ReviewState, Status
from tests.base import local
from tests.tickets.support import MONDAY, WorkflowTestCase

HANDLING_DUE = local(2026, 3, 17)


class TestReviewReply(WorkflowTestCase):
    def test_it_approves_and_resolves(self):
        ticket = self.replied_ticket()
        rep = ticket.replies.get()
        self.move_to(MONDAY + dt.timedelta(hours=2))
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        stored = self.reload(ticket)
        assert (stored.status, stored.resolved_at) == (Status.RESOLVED, MONDAY + dt.timedelta(hours=2))
        rep.refresh_from_db()
        assert (rep.state, rep.reviewed_by) == (ReviewState.APPROVED, self.reviewer)
        self.assert_event(ticket, 4, action=Action.REVIEW_REPLY, actor=self.reviewer, unit=self.reviewer.unit,
                          frm=Status.REPLIED, to=Status.RESOLVED, article="第十六条")

    def test_it_rejects_back_to_the_unit_under_the_original_deadline(self):
        ticket = self.replied_ticket()
        self.move_to(local(2026, 3, 16, 15, 0))  # the last working day of the period
        workflow.review_reply(ticket, by=self.manager, approve=False, note="未联系服务对象")
        stored = self.reload(ticket)
        # Art. 16: no fresh period; the clock that ran from signing still ends at 24:00 on Monday 16 March.
        assert (stored.status, stored.handling_due, stored.resolved_at) == (Status.IN_PROGRESS, HANDLING_DUE, None)
        assert ticket.replies.get().state == ReviewState.REJECTED
        self.assert_event(ticket, 4, action=Action.REVIEW_REPLY, actor=self.manager, unit=self.manager.unit,
                          frm=Status.REPLIED, to=Status.IN_PROGRESS, article="第十六条")
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=local(2026, 3, 16, 14, 0),
                       process="补充联系", result="已修复并告知", contact_note="电话告知", contacted=True)
        assert self.reload(ticket).status == Status.REPLIED

    def test_it_refuses_a_rejection_without_a_reason(self):
        self.assert_refused(InvalidInput, workflow.review_reply, self.replied_ticket(), by=self.reviewer,
                            approve=False, field="note")

    def test_it_refuses_everyone_but_reviewers_and_managers(self):
        ticket = self.replied_ticket()
        for person in (self.operator, self.dispatcher, self.followup, self.unit_a_handler):
            self.assert_refused(Forbidden, workflow.review_reply, ticket, by=person, approve=True)

    def test_it_refuses_a_ticket_without_a_pending_reply(self):
        self.assert_refused(TransitionNotAllowed, workflow.review_reply, self.signed_ticket(), by=self.reviewer,
                            approve=True, code="no_pending_reply")
        self.assert_refused(TransitionNotAllowed, workflow.review_reply, self.resolved_ticket(), by=self.reviewer,
                            approve=True)
