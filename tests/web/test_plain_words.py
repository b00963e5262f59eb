"""The screens speak plain Chinese: field messages name the field, an error is shown once, nothing dangerous is
preselected, and the timeline says how each review ended."""

from hotline.tickets import workflow
from tests.base import HotlineTestCase

HX = {"HTTP_HX_REQUEST": "true"}


class TestPlainWords(HotlineTestCase):
    def test_number_fields_say_what_is_wrong_in_words_naming_the_field(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_a_handler)
        cases = (("0", "延期工作日不能小于1"), ("abc", "延期工作日须为整数"), ("11", "延期工作日不能大于10"))
        for days, message in cases:
            body = self.client.post(f"/tickets/{ticket.number}/request_extension/",
                                    {"working_days": days, "reason": "需协调"}, **HX).content.decode()
            assert message in body, days
            assert "确保该值" not in body and "输入整数" not in body

    def test_an_error_on_a_field_is_shown_once(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_a_handler)
        body = self.client.post(f"/tickets/{ticket.number}/reply/", {
            "handler_name": "李工", "handled_at": "2099-01-01T10:00", "process": "现场查看", "result": "已修复",
            "contact_note": "电话告知", "contacted": "yes"}, **HX).content.decode()
        assert body.count("办理时间不能晚于当前时间") == 1
        assert "带时区" not in body

    def test_the_decline_reason_starts_empty(self):
        ticket = self.new_ticket()
        self.client.force_login(self.operator)
        form = self.client.get(f"/tickets/{ticket.number}/").context["panels"]
        decline = next(p["form"] for p in form if p["action"].verb == "decline")
        html = str(decline["reason_code"])
        assert '<option value="" selected>请选择第十条规定的原因</option>' in html
        response = self.client.post(f"/tickets/{ticket.number}/decline/", {"explanation": "已告知"}, **HX)
        assert response.status_code == 400 and "请选择不予受理原因（第十条）" in response.content.decode()

    def test_the_timeline_says_whether_a_review_passed(self):
        ticket = self.replied_ticket()
        workflow.review_reply(ticket, by=self.reviewer, approve=False, note="未写明联系情况")
        self.client.force_login(self.reviewer)
        rows = [row.action for row in self.client.get(f"/tickets/{ticket.number}/").context["timeline"]]
        assert "审核办结：不通过" in rows

    def test_the_timeline_says_how_a_contact_attempt_went(self):
        ticket = self.signed_ticket()
        workflow.record_contact_attempt(ticket, by=self.unit_a_handler, method="call", reached=False, note="未接")
        self.client.force_login(self.unit_a_handler)
        rows = [row.action for row in self.client.get(f"/tickets/{ticket.number}/").context["timeline"]]
        assert "联系服务对象（回拨电话）：未联系上" in rows
