"""decline: not accepted for one of the ten reasons of Art. 10, with the explanation told to the requester."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestDecline(WorkflowTestCase):
    def test_it_declines_with_the_reason_code_and_cites_its_item_of_article_ten(self):
        ticket = self.new_ticket()
        workflow.decline(ticket, by=self.operator, reason_code="9", explanation="骚扰电话，已告知")
        stored = self.reload(ticket)
        assert (stored.status, stored.decline_reason, stored.explanation) == (Status.DECLINED, "9", "骚扰电话，已告知")
        assert stored.closed_at == MONDAY
        event = self.assert_event(ticket, 1, action=Action.DECLINE, actor=self.operator, unit=self.operator.unit,
                                  frm=Status.PENDING_DISPATCH, to=Status.DECLINED, article="第十条第九项")
        assert event.reason == "骚扰电话，已告知"

    def test_it_cites_item_ten_for_other_reasons(self):
        ticket = self.new_ticket()
        workflow.decline(ticket, by=self.manager, reason_code="10", explanation="其它")
        assert ticket.events.last().article == "第十条第十项"

    def test_it_refuses_roles_that_do_not_take_calls(self):
        ticket = self.new_ticket()
        for person in (self.reviewer, self.followup, self.supervisor, self.unit_a_handler):
            self.assert_refused(Forbidden, workflow.decline, ticket, by=person, reason_code="1", explanation="x")

    def test_it_refuses_a_reason_outside_article_ten_and_a_missing_explanation(self):
        ticket = self.new_ticket()
        self.assert_refused(InvalidInput, workflow.decline, ticket, by=self.operator, reason_code="11",
                            explanation="x", field="reason_code")
        self.assert_refused(InvalidInput, workflow.decline, ticket, by=self.operator, reason_code="1",
                            explanation="  ", field="explanation")

    def test_it_refuses_a_ticket_already_dispatched(self):
        ticket = self.dispatched_ticket()
        self.assert_refused(TransitionNotAllowed, workflow.decline, ticket, by=self.operator, reason_code="1",
                            explanation="x")
