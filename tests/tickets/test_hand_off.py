"""hand_off: an emergency goes to 110, 119, 120 or 122 with time, line, operator and summary (Art. 7)."""

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestHandOff(WorkflowTestCase):
    def test_it_hands_off_to_an_emergency_line_and_records_it(self):
        ticket = self.new_ticket(request_type="help")
        record = workflow.hand_off(ticket, by=self.operator, line="120", summary="老人晕倒")
        stored = self.reload(ticket)
        assert (stored.status, stored.handed_off_to, stored.closed_at) == (Status.HANDED_OFF, "120", MONDAY)
        assert (record.line, record.operator, record.at, record.summary) == ("120", self.operator, MONDAY, "老人晕倒")
        self.assert_event(ticket, 1, action=Action.HAND_OFF, actor=self.operator, unit=self.operator.unit,
                          frm=Status.PENDING_DISPATCH, to=Status.HANDED_OFF, article="第七条")

    def test_it_refuses_other_lines_and_an_empty_summary(self):
        ticket = self.new_ticket()
        self.assert_refused(InvalidInput, workflow.hand_off, ticket, by=self.operator, line="999", summary="x",
                            field="line")
        self.assert_refused(InvalidInput, workflow.hand_off, ticket, by=self.operator, line="110", summary="",
                            field="summary")

    def test_it_refuses_unit_staff(self):
        self.assert_refused(Forbidden, workflow.hand_off, self.new_ticket(), by=self.unit_a_handler, line="110",
                            summary="x")

    def test_it_refuses_a_signed_ticket(self):
        self.assert_refused(TransitionNotAllowed, workflow.hand_off, self.signed_ticket(), by=self.operator,
                            line="110", summary="x")
