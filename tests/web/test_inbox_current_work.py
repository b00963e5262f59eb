"""The unit inbox shows the unit's current work (Art. 13): a ticket it returned, once the return was approved and the
ticket went on to another unit, leaves its tabs and stays in its list."""

from hotline.tickets import workflow
from tests.tickets.support import WorkflowTestCase


class TestInboxIsCurrentWork(WorkflowTestCase):
    def tab(self, user, queue):
        self.client.force_login(user)
        return [t.number for t in self.client.get(f"/inbox/?queue={queue}").context["rows"]]

    def test_a_ticket_returned_and_sent_on_leaves_the_returning_units_tabs(self):
        ticket = self.dispatched_ticket()
        workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="非本单位职责", basis="三定方案")
        assert self.tab(self.unit_a_handler, "returned") == [ticket.number]
        workflow.review_return(self.reload(ticket), by=self.reviewer, approve=True)
        workflow.dispatch(self.reload(ticket), by=self.dispatcher, lead_unit=self.unit_b)
        workflow.sign(self.reload(ticket), by=self.unit_b_handler)
        assert self.tab(self.unit_b_handler, "progress") == [ticket.number]
        # It used to stay in the first unit's 办理中 tab, as if that unit still had it.
        for queue in ("sign", "progress", "returned", "replied", "done"):
            assert ticket.number not in self.tab(self.unit_a_handler, queue), queue
        self.client.force_login(self.unit_a_handler)
        assert ticket.number in self.client.get("/tickets/").content.decode()  # its history stays readable
        assert self.client.get(f"/tickets/{ticket.number}/").status_code == 200
