"""consult: ask a unit with the requester's consent and answer within 24 clock hours (Art. 12.1)."""

import datetime as dt

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestConsult(WorkflowTestCase):
    def test_it_starts_the_24_hour_consultation_clock(self):
        ticket = self.new_ticket(request_type="consultation")
        workflow.consult(ticket, by=self.operator, unit=self.unit_b, note="征得同意")
        stored = self.reload(ticket)
        assert (stored.status, stored.consult_unit) == (Status.CONSULTING, self.unit_b)
        assert stored.consult_due == MONDAY + dt.timedelta(hours=24)
        self.assert_event(ticket, 1, action=Action.CONSULT, actor=self.operator, unit=self.operator.unit,
                          frm=Status.PENDING_DISPATCH, to=Status.CONSULTING, article="第十二条第一项")

    def test_it_counts_clock_hours_over_a_weekend(self):
        self.move_to(MONDAY + dt.timedelta(days=4, hours=8))  # Friday 18:00
        ticket = workflow.consult(self.new_ticket(), by=self.operator, unit=self.unit_b)
        assert self.reload(ticket).consult_due == MONDAY + dt.timedelta(days=5, hours=8)

    def test_it_refuses_unit_staff_and_reviewers(self):
        ticket = self.new_ticket()
        for person in (self.unit_a_handler, self.reviewer):
            self.assert_refused(Forbidden, workflow.consult, ticket, by=person, unit=self.unit_a)

    def test_it_refuses_the_hotline_itself_or_an_inactive_unit(self):
        ticket = self.new_ticket()
        self.assert_refused(InvalidInput, workflow.consult, ticket, by=self.operator, unit=self.hotline, field="unit")
        self.unit_c.is_active = False
        self.unit_c.save()
        self.assert_refused(InvalidInput, workflow.consult, ticket, by=self.operator, unit=self.unit_c, field="unit")

    def test_it_refuses_to_consult_twice(self):
        ticket = workflow.consult(self.new_ticket(), by=self.operator, unit=self.unit_a)
        self.assert_refused(TransitionNotAllowed, workflow.consult, ticket, by=self.operator, unit=self.unit_b)
