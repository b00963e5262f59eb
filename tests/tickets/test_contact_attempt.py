"""record_contact_attempt: one attempt to reach the requester; an unreachable consultation needs three in 24 hours
(Art. 14.2)."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import ContactAttempt
from tests.tickets.support import MONDAY, WorkflowTestCase


def attempt(ticket, by, method="call", reached=False, note="无人接听"):
    return workflow.record_contact_attempt(ticket, by=by, method=method, reached=reached, note=note)


class TestContactAttempt(WorkflowTestCase):
    def test_it_records_the_lead_units_attempt_without_moving_the_ticket(self):
        ticket = self.signed_ticket(request_type="consultation")
        record = attempt(ticket, self.unit_a_handler, method="sms")
        assert (record.by, record.at, record.method, record.reached) == (self.unit_a_handler, MONDAY, "sms", False)
        assert self.reload(ticket).status == Status.IN_PROGRESS
        event = self.assert_event(ticket, 3, action=Action.CONTACT_ATTEMPT, actor=self.unit_a_handler,
                                  unit=self.unit_a, frm=Status.IN_PROGRESS, to=Status.IN_PROGRESS,
                                  article="第十四条第二项")
        assert event.data == {"method": "sms", "reached": False}

    def test_it_records_the_hotlines_attempt_on_a_consultation(self):
        ticket = workflow.consult(self.new_ticket(request_type="consultation"), by=self.operator, unit=self.unit_b)
        attempt(ticket, self.operator, reached=True)
        self.assert_event(ticket, 2, action=Action.CONTACT_ATTEMPT, actor=self.operator, unit=self.operator.unit,
                          frm=Status.CONSULTING, to=Status.CONSULTING, article="第十四条第二项")

    def test_it_refuses_another_unit_an_assisting_unit_and_reviewers(self):
        ticket = self.new_ticket(request_type="consultation")
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])
        workflow.sign(ticket, by=self.unit_a_handler)
        for person in (self.unit_b_handler, self.unit_c_handler, self.reviewer, self.supervisor):
            self.assert_refused(Forbidden, attempt, ticket, person)
        assert not ContactAttempt.objects.exists()

    def test_it_refuses_other_methods_and_a_long_note(self):
        ticket = self.signed_ticket()
        self.assert_refused(InvalidInput, attempt, ticket, self.unit_a_handler, method="visit", field="method")
        self.assert_refused(InvalidInput, attempt, ticket, self.unit_a_handler, note="长" * 201, field="note")

    def test_it_refuses_a_ticket_not_being_handled(self):
        self.assert_refused(TransitionNotAllowed, attempt, self.new_ticket(), self.operator)
        self.assert_refused(TransitionNotAllowed, attempt, self.replied_ticket(), self.unit_a_handler)
        assert not ContactAttempt.objects.exists()
