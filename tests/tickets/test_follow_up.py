"""follow_up: the call after resolution (Art. 17): satisfaction on five levels, solved, whether and how the unit
contacted the requester (asked, never assumed) and whose fault a dissatisfied answer is; the unit's fault sends the
ticket back for rework in the same step; three unanswered calls file the ticket as unreached."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, FollowUpChannel, Status
from hotline.tickets.models import Event
from tests.base import local
from tests.tickets.support import MONDAY, WorkflowTestCase

SATISFIED = {"reached": True, "satisfaction": "4", "solved": True, "unit_contacted": True,
             "unit_contact_method": "phone"}
AT_FAULT = {"reached": True, "satisfaction": "2", "solved": False, "unit_contacted": False, "fault": "unit"}


def call(ticket, by, **fields):
    return workflow.follow_up(ticket, by=by, **fields)


class TestFollowUp(WorkflowTestCase):
    def test_it_closes_a_satisfied_ticket(self):
        ticket = self.resolved_ticket()
        fu = call(ticket, self.followup, **SATISFIED, note="满意")
        assert (fu.satisfaction, fu.solved, fu.unit_contacted, fu.unit_contact_method, fu.agent, fu.requester) == (
            "4", True, True, "phone", self.followup, ticket.requester)
        assert (fu.channel, fu.fault, fu.appeal_due) == (FollowUpChannel.CALL, "", None)
        stored = self.reload(ticket)
        assert (stored.status, stored.closed_at) == (Status.CLOSED, MONDAY)
        self.assert_event(ticket, 5, action=Action.FOLLOW_UP, actor=self.followup, unit=self.followup.unit,
                          frm=Status.RESOLVED, to=Status.CLOSED, article="第十七条")

    def test_it_closes_a_dissatisfied_ticket_that_was_not_the_units_fault(self):
        for fault in ("policy", "requester", "objective"):
            ticket = self.resolved_ticket()
            fu = call(ticket, self.manager, **{**AT_FAULT, "fault": fault})
            assert (fu.fault, fu.unit_at_fault) == (fault, False)
            assert self.reload(ticket).status == Status.CLOSED

    def test_it_sends_the_ticket_back_for_rework_in_the_same_step_with_one_event_each(self):
        ticket = self.resolved_ticket()
        self.move_to(local(2026, 3, 13, 16, 0))  # Friday
        fu = call(ticket, self.followup, **AT_FAULT, note="承办单位未联系，路灯仍不亮")
        stored = self.reload(ticket)
        assert (stored.status, stored.rework_count, stored.resolved_at) == (Status.IN_PROGRESS, 1, None)
        assert stored.rework_due == local(2026, 3, 21)  # Art. 17: 5 working days, 24:00 on Friday 20 March
        events = list(Event.objects.filter(ticket=ticket).order_by("id"))[-2:]
        assert [(e.action, e.from_status, e.to_status, e.article, e.actor) for e in events] == [
            (Action.FOLLOW_UP, Status.RESOLVED, Status.RESOLVED, "第十七条", self.followup),
            (Action.REWORK, Status.RESOLVED, Status.IN_PROGRESS, "第十七条", self.followup)]
        assert events[1].data == {"follow_up": fu.pk}
        assert self.events(ticket) == 7

    def test_it_writes_the_shape_statistics_and_supervision_read_from_every_follow_up_event(self):
        ticket = self.resolved_ticket()
        fu = call(ticket, self.followup, **AT_FAULT)
        event = ticket.events.get(action=Action.FOLLOW_UP)
        assert event.data == {"follow_up": fu.pk, "channel": "call", "reached": True, "satisfaction": "2",
                              "solved": False, "unit_contacted": False, "fault": "unit", "unit_at_fault": True}

    def test_it_opens_the_units_appeal_window_on_a_dissatisfied_answer(self):
        ticket = self.resolved_ticket()
        fu = call(ticket, self.followup, **{**AT_FAULT, "fault": "policy"})
        assert fu.appeal_due == local(2026, 3, 13)  # Art. 25: 3 working days after Monday 9 March

    def test_it_refuses_an_unanswered_question_about_the_units_contact(self):
        ticket = self.resolved_ticket()
        self.assert_refused(InvalidInput, call, ticket, self.followup, **{**SATISFIED, "unit_contacted": None},
                            field="unit_contacted", code="required")
        self.assert_refused(InvalidInput, call, ticket, self.followup,
                            **{**SATISFIED, "unit_contact_method": ""}, field="unit_contact_method")
        self.assert_refused(InvalidInput, call, ticket, self.followup, **{**SATISFIED, "solved": None},
                            field="solved")

    def test_it_refuses_a_dissatisfied_answer_without_its_fault(self):
        ticket = self.resolved_ticket()
        self.assert_refused(InvalidInput, call, ticket, self.followup, **{**AT_FAULT, "fault": ""}, field="fault")

    def test_it_ignores_fault_on_a_satisfied_answer(self):
        ticket = self.resolved_ticket()
        fu = call(ticket, self.followup, **{**SATISFIED, "satisfaction": "3", "fault": "unit"})
        assert (fu.fault, fu.unit_at_fault) == ("", False)
        assert self.reload(ticket).status == Status.CLOSED

    def test_it_files_the_ticket_after_the_third_unanswered_call(self):
        ticket = self.resolved_ticket()
        fu = call(ticket, self.followup, reached=False)
        assert (fu.satisfaction, fu.solved, fu.unit_contacted) == ("", None, None)
        call(ticket, self.followup, reached=False)
        assert self.reload(ticket).status == Status.RESOLVED
        call(ticket, self.followup, reached=False)
        assert self.reload(ticket).status == Status.CLOSED

    def test_it_restarts_the_three_calls_after_a_rework(self):
        ticket = self.resolved_ticket()
        call(ticket, self.followup, reached=False)
        call(ticket, self.followup, reached=False)
        call(ticket, self.followup, **AT_FAULT)
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=MONDAY, process="重新处理",
                       result="已修复", contact_note="上门告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        call(ticket, self.followup, reached=False)
        # Only one unanswered call about this resolution: the earlier two were about the first one.
        assert self.reload(ticket).status == Status.RESOLVED

    def test_it_refuses_a_reached_call_without_a_five_level_satisfaction(self):
        ticket = self.resolved_ticket()
        for value in ("", "6", "satisfied"):
            self.assert_refused(InvalidInput, call, ticket, self.followup, **{**SATISFIED, "satisfaction": value},
                                field="satisfaction")

    def test_it_refuses_other_roles(self):
        ticket = self.resolved_ticket()
        for person in (self.operator, self.reviewer, self.unit_a_handler):
            self.assert_refused(Forbidden, call, ticket, person, **SATISFIED)

    def test_it_refuses_a_ticket_that_is_not_resolved(self):
        self.assert_refused(TransitionNotAllowed, call, self.replied_ticket(), self.followup, **SATISFIED)

    def test_it_refuses_a_closed_ticket(self):
        ticket = self.resolved_ticket()
        call(ticket, self.followup, **SATISFIED)
        self.assert_refused(TransitionNotAllowed, call, self.reload(ticket), self.followup, **SATISFIED)
