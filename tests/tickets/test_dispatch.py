"""dispatch: one lead unit and optional assisting units; the 1-working-day signing clock starts (Art. 12, 13)."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, AssignmentRole, Status
from tests.base import local
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestDispatch(WorkflowTestCase):
    def test_it_sends_to_a_lead_and_assisting_units_with_the_signing_clock_at_one_working_day(self):
        ticket = self.new_ticket()
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])
        stored = self.reload(ticket)
        assert (stored.status, stored.lead_unit, stored.dispatched_at) == (Status.DISPATCHED, self.unit_a, MONDAY)
        assert stored.sign_due == local(2026, 3, 11)  # 24:00 on Tuesday, the next working day
        assert stored.arrival_due is None
        roles = set(ticket.assignments.filter(is_active=True).values_list("unit__code", "role"))
        assert roles == {("cgzf", AssignmentRole.LEAD), ("zjj", AssignmentRole.ASSIST)}
        event = self.assert_event(ticket, 1, action=Action.DISPATCH, actor=self.dispatcher, unit=self.dispatcher.unit,
                                  frm=Status.PENDING_DISPATCH, to=Status.DISPATCHED, article="第十三条")
        assert event.data == {"lead_unit": "cgzf", "assisting_units": ["zjj"],
                              **self.against(ticket.dispatch_due, False)}

    def test_it_counts_the_signing_day_over_the_weekend(self):
        self.move_to(local(2026, 3, 13, 16, 0))  # Friday
        ticket = self.dispatched_ticket()
        assert self.reload(ticket).sign_due == local(2026, 3, 17)  # 24:00 on Monday

    def test_it_skips_holidays_and_counts_make_up_working_days(self):
        self.move_to(local(2025, 9, 30, 10, 0))  # National Day runs 1-8 October 2025
        ticket = self.dispatched_ticket()
        assert self.reload(ticket).sign_due == local(2025, 10, 10)  # 24:00 on Thursday 9 October

    def test_it_starts_the_one_hour_arrival_clock_for_noise(self):
        ticket = self.dispatched_ticket(topic=self.topic_noise)
        assert self.reload(ticket).arrival_due == local(2026, 3, 9, 11, 0)

    def test_it_dispatches_a_consultation_the_unit_could_not_answer(self):
        ticket = workflow.consult(self.new_ticket(), by=self.operator, unit=self.unit_b)
        workflow.dispatch(ticket, by=self.manager, lead_unit=self.unit_b)
        self.assert_event(ticket, 2, action=Action.DISPATCH, actor=self.manager, unit=self.manager.unit,
                          frm=Status.CONSULTING, to=Status.DISPATCHED, article="第十三条")

    def test_it_refuses_operators_reviewers_and_unit_staff(self):
        ticket = self.new_ticket()
        for person in (self.operator, self.reviewer, self.unit_a_handler, self.unit_a_manager):
            self.assert_refused(Forbidden, workflow.dispatch, ticket, by=person, lead_unit=self.unit_a)

    def test_it_refuses_the_hotline_an_inactive_unit_or_a_lead_that_also_assists(self):
        ticket = self.new_ticket()
        self.assert_refused(InvalidInput, workflow.dispatch, ticket, by=self.dispatcher, lead_unit=self.hotline,
                            field="lead_unit")
        self.assert_refused(InvalidInput, workflow.dispatch, ticket, by=self.dispatcher, lead_unit=self.unit_a,
                            assisting_units=[self.hotline], field="assisting_units")
        self.assert_refused(InvalidInput, workflow.dispatch, ticket, by=self.dispatcher, lead_unit=self.unit_a,
                            assisting_units=[self.unit_a], field="assisting_units", code="lead_also_assisting")
        self.unit_b.is_active = False
        self.unit_b.save()
        self.assert_refused(InvalidInput, workflow.dispatch, ticket, by=self.dispatcher, lead_unit=self.unit_b,
                            field="lead_unit")
        assert not ticket.assignments.exists()

    def test_it_refuses_to_dispatch_twice(self):
        ticket = self.dispatched_ticket()
        self.assert_refused(TransitionNotAllowed, workflow.dispatch, ticket, by=self.dispatcher, lead_unit=self.unit_b)
        assert ticket.assignments.count() == 1
