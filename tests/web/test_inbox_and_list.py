"""The unit inbox (only the unit's tickets) and the ticket list with filters and pages."""

import time_machine
from django.utils import timezone

from hotline.tickets import workflow
from tests.base import HotlineTestCase, local

HX = {"HTTP_HX_REQUEST": "true"}


class TestInbox(HotlineTestCase):
    def test_it_renders_for_unit_staff_and_is_forbidden_to_the_hotline(self):
        for user in (self.unit_a_handler, self.unit_a_manager, self.unit_b_handler):
            self.client.force_login(user)
            self.assertContains(self.client.get("/inbox/"), "收件箱")
        self.client.force_login(self.dispatcher)
        assert self.client.get("/inbox/").status_code == 403

    def test_it_shows_only_the_units_own_tickets(self):
        ours = self.dispatched_ticket(title="本单位工单")
        theirs = workflow.dispatch(self.new_ticket(title="他单位工单"), by=self.dispatcher, lead_unit=self.unit_b)
        self.client.force_login(self.unit_a_handler)
        response = self.client.get("/inbox/")
        self.assertContains(response, ours.number)
        self.assertNotContains(response, theirs.number)
        self.client.force_login(self.unit_b_handler)
        self.assertContains(self.client.get("/inbox/"), theirs.number)

    def test_it_sorts_tickets_into_sign_progress_return_replied_and_done(self):
        to_sign = self.dispatched_ticket()
        in_progress = self.signed_ticket()
        returned = self.dispatched_ticket()
        workflow.request_return(returned, by=self.unit_a_handler, kind="desk", reason="非本单位", basis="三定方案")
        replied = self.replied_ticket()
        done = self.resolved_ticket()
        self.client.force_login(self.unit_a_handler)
        response = self.client.get("/inbox/")
        assert {q.key: n for q, n in response.context["tabs"]} == {
            "sign": 1, "progress": 1, "returned": 1, "replied": 1, "done": 1, "consult": 0}
        expected = {"sign": to_sign, "progress": in_progress, "returned": returned, "replied": replied, "done": done}
        for key, ticket in expected.items():
            rows = self.client.get(f"/inbox/?queue={key}").context["rows"]
            assert ticket in rows, key

    def test_it_shows_the_signing_countdown(self):
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            self.dispatched_ticket()
            self.client.force_login(self.unit_a_handler)
            response = self.client.get("/inbox/")
        self.assertContains(response, "2026年11月24日 24:00")
        self.assertContains(response, "剩余 1 天 15 小时")

    def test_it_answers_a_tab_click_with_the_fragment(self):
        self.client.force_login(self.unit_a_handler)
        response = self.client.get("/inbox/?queue=progress", **HX)
        self.assertTemplateUsed(response, "web/_queue.html")
        self.assertTemplateNotUsed(response, "web/base.html")


class TestTicketList(HotlineTestCase):
    def get(self, user, query="", **extra):
        self.client.force_login(user)
        return self.client.get(f"/tickets/{query}", **extra)

    def numbers(self, response):
        return [t.number for t in response.context["page"]]

    def test_it_renders_for_every_role(self):
        for user in (self.operator, self.dispatcher, self.reviewer, self.followup, self.supervisor, self.manager,
                     self.unit_a_handler, self.unit_a_manager):
            self.assertContains(self.get(user), "工单查询")

    def test_it_limits_unit_staff_to_their_units_tickets(self):
        ours = self.dispatched_ticket()
        pending = self.new_ticket()
        assert self.numbers(self.get(self.unit_a_handler)) == [ours.number]
        assert set(self.numbers(self.get(self.operator))) == {ours.number, pending.number}

    def test_it_filters_by_text_status_unit_and_dates(self):
        lamp = self.dispatched_ticket(content="路灯不亮", address="宝庆路")
        housing = workflow.dispatch(self.new_ticket(content="公租房申请进度"), by=self.dispatcher,
                                    lead_unit=self.unit_b)
        fresh = self.new_ticket(content="噪音扰民")
        assert self.numbers(self.get(self.dispatcher, "?q=宝庆")) == [lamp.number]
        assert self.numbers(self.get(self.dispatcher, f"?q={housing.number}")) == [housing.number]
        assert self.numbers(self.get(self.dispatcher, "?status=pending_dispatch")) == [fresh.number]
        assert self.numbers(self.get(self.dispatcher, f"?unit={self.unit_b.pk}")) == [housing.number]
        today = timezone.localdate().isoformat()
        assert len(self.numbers(self.get(self.dispatcher, f"?date_from={today}&date_to={today}"))) == 3
        assert self.numbers(self.get(self.dispatcher, "?date_from=2020-01-01&date_to=2020-01-31")) == []

    def test_it_filters_overdue_tickets(self):
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            late = self.new_ticket()
        with time_machine.travel(local(2026, 11, 23, 10, 30), tick=False):
            on_time = self.new_ticket()
        with time_machine.travel(local(2026, 11, 23, 11, 30), tick=False):
            assert self.numbers(self.get(self.dispatcher, "?overdue=on")) == [late.number]
            assert on_time.number in self.numbers(self.get(self.dispatcher))

    def test_it_explains_an_inverted_date_range_and_lists_nothing(self):
        self.new_ticket()
        response = self.get(self.dispatcher, "?date_from=2026-12-01&date_to=2026-11-01")
        self.assertContains(response, "结束日期不能早于开始日期")
        assert self.numbers(response) == []

    def test_it_pages_through_many_tickets_keeping_the_filters(self):
        for _ in range(27):
            self.new_ticket()
        first = self.get(self.dispatcher, "?status=pending_dispatch")
        assert len(self.numbers(first)) == 25
        self.assertContains(first, "第 1 / 2 页")
        self.assertContains(first, "?status=pending_dispatch&amp;page=2")
        second = self.get(self.dispatcher, "?status=pending_dispatch&page=2")
        assert len(self.numbers(second)) == 2

    def test_it_answers_htmx_with_the_table_only(self):
        response = self.get(self.dispatcher, "?q=x", **HX)
        self.assertTemplateUsed(response, "web/_ticket_table.html")
        self.assertTemplateNotUsed(response, "web/base.html")
