"""request_extension: asked once, before the handling deadline, for at most 10 working days (Art. 14)."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, ReviewState, Status
from hotline.tickets.models import ExtensionRequest
from tests.base import local
from tests.tickets.support import MINUTE, WorkflowTestCase

HANDLING_DUE = local(2026, 3, 17)  # signed Monday 10:00, 5 working days: 24:00 on the following Monday


def ask(ticket, by, days=5, reason="需多部门协调"):
    return workflow.request_extension(ticket, by=by, working_days=days, reason=reason)


class TestRequestExtension(WorkflowTestCase):
    def test_it_records_a_pending_request_a_minute_before_the_deadline(self):
        ticket = self.signed_ticket()
        self.move_to(HANDLING_DUE - MINUTE)
        er = ask(ticket, self.unit_a_handler, days=10)
        assert (er.state, er.working_days, er.old_due, er.unit) == (ReviewState.PENDING, 10, HANDLING_DUE,
                                                                    self.unit_a)
        stored = self.reload(ticket)
        assert (stored.status, stored.handling_due, stored.extension_count) == (Status.IN_PROGRESS, HANDLING_DUE, 0)
        event = self.assert_event(ticket, 3, action=Action.REQUEST_EXTENSION, actor=self.unit_a_handler,
                                  unit=self.unit_a, frm=Status.IN_PROGRESS, to=Status.IN_PROGRESS, article="第十四条")
        assert event.data == {"extension_request": er.pk, "working_days": 10}

    def test_it_refuses_a_minute_after_the_deadline(self):
        ticket = self.signed_ticket()
        self.move_to(HANDLING_DUE + MINUTE)
        self.assert_refused(TransitionNotAllowed, ask, ticket, self.unit_a_handler, code="deadline_passed")

    def test_it_refuses_more_than_ten_working_days_and_other_nonsense(self):
        ticket = self.signed_ticket()
        for days in (0, 11, -1, True, "3", 2.5):
            self.assert_refused(InvalidInput, ask, ticket, self.unit_a_handler, days=days, field="working_days")
        self.assert_refused(InvalidInput, ask, ticket, self.unit_a_handler, reason="  ", field="reason")

    def test_it_refuses_a_second_request_while_one_is_pending_or_after_one_was_approved(self):
        ticket = self.signed_ticket()
        ask(ticket, self.unit_a_handler)
        self.assert_refused(TransitionNotAllowed, ask, ticket, self.unit_a_handler, code="extension_used")
        workflow.review_extension(ticket, by=self.reviewer, approve=True)
        self.assert_refused(TransitionNotAllowed, ask, ticket, self.unit_a_handler, days=1, code="extension_used")

    def test_it_allows_asking_again_after_a_rejection(self):
        ticket = self.signed_ticket()
        ask(ticket, self.unit_a_handler)
        workflow.review_extension(ticket, by=self.reviewer, approve=False, note="理由不足")
        ask(ticket, self.unit_a_handler, days=3, reason="补充理由")
        assert ExtensionRequest.objects.filter(ticket=ticket, state=ReviewState.PENDING).count() == 1

    def test_it_refuses_another_unit_an_assisting_unit_and_hotline_staff(self):
        ticket = self.new_ticket()
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])
        workflow.sign(ticket, by=self.unit_a_handler)
        for person in (self.unit_b_handler, self.unit_c_handler, self.reviewer, self.manager):
            self.assert_refused(Forbidden, ask, ticket, person)

    def test_it_refuses_a_replied_ticket_and_keeps_no_request(self):
        ticket = self.replied_ticket()
        self.assert_refused(TransitionNotAllowed, ask, ticket, self.unit_a_handler)
        assert not ExtensionRequest.objects.exists()

    def test_it_extends_the_rework_deadline_during_rework(self):
        ticket = self.resolved_ticket()
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="2",
                           solved=False, unit_contacted=False, fault="unit")
        er = ask(ticket, self.unit_a_handler, days=2)
        assert er.old_due == self.reload(ticket).rework_due == local(2026, 3, 17)
