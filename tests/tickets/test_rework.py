"""rework: dissatisfied through the unit's fault goes back to the lead unit for 5 working days (Art. 17). The call
does it itself (tests/tickets/test_follow_up.py); `rework` is what a reviewer uses on a call recorded before that."""

from hotline.lib.errors import Forbidden, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import FollowUp
from tests.base import local
from tests.tickets.support import WorkflowTestCase


class TestRework(WorkflowTestCase):
    def at_fault(self):
        """A resolved ticket with an at-fault call recorded the old way (left resolved, as data migrated from it)."""
        ticket = self.resolved_ticket()
        FollowUp.objects.create(ticket=ticket, agent=self.followup, at=local(2026, 3, 9, 11), reached=True,
                                satisfaction="1", solved=False, unit_contacted=False, fault="unit",
                                unit_at_fault=True)
        return ticket

    def test_it_reopens_with_a_five_working_day_rework_clock(self):
        ticket = self.at_fault()
        self.move_to(local(2026, 3, 13, 16, 0))  # Friday
        workflow.rework(ticket, by=self.followup, note="未解决")
        stored = self.reload(ticket)
        assert (stored.status, stored.rework_count, stored.resolved_at) == (Status.IN_PROGRESS, 1, None)
        assert stored.rework_due == local(2026, 3, 21)  # 24:00 on Friday 20 March
        assert stored.lead_unit == self.unit_a
        event = self.assert_event(ticket, 5, action=Action.REWORK, actor=self.followup, unit=self.followup.unit,
                                  frm=Status.RESOLVED, to=Status.IN_PROGRESS, article="第十七条")
        assert event.data == {"follow_up": ticket.follow_ups.get().pk}

    def test_it_lets_a_reviewer_send_it_back_too(self):
        workflow.rework(self.at_fault(), by=self.reviewer)

    def test_it_refuses_without_a_follow_up_or_after_one_not_at_fault(self):
        ticket = self.resolved_ticket()
        self.assert_refused(TransitionNotAllowed, workflow.rework, ticket, by=self.followup,
                            code="rework_not_justified")
        workflow.follow_up(ticket, by=self.followup, reached=False)
        self.assert_refused(TransitionNotAllowed, workflow.rework, ticket, by=self.followup,
                            code="rework_not_justified")

    def test_it_refuses_a_second_rework_on_the_same_follow_up(self):
        ticket = self.resolved_ticket()
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="1", solved=False,
                           unit_contacted=False, fault="unit")
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=local(2026, 3, 9, 10),
                       process="重新处理", result="已修复", contact_note="上门告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        # The at-fault call was about the first resolution; the second one has not been followed up yet.
        self.assert_refused(TransitionNotAllowed, workflow.rework, ticket, by=self.followup,
                            code="rework_not_justified")

    def test_it_refuses_operators_and_units(self):
        ticket = self.at_fault()
        for person in (self.operator, self.dispatcher, self.unit_a_handler):
            self.assert_refused(Forbidden, workflow.rework, ticket, by=person)

    def test_it_refuses_a_ticket_that_is_not_resolved(self):
        ticket = self.at_fault()
        workflow.rework(ticket, by=self.followup)
        self.assert_refused(TransitionNotAllowed, workflow.rework, ticket, by=self.followup)
