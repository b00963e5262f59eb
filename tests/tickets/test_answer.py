"""answer: answered on the spot from the knowledge base, or after consulting a unit (Art. 12.1, 14.1)."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestAnswer(WorkflowTestCase):
    def test_it_answers_a_new_ticket_from_the_knowledge_base(self):
        ticket = self.new_ticket(request_type="consultation")
        workflow.answer(ticket, by=self.operator, text="办理时间为工作日9点至17点", article_ref="KB-12")
        stored = self.reload(ticket)
        assert (stored.status, stored.closed_at) == (Status.ANSWERED, MONDAY)
        assert stored.answer == "办理时间为工作日9点至17点"
        event = self.assert_event(ticket, 1, action=Action.ANSWER, actor=self.operator, unit=self.operator.unit,
                                  frm=Status.PENDING_DISPATCH, to=Status.ANSWERED, article="第十二条第一项")
        assert event.data == {"knowledge_article": "KB-12"}

    def test_it_answers_after_consulting_a_unit(self):
        ticket = workflow.consult(self.new_ticket(), by=self.operator, unit=self.unit_a)
        workflow.answer(ticket, by=self.dispatcher, text="经咨询城管局答复如下")
        self.assert_event(ticket, 2, action=Action.ANSWER, actor=self.dispatcher, unit=self.dispatcher.unit,
                          frm=Status.CONSULTING, to=Status.ANSWERED, article="第十二条第一项")

    def test_it_refuses_reviewers_and_unit_staff(self):
        ticket = self.new_ticket()
        for person in (self.reviewer, self.unit_a_handler, self.unit_b_handler):
            self.assert_refused(Forbidden, workflow.answer, ticket, by=person, text="答复")

    def test_it_refuses_an_empty_answer(self):
        self.assert_refused(InvalidInput, workflow.answer, self.new_ticket(), by=self.operator, text=" ",
                            field="answer")

    def test_it_refuses_a_dispatched_ticket(self):
        self.assert_refused(TransitionNotAllowed, workflow.answer, self.dispatched_ticket(), by=self.operator,
                            text="答复")
