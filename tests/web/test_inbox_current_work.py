"""The unit inbox shows the unit's current work (Art. 13): a ticket it returned, once the return was approved and the
ticket went on to another unit, leaves its tabs and stays in its list."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

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

    def test_its_tabs_are_counted_in_one_query_as_each_tab_counts_its_own_rows(self):
        # Counting each tab by itself hashed the unit's assignments once per tab (issue 15).
        self.signed_ticket()
        self.dispatched_ticket()
        self.replied_ticket()
        workflow.request_return(self.dispatched_ticket(), by=self.unit_a_handler, kind="desk", reason="非本单位职责",
                                basis="三定方案")
        self.client.force_login(self.unit_a_handler)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/inbox/?queue=sign")
        # The tabs of open work together, and 近期办结 (a month of finished tickets) by itself, up to its cap.
        assert sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries) == 2
        counts = {queue.key: count for queue, count in response.context["tabs"]}
        rows = {key: len(self.client.get(f"/inbox/?queue={key}").context["rows"]) for key in counts}
        assert counts == rows and counts["sign"] == 1 and counts["returned"] == 1 and counts["replied"] == 1
        assert counts["progress"] == 1
