"""follow_up: the call after resolution (Art. 17): satisfaction on five levels; dissatisfied through the unit's fault
waits for rework; three unanswered calls file the ticket as unreached."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from tests.tickets.support import MONDAY, WorkflowTestCase


def call(ticket, by, **fields):
    return workflow.follow_up(ticket, by=by, **fields)


class TestFollowUp(WorkflowTestCase):
    def test_it_closes_a_satisfied_ticket(self):
        ticket = self.resolved_ticket()
        fu = call(ticket, self.followup, reached=True, satisfaction="4", unit_contacted=True, note="满意")
        assert (fu.satisfaction, fu.unit_contacted, fu.agent, fu.requester) == ("4", True, self.followup,
                                                                                ticket.requester)
        stored = self.reload(ticket)
        assert (stored.status, stored.closed_at) == (Status.CLOSED, MONDAY)
        self.assert_event(ticket, 5, action=Action.FOLLOW_UP, actor=self.followup, unit=self.followup.unit,
                          frm=Status.RESOLVED, to=Status.CLOSED, article="第十七条")

    def test_it_closes_a_dissatisfied_ticket_that_was_not_the_units_fault(self):
        ticket = self.resolved_ticket()
        call(ticket, self.manager, reached=True, satisfaction="1", unit_at_fault=False)
        assert self.reload(ticket).status == Status.CLOSED

    def test_it_keeps_a_dissatisfied_ticket_through_the_units_fault_resolved_for_rework(self):
        ticket = self.resolved_ticket()
        fu = call(ticket, self.followup, reached=True, satisfaction="2", unit_at_fault=True)
        assert fu.unit_at_fault is True
        stored = self.reload(ticket)
        assert (stored.status, stored.closed_at) == (Status.RESOLVED, None)
        self.assert_event(ticket, 5, action=Action.FOLLOW_UP, actor=self.followup, unit=self.followup.unit,
                          frm=Status.RESOLVED, to=Status.RESOLVED, article="第十七条")

    def test_it_ignores_fault_on_a_satisfied_answer(self):
        ticket = self.resolved_ticket()
        fu = call(ticket, self.followup, reached=True, satisfaction="3", unit_at_fault=True)
        assert fu.unit_at_fault is False
        assert self.reload(ticket).status == Status.CLOSED

    def test_it_files_the_ticket_after_the_third_unanswered_call(self):
        ticket = self.resolved_ticket()
        call(ticket, self.followup, reached=False)
        call(ticket, self.followup, reached=False)
        assert self.reload(ticket).status == Status.RESOLVED
        call(ticket, self.followup, reached=False)
        assert self.reload(ticket).status == Status.CLOSED

    def test_it_restarts_the_three_calls_after_a_rework(self):
        ticket = self.resolved_ticket()
        call(ticket, self.followup, reached=False)
        call(ticket, self.followup, reached=False)
        call(ticket, self.followup, reached=True, satisfaction="1", unit_at_fault=True)
        workflow.rework(ticket, by=self.followup)
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=MONDAY, process="重新处理",
                       result="已修复", contact_note="上门告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        call(ticket, self.followup, reached=False)
        # Only one unanswered call about this resolution: the earlier two were about the first one.
        assert self.reload(ticket).status == Status.RESOLVED

    def test_it_refuses_a_reached_call_without_a_five_level_satisfaction(self):
        ticket = self.resolved_ticket()
        for value in ("", "6", "satisfied"):
            self.assert_refused(InvalidInput, call, ticket, self.followup, reached=True, satisfaction=value,
                                field="satisfaction")

    def test_it_refuses_other_roles(self):
        ticket = self.resolved_ticket()
        for person in (self.operator, self.reviewer, self.unit_a_handler):
            self.assert_refused(Forbidden, call, ticket, person, reached=True, satisfaction="5")

    def test_it_refuses_a_ticket_that_is_not_resolved(self):
        self.assert_refused(TransitionNotAllowed, call, self.replied_ticket(), self.followup, reached=True,
                            satisfaction="5")
