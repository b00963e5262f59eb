"""record_arrival: on site (or remote handling) within 1 hour of dispatch for fumes and noise (Art. 20)."""

import datetime as dt

from hotline.lib.errors import Forbidden, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from tests.tickets.support import MINUTE, MONDAY, WorkflowTestCase

ARRIVAL_DUE = MONDAY + dt.timedelta(hours=1)


class TestArrival(WorkflowTestCase):
    def noise(self):
        ticket = self.new_ticket(topic=self.topic_noise)
        return workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])

    def test_it_records_an_arrival_a_minute_before_the_hour_as_on_time(self):
        ticket = self.noise()
        self.move_to(ARRIVAL_DUE - MINUTE)
        workflow.record_arrival(ticket, by=self.unit_a_handler, note="已到场")
        stored = self.reload(ticket)
        assert (stored.status, stored.arrived_at) == (Status.DISPATCHED, ARRIVAL_DUE - MINUTE)
        event = self.assert_event(ticket, 2, action=Action.ARRIVE, actor=self.unit_a_handler, unit=self.unit_a,
                                  frm=Status.DISPATCHED, to=Status.DISPATCHED, article="第二十条")
        assert event.data == {"remote": False, **self.against(ticket.arrival_due, False)}

    def test_it_marks_an_arrival_a_minute_after_the_hour_as_late(self):
        ticket = self.noise()
        self.move_to(ARRIVAL_DUE + MINUTE)
        workflow.record_arrival(ticket, by=self.unit_a_handler, remote=True)
        assert ticket.events.last().data == {"remote": True, **self.against(ticket.arrival_due, True)}

    def test_it_lets_an_assisting_unit_record_the_arrival(self):
        ticket = self.noise()
        workflow.record_arrival(ticket, by=self.unit_b_handler)
        self.assert_event(ticket, 2, action=Action.ARRIVE, actor=self.unit_b_handler, unit=self.unit_b,
                          frm=Status.DISPATCHED, to=Status.DISPATCHED, article="第二十条")

    def test_it_refuses_an_unassigned_unit_and_hotline_staff(self):
        ticket = self.noise()
        self.assert_refused(Forbidden, workflow.record_arrival, ticket, by=self.unit_c_handler,
                            code="not_assigned_unit")
        self.assert_refused(Forbidden, workflow.record_arrival, ticket, by=self.dispatcher)

    def test_it_refuses_a_second_arrival(self):
        ticket = self.noise()
        workflow.record_arrival(ticket, by=self.unit_a_handler)
        self.assert_refused(TransitionNotAllowed, workflow.record_arrival, ticket, by=self.unit_b_handler,
                            code="already_arrived")

    def test_it_refuses_a_unit_whose_assignment_ended(self):
        ticket = workflow.sign(self.noise(), by=self.unit_a_handler)
        workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="非本单位", basis="三定方案")
        workflow.review_return(ticket, by=self.reviewer, approve=True)
        self.assert_refused(Forbidden, workflow.record_arrival, ticket, by=self.unit_a_handler)

    def test_it_refuses_a_replied_ticket(self):
        ticket = self.replied_ticket()
        self.assert_refused(TransitionNotAllowed, workflow.record_arrival, ticket, by=self.unit_a_handler)
