"""The lead unit reaches the requester (Art. 14(2), 15, 17) without leaking them (Art. 23): name and phone in one
logged click, a hotline relay on confidential tickets, and a reply that must say whether the requester was reached."""

from django.utils import timezone

from hotline.directory.models import Topic
from hotline.privacy.models import AccessLog
from hotline.privacy.reveal import CONTACT_PURPOSE
from hotline.tickets.models import ContactAttempt, Reply
from tests.base import HotlineTestCase

HX = {"HTTP_HX_REQUEST": "true"}
PHONE = "13987654321"


class TestContactingTheRequester(HotlineTestCase):
    def test_the_lead_units_handler_reveals_name_and_phone_in_one_click_with_the_purpose_logged(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_a_handler)
        page = self.client.get(f"/tickets/{ticket.number}/").content.decode()
        assert "显示姓名和电话以联系服务对象" in page and PHONE not in page
        response = self.client.post(f"/tickets/{ticket.number}/contact/", **HX)
        body = response.content.decode()
        assert response.status_code == 200 and PHONE in body and "张三" in body
        logs = AccessLog.objects.order_by("field")
        assert [(log.field, log.allowed, log.reason, log.staff) for log in logs] == [
            ("name", True, CONTACT_PURPOSE, self.unit_a_handler), ("phone", True, CONTACT_PURPOSE, self.unit_a_handler)]
        assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]

    def test_an_assisting_unit_gets_no_contact_action_and_a_forged_request_is_refused_and_logged(self):
        ticket = self.new_ticket()
        from hotline.tickets import workflow

        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])
        self.client.force_login(self.unit_b_handler)
        assert "显示姓名和电话" not in self.client.get(f"/tickets/{ticket.number}/").content.decode()
        response = self.client.post(f"/tickets/{ticket.number}/contact/")
        assert response.status_code == 403 and PHONE not in response.content.decode()
        assert AccessLog.objects.get().refusal == "not_lead_unit"

    def test_a_handler_still_cannot_reveal_with_a_reason_of_their_own(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_a_handler)
        response = self.client.post(f"/tickets/{ticket.number}/reveal/", {"field": "id_number", "reason": "核实"})
        assert response.status_code == 403

    def test_on_a_confidential_ticket_the_unit_is_told_to_ask_the_hotline_to_relay_and_records_it(self):
        noise = self.signed_ticket(topic=Topic.objects.get(code="0103"), requester={"name": "司马百灵", "phone": PHONE})
        self.client.force_login(self.unit_a_handler)
        page = self.client.get(f"/tickets/{noise.number}/").content.decode()
        assert "三方通话" in page and PHONE not in page and "显示姓名和电话" not in page
        assert self.client.post(f"/tickets/{noise.number}/contact/").status_code == 403
        assert AccessLog.objects.get().refusal == "confidential"
        response = self.client.post(f"/tickets/{noise.number}/contact_attempt/",
                                    {"method": "relay", "reached": "on", "note": "热线三方通话告知处理进度"})
        assert response.status_code == 302
        attempt = ContactAttempt.objects.get(ticket=noise)
        assert (attempt.method, attempt.reached, attempt.by) == ("relay", True, self.unit_a_handler)


class TestTheReplySaysWhetherTheRequesterWasReached(HotlineTestCase):
    FIELDS = {"handler_name": "李工", "handled_at": "2026-03-09T10:00", "process": "现场查看",
              "result": "已修复", "contact_note": "三次回拨均未接通"}

    def test_the_form_chooses_nothing_and_refuses_a_reply_without_an_answer(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_a_handler)
        page = self.client.get(f"/tickets/{ticket.number}/").content.decode()
        start = page.index('name="contacted"')
        assert "checked" not in page[start - 200:start + 400]
        response = self.client.post(f"/tickets/{ticket.number}/reply/", self.FIELDS, **HX)
        assert response.status_code == 400
        assert "请选择是否已联系上服务对象" in response.content.decode()
        assert not Reply.objects.exists()

    def test_it_stores_not_reached_when_the_unit_says_so(self):
        ticket = self.signed_ticket()
        self.client.force_login(self.unit_a_handler)
        # The handling happened after the dispatch (I36): the minute the form shows, now.
        handled_at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        response = self.client.post(f"/tickets/{ticket.number}/reply/",
                                    {**self.FIELDS, "handled_at": handled_at, "contacted": "no"})
        assert response.status_code == 302
        assert Reply.objects.get().contacted is False
