"""review_extension: approved moves the deadline and tells the requester; rejected, the unit carries on (Art. 14)."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, ReviewState, Status
from hotline.tickets.models import Outbox
from tests.base import local
from tests.tickets.support import WorkflowTestCase

HANDLING_DUE = local(2026, 3, 17)


class TestReviewExtension(WorkflowTestCase):
    def asked(self, days=5):
        ticket = self.signed_ticket()
        er = workflow.request_extension(ticket, by=self.unit_a_handler, working_days=days, reason="需协调")
        return ticket, er

    def test_it_approves_n_more_working_days_after_the_old_deadline_and_queues_the_sms(self):
        ticket, er = self.asked(days=5)
        workflow.review_extension(ticket, by=self.reviewer, approve=True, note="同意")
        stored = self.reload(ticket)
        # Old period ends Monday 16 March; five more working days end Monday 23 March at 24:00.
        assert (stored.handling_due, stored.extension_count, stored.status) == (local(2026, 3, 24), 1,
                                                                                 Status.IN_PROGRESS)
        er.refresh_from_db()
        assert (er.state, er.new_due, er.reviewed_by) == (ReviewState.APPROVED, local(2026, 3, 24), self.reviewer)
        sms = Outbox.objects.get(kind="sms.extension")
        assert sms.payload["ticket"] == ticket.number and sms.payload["new_due"] == local(2026, 3, 24).isoformat()
        self.assert_event(ticket, 4, action=Action.REVIEW_EXTENSION, actor=self.reviewer, unit=self.reviewer.unit,
                          frm=Status.IN_PROGRESS, to=Status.IN_PROGRESS, article="第十四条")

    def test_it_allows_at_most_ten_working_days(self):
        ticket, _er = self.asked(days=10)
        workflow.review_extension(ticket, by=self.manager, approve=True)
        assert self.reload(ticket).handling_due == local(2026, 3, 31)

    def test_it_rejects_with_the_deadline_untouched(self):
        ticket, er = self.asked()
        workflow.review_extension(ticket, by=self.reviewer, approve=False, note="理由不足")
        stored = self.reload(ticket)
        assert (stored.handling_due, stored.extension_count) == (HANDLING_DUE, 0)
        er.refresh_from_db()
        assert er.state == ReviewState.REJECTED
        assert not Outbox.objects.filter(kind="sms.extension").exists()

    def test_it_reviews_a_request_left_pending_when_the_unit_replied(self):
        ticket, _er = self.asked()
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=local(2026, 3, 9, 10),
                       process="处理", result="已处理", contact_note="电话告知", contacted=True)
        workflow.review_extension(ticket, by=self.reviewer, approve=True)
        self.assert_event(ticket, 5, action=Action.REVIEW_EXTENSION, actor=self.reviewer, unit=self.reviewer.unit,
                          frm=Status.REPLIED, to=Status.REPLIED, article="第十四条")

    def test_it_drops_a_pending_request_when_the_reply_is_approved_so_it_cannot_move_a_rework(self):
        ticket, er = self.asked()
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=local(2026, 3, 9, 10),
                       process="处理", result="已处理", contact_note="电话告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="1",
                           solved=False, unit_contacted=False, fault="unit")
        self.assert_refused(TransitionNotAllowed, workflow.review_extension, ticket, by=self.reviewer, approve=True,
                            code="no_pending_extension")
        er.refresh_from_db()
        assert er.state == ReviewState.REJECTED

    def test_it_refuses_a_rejection_without_a_reason(self):
        ticket, _er = self.asked()
        self.assert_refused(InvalidInput, workflow.review_extension, ticket, by=self.reviewer, approve=False,
                            field="note")

    def test_it_refuses_everyone_but_reviewers_and_managers(self):
        ticket, _er = self.asked()
        for person in (self.dispatcher, self.followup, self.unit_a_handler, self.unit_a_manager):
            self.assert_refused(Forbidden, workflow.review_extension, ticket, by=person, approve=True)

    def test_it_refuses_when_nothing_is_pending(self):
        self.assert_refused(TransitionNotAllowed, workflow.review_extension, self.signed_ticket(), by=self.reviewer,
                            approve=True, code="no_pending_extension")
