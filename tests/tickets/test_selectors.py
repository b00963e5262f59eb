"""selectors: the scope a reader reads within, the follow-up queue agreeing with the workflow, and one list filter."""

import datetime as dt

from django.utils import timezone

from hotline.tickets import selectors, workflow
from hotline.tickets.access import access_ticket, visible_tickets
from hotline.tickets.selectors import Scope, TicketFilter
from tests.api.base import ApiTestCase
from tests.tickets.support import WorkflowTestCase


class TestScope(WorkflowTestCase):
    def test_it_gives_the_hotline_the_city_and_a_unit_the_tickets_it_is_or_was_assigned(self):
        mine, other = self.dispatched_ticket(), self.new_ticket()
        assert Scope.of(self.operator) == Scope(city=True)
        assert set(visible_tickets(self.operator)) == {mine, other}
        assert list(visible_tickets(self.unit_a_handler)) == [mine]
        assert list(visible_tickets(self.unit_b_handler)) == []

    def test_it_reads_within_a_scope_given_by_the_caller(self):
        ticket = self.dispatched_ticket()
        assert access_ticket(self.operator, ticket.number, scope=Scope(unit_id=self.unit_a.pk)) == ticket
        with self.assertRaises(Exception) as refused:
            access_ticket(self.operator, ticket.number, scope=Scope(unit_id=self.unit_b.pk))
        assert getattr(refused.exception, "status", None) == 404


class TestFollowUpQueue(WorkflowTestCase):
    def queue(self):
        return set(selectors.to_follow_up(visible_tickets(self.followup), timezone.now()))

    def test_it_holds_a_merged_requester_only_while_the_workflow_owes_them_a_call(self):
        original, repeat = self.dispatched_ticket(), self.new_ticket()
        workflow.merge(repeat, by=self.operator, into=original)
        assert repeat not in self.queue()  # the original is not resolved yet
        workflow.sign(original, by=self.unit_a_handler)
        workflow.reply(original, by=self.unit_a_handler, handler_name="李工", handled_at=timezone.now(),
                       process="更换灯具", result="已修复", contact_note="电话告知", contacted=True)
        workflow.review_reply(original, by=self.reviewer, approve=True)
        repeat = self.reload(repeat)
        for call in range(workflow.FOLLOW_UP_UNREACHED_LIMIT):
            assert (repeat in self.queue()) == workflow.merged_follow_up_due(repeat), call
            assert repeat in self.queue()
            workflow.follow_up(repeat, by=self.followup, reached=False)
        # Three unanswered calls: the workflow owes no more, and the queue no longer offers one.
        assert not workflow.merged_follow_up_due(repeat)
        assert repeat not in self.queue()


    def _resolve(self, ticket):
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=timezone.now(),
                       process="更换灯具", result="已修复", contact_note="电话告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)

    def agree(self, *tickets):
        queue = self.queue()
        for ticket in tickets:
            ticket = self.reload(ticket)
            assert (ticket in queue) == workflow.merged_follow_up_due(ticket), ticket.number

    def test_it_agrees_with_the_workflow_through_rework_a_late_merge_and_a_reached_call(self):
        original, first, late = self.dispatched_ticket(), self.new_ticket(), self.new_ticket()
        workflow.merge(first, by=self.operator, into=original)
        workflow.sign(original, by=self.unit_a_handler)
        self._resolve(original)
        self.agree(first)
        # Merged after the original was resolved: owed at once.
        workflow.merge(late, by=self.operator, into=original)
        self.agree(first, late)
        assert self.reload(late).follow_up_due == self.reload(original).follow_up_due
        # The original's requester is dissatisfied through the unit's fault: rework, and nobody merged is owed.
        workflow.follow_up(original, by=self.followup, reached=True, satisfaction="2", solved=False,
                           unit_contacted=True, unit_contact_method="phone", fault="unit")
        self.agree(first, late)
        assert self.reload(first) not in self.queue()
        self._resolve(self.reload(original))
        self.agree(first, late)
        workflow.follow_up(self.reload(first), by=self.followup, reached=True, satisfaction="5", solved=True,
                           unit_contacted=True, unit_contact_method="phone")
        self.agree(first, late)
        assert self.reload(first) not in self.queue() and self.reload(late) in self.queue()

    def test_the_queue_reads_no_merged_history(self):
        # It used to find the owed ones by joining every merged ticket to its original and counting their calls.
        sql = str(selectors.to_follow_up(visible_tickets(self.followup), timezone.now()).query)
        assert "COUNT(" not in sql.upper() and "tickets_followup" not in sql


class TestListFilter(WorkflowTestCase):
    def test_it_filters_on_the_lead_unit_local_dates_and_text_in_the_place(self):
        led = self.dispatched_ticket(address="大祥区城南公园")
        assisted = self.new_ticket()
        workflow.dispatch(assisted, by=self.dispatcher, lead_unit=self.unit_b, assisting_units=[self.unit_a])
        qs = visible_tickets(self.operator)
        today = timezone.localdate()
        assert list(selectors.filtered(qs, TicketFilter(unit=self.unit_a), timezone.now())) == [led]
        assert list(selectors.filtered(qs, TicketFilter(text="城南公园"), timezone.now())) == [led]
        day = TicketFilter(created_from=today, created_to=today)
        assert set(selectors.filtered(qs, day, timezone.now())) == {led, assisted}
        tomorrow = TicketFilter(created_from=today + dt.timedelta(days=1))
        assert list(selectors.filtered(qs, tomorrow, timezone.now())) == []


class TestOneMeaningOnScreenAndApi(ApiTestCase):
    def test_the_screen_and_the_api_give_the_same_list(self):
        led = self.dispatched_ticket(address="大祥区城南公园")
        assisted = self.new_ticket(address="大祥区城南公园")
        workflow.dispatch(assisted, by=self.dispatcher, lead_unit=self.unit_b, assisting_units=[self.unit_a])
        self.client.force_login(self.operator)
        page = self.client.get("/tickets/", {"unit": self.unit_a.pk, "q": "城南"})
        api = self.get("/tickets", as_=self.operator, unit=self.unit_a.code, q="城南").json()
        assert [t.number for t in page.context["page"]] == [i["number"] for i in api["items"]] == [led.number]
