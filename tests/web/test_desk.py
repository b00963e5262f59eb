"""The hotline desk: new-ticket form (Art. 11) and the work queues with counts."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.tickets import workflow
from hotline.tickets.choices import Status
from hotline.tickets.models import Event, Ticket
from tests.base import HotlineTestCase, local

HX = {"HTTP_HX_REQUEST": "true"}


def new_ticket_form(**overrides):
    data = {
        "channel": "phone", "request_type": "complaint", "topic": "", "title": "", "content": "小区路灯不亮一周了",
        "address": "双清区龙须塘街道", "region": "", "requester_name": "王五", "requester_phone": "13912345678",
        "requester_id_number": "",
    }
    data.update(overrides)
    return data


class TestDeskRenders(HotlineTestCase):
    def test_it_renders_for_every_hotline_role(self):
        for user in (self.operator, self.dispatcher, self.reviewer, self.followup, self.manager, self.supervisor):
            self.client.force_login(user)
            response = self.client.get("/desk/")
            assert response.status_code == 200, user.role
            self.assertContains(response, "热线工作台")
            self.assertTemplateUsed(response, "web/desk.html")

    def test_it_offers_the_new_ticket_form_only_to_roles_that_accept_tickets(self):
        for user in (self.operator, self.dispatcher, self.manager):
            self.client.force_login(user)
            self.assertContains(self.client.get("/desk/"), 'id="new-ticket-form"')
        for user in (self.reviewer, self.followup):
            self.client.force_login(user)
            self.assertNotContains(self.client.get("/desk/"), 'id="new-ticket-form"')

    def test_it_is_forbidden_to_unit_staff(self):
        self.client.force_login(self.unit_a_handler)
        assert self.client.get("/desk/").status_code == 403

    def test_it_loads_knowledge_suggestions_as_the_content_is_typed(self):
        self.client.force_login(self.operator)
        response = self.client.get("/desk/")
        self.assertContains(response, 'hx-get="/knowledge/suggest/"')
        self.assertContains(response, 'hx-trigger="keyup changed delay:400ms"')
        self.assertContains(response, 'hx-target="#knowledge-suggestions"')
        self.assertContains(response, 'data-suggest-param="q"')


class TestQueues(HotlineTestCase):
    def test_it_counts_each_queue_and_lists_its_tickets(self):
        pending = self.new_ticket(title="待派单的工单")
        replied = self.replied_ticket(title="待审核的工单")
        resolved = self.resolved_ticket(title="待回访的工单")
        self.client.force_login(self.dispatcher)
        response = self.client.get("/desk/")
        tabs = {queue.key: count for queue, count in response.context["tabs"]}
        assert tabs == {"dispatch": 1, "transfers": 0, "returns": 0, "extensions": 0, "review": 1, "followup": 1,
                        "overdue": 0, "consulted": 0}
        self.assertContains(response, pending.number)
        self.assertNotContains(response, replied.number)
        review = self.client.get("/desk/?queue=review")
        self.assertContains(review, replied.number)
        self.assertNotContains(review, resolved.number)

    def test_it_counts_every_tab_in_one_statement_and_reads_no_row_twice(self):
        # Eight count statements cost eight round trips and aggregates built around them (issue 15).
        self.new_ticket()
        self.replied_ticket()
        self.resolved_ticket()
        self.client.force_login(self.dispatcher)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/desk/")
        counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counting) == 1 and counting[0].upper().count("COUNT(") == len(response.context["tabs"])
        # The rows were read once, with their topic and lead unit, and showing them read nothing more.
        reads = [q["sql"] for q in queries.captured_queries if 'FROM "tickets_ticket"' in q["sql"]]
        assert len(reads) == 3, reads  # the counts, the page's ids, its rows
        assert '"tickets_ticket"."content"' not in reads[2] and '"tickets_ticket"."tokens"' not in reads[2]

    def test_it_opens_the_reviewers_and_follow_up_agents_on_their_own_queue(self):
        replied = self.replied_ticket()
        self.client.force_login(self.reviewer)
        response = self.client.get("/desk/")
        assert response.context["current"].key == "review"
        self.assertContains(response, replied.number)
        self.client.force_login(self.followup)
        assert self.client.get("/desk/").context["current"].key == "followup"

    def test_it_lists_pending_returns_and_extensions(self):
        returned = self.dispatched_ticket()
        workflow.request_return(returned, by=self.unit_a_handler, kind="desk", reason="不属本单位职责",
                                basis="三定方案")
        extended = self.signed_ticket()
        workflow.request_extension(extended, by=self.unit_a_handler, working_days=3, reason="需协调多部门")
        self.client.force_login(self.reviewer)
        self.assertContains(self.client.get("/desk/?queue=returns"), returned.number)
        response = self.client.get("/desk/?queue=extensions")
        self.assertContains(response, extended.number)
        self.assertNotContains(response, returned.number)

    def test_it_lists_overdue_tickets_with_a_red_countdown(self):
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            ticket = self.new_ticket()
        with time_machine.travel(local(2026, 11, 23, 12, 0), tick=False):
            self.client.force_login(self.dispatcher)
            response = self.client.get("/desk/?queue=overdue")
        self.assertContains(response, ticket.number)
        self.assertContains(response, "已超时 1 小时")
        self.assertContains(response, "text-bg-danger")

    def test_it_shows_the_row_with_its_deadline_written_to_the_minute(self):
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            ticket = self.new_ticket(title="路灯不亮")
            self.client.force_login(self.dispatcher)
            response = self.client.get("/desk/")
        self.assertContains(response, "路灯不亮")
        self.assertContains(response, "2026年11月23日 11:00")
        self.assertContains(response, "剩余 2 小时")
        self.assertContains(response, "待派单")
        assert ticket.number in response.content.decode()

    def test_it_answers_a_tab_click_with_the_queue_fragment_only(self):
        self.replied_ticket()
        self.client.force_login(self.reviewer)
        response = self.client.get("/desk/?queue=review", **HX)
        self.assertTemplateUsed(response, "web/_queue.html")
        self.assertTemplateNotUsed(response, "web/base.html")
        self.assertContains(response, 'id="queue"')


class TestNewTicket(HotlineTestCase):
    def test_it_accepts_a_ticket_through_the_workflow_and_opens_it(self):
        self.client.force_login(self.operator)
        response = self.client.post("/desk/", new_ticket_form(is_confidential="on"))
        ticket = Ticket.objects.get()
        self.assertRedirects(response, f"/tickets/{ticket.number}/", fetch_redirect_response=False)
        assert ticket.status == Status.PENDING_DISPATCH
        assert ticket.is_confidential
        assert ticket.requester.name == "王五"
        assert Event.objects.get(ticket=ticket).action == "accept"
        assert ticket.created_by == self.operator

    def test_it_keeps_the_typed_input_and_shows_a_chinese_error_for_a_bad_phone(self):
        self.client.force_login(self.operator)
        response = self.client.post("/desk/", new_ticket_form(requester_phone="12345", content="井盖丢失很危险"))
        assert response.status_code == 400
        self.assertContains(response, "电话号码格式不正确", status_code=400)
        self.assertContains(response, "井盖丢失很危险", status_code=400)
        self.assertContains(response, 'value="12345"', status_code=400)
        assert not Ticket.objects.exists()

    def test_it_refuses_an_empty_content_in_chinese(self):
        self.client.force_login(self.operator)
        response = self.client.post("/desk/", new_ticket_form(content=""))
        self.assertContains(response, "请填写诉求内容", status_code=400)
        assert not Ticket.objects.exists()

    def test_it_lets_the_workflow_refuse_roles_that_may_not_accept(self):
        self.client.force_login(self.reviewer)
        response = self.client.post("/desk/", new_ticket_form())
        self.assertContains(response, "当前角色无权执行“受理”", status_code=403)
        assert not Ticket.objects.exists()
