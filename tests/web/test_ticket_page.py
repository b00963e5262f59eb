"""The ticket page: details with personal data by role (Art. 23), assignments, timeline, deadlines and rules."""

import time_machine
from django.utils import timezone

from hotline.deadlines.models import PublishedYear
from hotline.privacy.models import AccessLog
from hotline.tickets import workflow
from tests.base import HotlineTestCase, local

HX = {"HTTP_HX_REQUEST": "true"}


class TestTicketPageRenders(HotlineTestCase):
    def test_it_renders_for_every_role_that_may_see_the_ticket(self):
        ticket = self.signed_ticket()
        for user in (self.operator, self.dispatcher, self.reviewer, self.followup, self.supervisor, self.manager,
                     self.unit_a_handler, self.unit_a_manager):
            self.client.force_login(user)
            response = self.client.get(f"/tickets/{ticket.number}/")
            assert response.status_code == 200, user.role
            self.assertContains(response, ticket.number)
            self.assertContains(response, "办理中")

    def test_it_is_404_for_another_units_staff_and_for_unknown_numbers(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_b_handler)
        assert self.client.get(f"/tickets/{ticket.number}/").status_code == 404
        self.client.force_login(self.operator)
        assert self.client.get("/tickets/20990101000001/").status_code == 404

    def test_it_keeps_showing_a_ticket_to_the_unit_after_its_assignment_ended(self):
        ticket = self.dispatched_ticket()
        workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="不属本单位职责", basis="三定方案")
        workflow.review_return(ticket, by=self.reviewer, approve=True)
        self.client.force_login(self.unit_a_handler)
        response = self.client.get(f"/tickets/{ticket.number}/")
        self.assertContains(response, "已结束")

    def test_it_answers_htmx_with_the_page_fragment(self):
        ticket = self.new_ticket()
        self.client.force_login(self.dispatcher)
        response = self.client.get(f"/tickets/{ticket.number}/", **HX)
        self.assertTemplateUsed(response, "web/_ticket_main.html")
        self.assertTemplateNotUsed(response, "web/base.html")


class TestRequesterPrivacy(HotlineTestCase):
    def test_it_masks_the_phone_for_hotline_staff_too_and_reveals_it_on_a_logged_click(self):
        ticket = self.signed_ticket()
        for person in (self.operator, self.dispatcher, self.reviewer, self.followup, self.supervisor, self.manager):
            self.client.force_login(person)
            response = self.client.get(f"/tickets/{ticket.number}/")
            self.assertContains(response, "张三")  # the name and place stay in full for the hotline's work
            self.assertContains(response, "139****4321")
            self.assertNotContains(response, "13987654321")
            # The reveal is offered to the roles the privacy matrix allows (reviewer, follow-up agent, manager).
            offered = 'data-testid="reveal"' in response.content.decode()
            assert offered == (person in (self.reviewer, self.followup, self.manager)), person
        self.client.force_login(self.reviewer)
        revealed = self.client.post(f"/tickets/{ticket.number}/reveal/", {"field": "phone", "reason": "核实诉求"})
        self.assertContains(revealed, "13987654321")
        log = AccessLog.objects.get(ticket=ticket)
        assert (log.staff, log.field, log.reason, log.allowed) == (self.reviewer, "phone", "核实诉求", True)

    def test_it_masks_the_requester_for_unit_staff(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_a_handler)
        response = self.client.get(f"/tickets/{ticket.number}/")
        self.assertContains(response, "139****4321")
        self.assertContains(response, "张*")
        self.assertNotContains(response, "13987654321")
        self.assertNotContains(response, "张三")

    def test_it_hides_the_requester_entirely_from_units_on_confidential_tickets(self):
        ticket = self.signed_ticket(is_confidential=True)
        self.client.force_login(self.unit_a_handler)
        response = self.client.get(f"/tickets/{ticket.number}/")
        self.assertContains(response, "服务对象信息不向承办单位显示（第二十三条）")
        self.assertNotContains(response, "139****4321")
        self.assertNotContains(response, "张*")


class TestTimeline(HotlineTestCase):
    def test_it_lists_every_event_with_actor_unit_statuses_reason_and_article(self):
        ticket = self.resolved_ticket()
        self.client.force_login(self.followup)
        response = self.client.get(f"/tickets/{ticket.number}/")
        rows = response.context["timeline"]
        assert [r.event.action for r in rows] == ["accept", "dispatch", "sign", "reply", "review_reply"]
        sign = rows[2]
        assert (sign.actor, sign.unit, sign.action) == ("unit_a_handler", "市城管执法局", "签收")
        assert (sign.from_label, sign.to_label) == ("待签收", "办理中")
        self.assertContains(response, "待签收 → 办理中")
        self.assertContains(response, "路灯已修复")  # the reply's result is the event's reason
        self.assertContains(response, "第十五条")

    def test_it_names_the_timed_sweeps_as_the_system(self):
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            ticket = self.dispatched_ticket()
        with time_machine.travel(local(2026, 11, 25, 9, 0), tick=False):
            workflow.deem_signed(ticket)
        self.client.force_login(self.dispatcher)
        rows = self.client.get(f"/tickets/{ticket.number}/").context["timeline"]
        assert (rows[-1].action, rows[-1].actor) == ("视为签收", "系统")


class TestDeadlines(HotlineTestCase):
    def test_it_shows_each_clock_with_its_due_time_rule_and_article(self):
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):  # a Monday
            ticket = self.signed_ticket(request_type="complaint")
            self.client.force_login(self.unit_a_handler)
            response = self.client.get(f"/tickets/{ticket.number}/")
        rows = {row.rule: row for row in response.context["clocks"]}
        assert rows["办理时限"].due_text == "2026年11月30日 24:00"  # 5 working days after Monday
        assert rows["办理时限"].article == "第十四条"
        assert rows["办理时限"].running
        assert rows["办理时限"].countdown.text == "剩余 7 天 15 小时"
        assert not rows["签收时限"].running and rows["签收时限"].stopped_note == "按时完成"
        assert rows["转派时限"].stopped_note == "按时完成"
        self.assertContains(response, "现场核实退回时限")
        self.assertContains(response, "第十二条第一项")  # from the rules table beside the deadlines

    def test_it_colours_a_clock_amber_near_its_deadline_and_red_after_it(self):
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            ticket = self.new_ticket()
        self.client.force_login(self.dispatcher)
        with time_machine.travel(local(2026, 11, 23, 10, 45), tick=False):
            row = self.client.get(f"/tickets/{ticket.number}/").context["clocks"][0]
            assert (row.countdown.css, row.countdown.text) == ("warning", "剩余 15 分钟")
        with time_machine.travel(local(2026, 11, 23, 11, 0), tick=False):
            row = self.client.get(f"/tickets/{ticket.number}/").context["clocks"][0]
            assert (row.countdown.css, row.countdown.overdue) == ("danger", True)

    def test_it_warns_when_a_deadline_was_estimated_without_a_published_calendar(self):
        PublishedYear.objects.filter(year=2027).delete()
        with time_machine.travel(local(2026, 12, 28, 9, 0), tick=False):
            ticket = self.signed_ticket()
            self.client.force_login(self.unit_a_handler)
            response = self.client.get(f"/tickets/{ticket.number}/")
        assert ticket.due_estimated
        self.assertContains(response, "时限为估算值")

    def test_it_shows_no_warning_on_an_ordinary_ticket(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_a_handler)
        self.assertNotContains(self.client.get(f"/tickets/{ticket.number}/"), "时限为估算值")


class TestActionPanels(HotlineTestCase):
    def verbs(self, user, ticket):
        self.client.force_login(user)
        response = self.client.get(f"/tickets/{ticket.number}/")
        return [panel["action"].verb for panel in response.context["panels"]]

    def test_it_offers_intake_actions_to_the_dispatcher_on_a_new_ticket(self):
        ticket = self.new_ticket()
        assert self.verbs(self.dispatcher, ticket) == ["dispatch", "answer", "consult", "decline", "merge", "hand_off"]
        assert "dispatch" not in self.verbs(self.operator, ticket)
        assert self.verbs(self.reviewer, ticket) == []

    def test_it_loads_routing_suggestions_into_the_dispatch_form(self):
        ticket = self.new_ticket()
        self.client.force_login(self.dispatcher)
        response = self.client.get(f"/tickets/{ticket.number}/")
        self.assertContains(response, f'hx-get="/routing/suggest/{ticket.number}/" hx-trigger="load"')
        # The suggestions carry their own one-click forms; forms cannot nest, so the panel sits before ours.
        body = response.content.decode()
        panel = body.index(f"/routing/suggest/{ticket.number}/")
        form = body.index(f'action="/tickets/{ticket.number}/dispatch/"')
        assert body.rindex("<form", 0, form) > panel

    def test_it_preselects_the_topics_catalogue_unit_for_dispatch(self):
        ticket = self.new_ticket(topic=self.topic_streetlight)
        self.client.force_login(self.dispatcher)
        panel = self.client.get(f"/tickets/{ticket.number}/").context["panels"][0]
        assert panel["form"].initial["lead_unit"] == self.unit_a

    def test_it_offers_the_lead_unit_sign_and_return_but_not_the_assisting_unit(self):
        ticket = workflow.dispatch(self.new_ticket(), by=self.dispatcher, lead_unit=self.unit_a,
                                   assisting_units=[self.unit_b])
        assert self.verbs(self.unit_a_handler, ticket) == ["sign", "return"]
        assert self.verbs(self.unit_b_handler, ticket) == []

    def test_it_offers_handling_actions_once_signed(self):
        ticket = self.signed_ticket()
        assert self.verbs(self.unit_a_handler, ticket) == ["reply", "request_extension", "return", "contact_attempt"]

    def test_it_offers_review_and_follow_up_at_their_stage(self):
        ticket = self.replied_ticket()
        assert self.verbs(self.reviewer, ticket) == ["review_reply"]
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        assert self.verbs(self.followup, ticket) == ["follow_up"]
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="2", solved=False,
                           unit_contacted=True, unit_contact_method="phone", fault="policy")
        assert self.verbs(self.followup, ticket) == []

    def test_it_offers_nothing_on_a_closed_ticket(self):
        ticket = self.resolved_ticket()
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="5",
                           solved=True, unit_contacted=True, unit_contact_method="phone")
        self.client.force_login(self.manager)
        self.assertContains(self.client.get(f"/tickets/{ticket.number}/"), "当前状态下您没有可执行的操作")

    def test_it_offers_arrival_on_noise_tickets_to_the_assigned_unit(self):
        ticket = self.dispatched_ticket(topic=self.topic_noise)
        assert "arrive" in self.verbs(self.unit_a_handler, ticket)
        assert ticket.arrival_due is not None and ticket.arrival_due > timezone.now()
