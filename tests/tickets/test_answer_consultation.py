"""answer_consultation: the consulted unit answers the hotline's question, which reaches the operator (Art. 12(1))."""

import pytest

from hotline.lib.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.access import access_ticket
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import ConsultationAnswer, Ticket
from hotline.tickets.selectors import DESK_QUEUES, INBOX_QUEUES, Scope
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestAnswerConsultation(WorkflowTestCase):
    def consulting(self):
        ticket = self.new_ticket(request_type="consultation", content="公租房申请需要哪些材料")
        return workflow.consult(ticket, by=self.operator, unit=self.unit_b, note="请答复申请材料清单")

    def test_the_consulted_unit_sees_the_ticket_and_has_it_in_its_consultation_tab(self):
        ticket = self.consulting()
        assert access_ticket(self.unit_b_handler, ticket.number) == ticket
        queue = {q.key: q for q in INBOX_QUEUES}["consult"]
        assert list(queue.select(Scope.of(self.unit_b_handler).tickets(), MONDAY)) == [ticket]
        with pytest.raises(NotFound):
            access_ticket(self.unit_a_handler, ticket.number)

    def test_it_records_the_answer_with_one_event_and_keeps_the_ticket_consulting(self):
        ticket = self.consulting()
        answer = workflow.answer_consultation(ticket, by=self.unit_b_handler, text="身份证、户口簿和收入证明")
        assert (answer.unit, answer.text, answer.answered_by) == (self.unit_b, "身份证、户口簿和收入证明",
                                                                  self.unit_b_handler)
        assert self.reload(ticket).status == Status.CONSULTING
        event = ticket.events.order_by("-seq").first()
        assert (event.action, event.article, event.actor_unit) == (Action.CONSULT_REPLY, "第十二条第一项", self.unit_b)
        assert event.data["late"] is False
        assert workflow.consultation_answered(self.reload(ticket)) == answer
        desk = {q.key: q for q in DESK_QUEUES}["consulted"]
        assert list(desk.select(Scope.of(self.operator).tickets(), MONDAY)) == [self.reload(ticket)]
        inbox = {q.key: q for q in INBOX_QUEUES}["consult"]
        assert list(inbox.select(Scope.of(self.unit_b_handler).tickets(), MONDAY)) == []

    def test_the_operator_then_answers_the_requester(self):
        ticket = self.consulting()
        workflow.answer_consultation(ticket, by=self.unit_b_handler, text="身份证、户口簿和收入证明")
        workflow.answer(self.reload(ticket), by=self.operator, text="已三方通话告知：身份证、户口簿和收入证明")
        assert self.reload(ticket).status == Status.ANSWERED

    def test_it_refuses_another_unit_and_hotline_staff(self):
        ticket = self.consulting()
        with pytest.raises(Forbidden):
            workflow.answer_consultation(ticket, by=self.unit_a_handler, text="答复")
        with pytest.raises(Forbidden):
            workflow.answer_consultation(ticket, by=self.operator, text="答复")

    def test_it_refuses_an_empty_answer_and_a_second_answer(self):
        ticket = self.consulting()
        with pytest.raises(InvalidInput):
            workflow.answer_consultation(ticket, by=self.unit_b_handler, text="  ")
        workflow.answer_consultation(ticket, by=self.unit_b_handler, text="答复一")
        with pytest.raises(TransitionNotAllowed):
            workflow.answer_consultation(self.reload(ticket), by=self.unit_b_handler, text="答复二")
        assert ConsultationAnswer.objects.filter(ticket=ticket).count() == 1

    def test_of_two_answers_at_once_one_wins_and_the_other_gets_a_conflict(self):
        ticket = self.consulting()
        first, second = Ticket.objects.get(pk=ticket.pk), Ticket.objects.get(pk=ticket.pk)
        workflow.answer_consultation(first, by=self.unit_b_handler, text="答复一")
        # The second read the ticket before the first answered: refused with a conflict (409), nothing written.
        with pytest.raises(Conflict) as refused:
            workflow.answer_consultation(second, by=self.unit_b_handler, text="答复二")
        assert refused.value.status == 409
        assert list(ConsultationAnswer.objects.filter(ticket=ticket).values_list("text", flat=True)) == ["答复一"]
