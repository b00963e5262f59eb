"""POST /tickets/<number>/<verb>/: each form makes its one workflow call; errors come back in Chinese, in place."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.tickets import workflow
from hotline.tickets.choices import ReviewState, Status
from hotline.tickets.models import Attachment, ExtensionRequest, FollowUp, HandOff, ReturnRequest, Ticket
from tests.base import HotlineTestCase, local

HX = {"HTTP_HX_REQUEST": "true"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class ActionCase(HotlineTestCase):
    def act(self, user, ticket, verb, data=None, **extra):
        self.client.force_login(user)
        return self.client.post(f"/tickets/{ticket.number}/{verb}/", data or {}, **extra)

    def assert_done(self, response, ticket, status, last_action):
        self.assertRedirects(response, f"/tickets/{ticket.number}/", fetch_redirect_response=False)
        ticket.refresh_from_db()
        assert ticket.status == status
        assert ticket.events.order_by("-at", "-id").first().action == last_action


class TestIntakeActions(ActionCase):
    def test_it_dispatches_to_a_lead_and_assisting_units(self):
        ticket = self.new_ticket()
        response = self.act(self.dispatcher, ticket, "dispatch",
                            {"lead_unit": self.unit_a.pk, "assisting_units": [self.unit_b.pk], "note": "请尽快处理"})
        self.assert_done(response, ticket, Status.DISPATCHED, "dispatch")
        assert ticket.lead_unit == self.unit_a
        assert sorted(ticket.assignments.values_list("role", flat=True)) == ["assist", "lead"]

    def test_it_declines_with_an_article_10_reason(self):
        ticket = self.new_ticket()
        response = self.act(self.operator, ticket, "decline", {"reason_code": "9", "explanation": "骚扰电话，已告知"})
        self.assert_done(response, ticket, Status.DECLINED, "decline")
        assert ticket.events.last().article == "第十条第九项"

    def test_it_answers_on_the_spot(self):
        ticket = self.new_ticket()
        response = self.act(self.operator, ticket, "answer", {"text": "办理时间为工作日9点至17点"})
        self.assert_done(response, ticket, Status.ANSWERED, "answer")

    def test_it_consults_a_unit(self):
        ticket = self.new_ticket()
        response = self.act(self.operator, ticket, "consult", {"unit": self.unit_b.pk, "note": "咨询政策口径"})
        self.assert_done(response, ticket, Status.CONSULTING, "consult")
        assert ticket.consult_unit == self.unit_b

    def test_it_merges_into_an_earlier_ticket(self):
        original = self.new_ticket()
        repeat = self.new_ticket()
        response = self.act(self.operator, repeat, "merge", {"into": original.number})
        self.assert_done(response, repeat, Status.MERGED, "merge")
        assert repeat.merged_into == original

    def test_it_says_in_the_form_when_the_merge_target_does_not_exist(self):
        ticket = self.new_ticket()
        response = self.act(self.operator, ticket, "merge", {"into": "20990101999999"})
        self.assertContains(response, "并入的工单不存在", status_code=400)
        self.assertContains(response, 'value="20990101999999"', status_code=400)

    def test_it_hands_off_to_an_emergency_line(self):
        ticket = self.new_ticket()
        response = self.act(self.operator, ticket, "hand_off", {"line": "119", "summary": "小区起火，已转119"})
        self.assert_done(response, ticket, Status.HANDED_OFF, "hand_off")
        assert HandOff.objects.get(ticket=ticket).line == "119"


class TestUnitActions(ActionCase):
    def test_it_signs_for_the_lead_unit(self):
        ticket = self.dispatched_ticket()
        self.assert_done(self.act(self.unit_a_handler, ticket, "sign"), ticket, Status.IN_PROGRESS, "sign")

    def test_it_returns_after_an_on_site_check_with_photos(self):
        ticket = self.signed_ticket(topic=self.topic_manhole)
        photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
        response = self.act(self.unit_a_handler, ticket, "return", {
            "kind": "onsite", "reason": "井盖属电信公司", "basis": "现场核实", "suggested_unit": self.unit_b.pk,
            "photos": [photo]})
        self.assert_done(response, ticket, Status.RETURN_REQUESTED, "request_return")
        rr = ReturnRequest.objects.get(ticket=ticket)
        assert rr.suggested_unit == self.unit_b
        assert Attachment.objects.get(return_request=rr).content_type == "image/png"

    def test_it_refuses_an_on_site_return_without_the_required_photo(self):
        ticket = self.signed_ticket(topic=self.topic_manhole)
        response = self.act(self.unit_a_handler, ticket, "return", {
            "kind": "onsite", "reason": "井盖属电信公司", "basis": "现场核实", "suggested_unit": self.unit_b.pk})
        self.assertContains(response, "退回须上传现场图片", status_code=400)
        self.assertContains(response, "井盖属电信公司", status_code=400)  # the typed reason is kept
        ticket.refresh_from_db()
        assert ticket.status == Status.IN_PROGRESS

    def test_it_requests_an_extension(self):
        ticket = self.signed_ticket()
        response = self.act(self.unit_a_handler, ticket, "request_extension", {"working_days": 3, "reason": "需协调"})
        self.assert_done(response, ticket, Status.IN_PROGRESS, "request_extension")
        assert ExtensionRequest.objects.get(ticket=ticket).working_days == 3

    def test_it_replies_with_the_article_15_fields(self):
        with time_machine.travel(local(2026, 11, 24, 14, 0), tick=False):
            ticket = self.signed_ticket()  # handled at 14:30, after the dispatch
        with time_machine.travel(local(2026, 11, 24, 15, 0), tick=False):
            response = self.act(self.unit_a_handler, ticket, "reply", {
                "handler_name": "李工", "handled_at": "2026-11-24T14:30", "process": "现场更换灯具",
                "result": "路灯已恢复", "contact_note": "电话告知", "contacted": "yes"})
        self.assert_done(response, ticket, Status.REPLIED, "reply")
        reply = ticket.replies.get()
        assert reply.handled_at == local(2026, 11, 24, 14, 30)
        assert reply.contacted

    def test_it_records_an_arrival_on_a_noise_ticket(self):
        ticket = self.dispatched_ticket(topic=self.topic_noise)
        response = self.act(self.unit_a_handler, ticket, "arrive", {"note": "已到场劝导"})
        self.assert_done(response, ticket, Status.DISPATCHED, "arrive")
        assert ticket.arrived_at is not None

    def test_it_records_a_contact_attempt(self):
        ticket = self.signed_ticket()
        response = self.act(self.unit_a_handler, ticket, "contact_attempt", {"method": "call", "note": "无人接听"})
        self.assert_done(response, ticket, Status.IN_PROGRESS, "contact_attempt")


class TestReviewAndFollowUp(ActionCase):
    def test_it_approves_a_return_back_to_dispatch(self):
        ticket = self.dispatched_ticket()
        workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="非本单位", basis="三定方案",
                                suggested_unit=self.unit_b)
        response = self.act(self.reviewer, ticket, "review_return", {"decision": "yes"})
        self.assert_done(response, ticket, Status.PENDING_DISPATCH, "review_return")
        assert ticket.suggested_unit == self.unit_b

    def test_it_needs_a_reason_to_reject_and_says_so_in_chinese(self):
        ticket = self.dispatched_ticket()
        workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="非本单位", basis="三定方案")
        response = self.act(self.reviewer, ticket, "review_return", {"decision": "no", "note": ""})
        self.assertContains(response, "请填写不通过的理由", status_code=400)
        assert ReturnRequest.objects.get(ticket=ticket).state == ReviewState.PENDING

    def test_it_reviews_an_extension(self):
        ticket = self.signed_ticket()
        old_due = ticket.handling_due
        workflow.request_extension(ticket, by=self.unit_a_handler, working_days=2, reason="需协调")
        response = self.act(self.reviewer, ticket, "review_extension", {"decision": "yes"})
        self.assert_done(response, ticket, Status.IN_PROGRESS, "review_extension")
        assert ticket.handling_due > old_due

    def test_it_approves_a_reply(self):
        ticket = self.replied_ticket()
        response = self.act(self.reviewer, ticket, "review_reply", {"decision": "yes", "note": ""})
        self.assert_done(response, ticket, Status.RESOLVED, "review_reply")

    def test_it_closes_a_ticket_on_a_satisfied_follow_up(self):
        ticket = self.resolved_ticket()
        response = self.act(self.followup, ticket, "follow_up",
                            {"reached": "yes", "satisfaction": "5", "solved": "yes", "unit_contacted": "yes",
                             "unit_contact_method": "phone", "note": "满意"})
        self.assert_done(response, ticket, Status.CLOSED, "follow_up")
        assert FollowUp.objects.get(ticket=ticket).satisfaction == "5"

    def test_it_sends_a_ticket_back_for_rework_after_the_units_fault(self):
        ticket = self.resolved_ticket()
        response = self.act(self.followup, ticket, "follow_up", {
            "reached": "yes", "satisfaction": "1", "solved": "no", "unit_contacted": "no", "fault": "unit",
            "note": "未实际处理"})
        self.assert_done(response, ticket, Status.IN_PROGRESS, "rework")
        assert ticket.rework_due is not None

    def test_it_asks_again_when_the_units_contact_is_not_answered(self):
        ticket = self.resolved_ticket()
        response = self.act(self.followup, ticket, "follow_up", {"reached": "yes", "satisfaction": "5",
                                                                 "solved": "yes", "unit_contacted": ""})
        self.assertContains(response, "请填写承办单位是否联系过服务对象", status_code=400)
        ticket.refresh_from_db()
        assert ticket.status == Status.RESOLVED


class TestErrorsInOnePlace(ActionCase):
    def test_it_is_403_with_the_workflows_chinese_message_for_a_role_that_may_not(self):
        ticket = self.new_ticket()
        response = self.act(self.reviewer, ticket, "dispatch", {"lead_unit": self.unit_a.pk})
        self.assertContains(response, "当前角色无权执行“转派”", status_code=403)
        ticket.refresh_from_db()
        assert ticket.status == Status.PENDING_DISPATCH

    def test_it_is_409_when_the_status_no_longer_allows_the_action(self):
        ticket = self.signed_ticket()
        response = self.act(self.unit_a_handler, ticket, "sign")
        self.assertContains(response, "工单当前状态为“办理中”，不能执行“签收”", status_code=409)

    def test_it_is_404_when_the_ticket_belongs_to_another_unit(self):
        ticket = self.dispatched_ticket()
        assert self.act(self.unit_b_handler, ticket, "sign").status_code == 404
        ticket.refresh_from_db()
        assert ticket.status == Status.DISPATCHED

    def test_it_is_404_for_an_unknown_verb_and_405_for_a_get(self):
        ticket = self.dispatched_ticket()
        assert self.act(self.unit_a_handler, ticket, "teleport").status_code == 404
        assert self.client.get(f"/tickets/{ticket.number}/sign/").status_code == 405

    def test_it_keeps_the_typed_input_and_opens_the_failed_form(self):
        ticket = self.signed_ticket()
        response = self.act(self.unit_a_handler, ticket, "request_extension",
                            {"working_days": 30, "reason": "需协调多方"})
        assert response.status_code == 400
        self.assertContains(response, "需协调多方", status_code=400)
        self.assertContains(response, 'id="act-request_extension" class="accordion-collapse collapse show"',
                            status_code=400)
        self.assertContains(response, "请按右侧表单中标出的提示修改", status_code=400)
        self.assertContains(response, "延期工作日不能大于10", count=1, status_code=400)

    def test_it_answers_htmx_with_the_fragment_and_the_same_status(self):
        ticket = self.signed_ticket()
        failed = self.act(self.unit_a_handler, ticket, "sign", **HX)
        assert failed.status_code == 409
        self.assertTemplateUsed(failed, "web/_ticket_main.html")
        self.assertTemplateNotUsed(failed, "web/base.html")
        done = self.act(self.unit_a_handler, ticket, "contact_attempt", {"method": "sms"}, **HX)
        assert done.status_code == 200
        self.assertContains(done, "联系服务对象：已完成")
        self.assertTemplateNotUsed(done, "web/base.html")

    def test_it_never_changes_the_ticket_when_the_form_is_invalid(self):
        ticket = self.new_ticket()
        before = Ticket.objects.values().get(pk=ticket.pk)
        response = self.act(self.dispatcher, ticket, "dispatch", {"lead_unit": "999999"})
        assert response.status_code == 400
        assert Ticket.objects.values().get(pk=ticket.pk) == before
