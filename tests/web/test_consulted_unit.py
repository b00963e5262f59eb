"""The consulted unit's screens (Art. 12(1)): its consultation tab, the question with the 24-hour clock, an answer
that reaches the operator, who then answers the requester."""

from hotline.tickets import workflow
from hotline.tickets.choices import Status
from hotline.tickets.models import ConsultationAnswer
from tests.base import HotlineTestCase

HX = {"HTTP_HX_REQUEST": "true"}


class TestConsultedUnit(HotlineTestCase):
    def consulting(self):
        ticket = self.new_ticket(request_type="consultation", content="公租房申请需要哪些材料")
        return workflow.consult(ticket, by=self.operator, unit=self.unit_b, note="请答复申请材料清单")

    def test_the_unit_finds_the_consultation_in_its_inbox_and_sees_the_question_and_the_clock(self):
        ticket = self.consulting()
        self.client.force_login(self.unit_b_handler)
        inbox = self.client.get("/inbox/?queue=consult")
        assert ticket in inbox.context["rows"]
        assert "咨询待答复" in inbox.content.decode()
        page = self.client.get(f"/tickets/{ticket.number}/")
        body = page.content.decode()
        assert page.status_code == 200
        assert "请答复申请材料清单" in body and "答复时限" in body and "答复热线咨询" in body

    def test_the_answer_reaches_the_operator_who_answers_the_requester_with_it(self):
        ticket = self.consulting()
        self.client.force_login(self.unit_b_handler)
        response = self.client.post(f"/tickets/{ticket.number}/consult_reply/", {"text": "身份证、户口簿、收入证明"})
        assert response.status_code == 302
        again = self.client.post(f"/tickets/{ticket.number}/consult_reply/", {"text": "再答一次"}, **HX)
        assert again.status_code in (403, 409)
        assert ConsultationAnswer.objects.count() == 1
        self.client.force_login(self.operator)
        assert ticket in self.client.get("/desk/?queue=consulted").context["rows"]
        page = self.client.get(f"/tickets/{ticket.number}/").content.decode()
        assert "身份证、户口簿、收入证明" in page
        answered = self.client.post(f"/tickets/{ticket.number}/answer/", {"text": "已回拨告知：身份证、户口簿"})
        assert answered.status_code == 302
        ticket.refresh_from_db()
        assert ticket.status == Status.ANSWERED

    def test_another_unit_still_gets_404(self):
        ticket = self.consulting()
        self.client.force_login(self.unit_a_handler)
        assert self.client.get(f"/tickets/{ticket.number}/").status_code == 404

    def test_once_dispatched_elsewhere_the_consultation_leaves_the_consulted_units_tabs_not_its_list(self):
        # Consulted with unit B, then sent to unit A to handle: B has no work left on it (Art. 12(1)); it used to
        # show in B's 待签收 and 办理中 as if B held it.
        ticket = self.consulting()
        workflow.answer_consultation(ticket, by=self.unit_b_handler, text="属于住建部门职责")
        workflow.dispatch(ticket.__class__.objects.get(pk=ticket.pk), by=self.dispatcher, lead_unit=self.unit_a)
        self.client.force_login(self.unit_b_handler)
        inbox = self.client.get("/inbox/?queue=sign")
        assert ticket not in inbox.context["rows"]
        assert all(count == 0 for _, count in inbox.context["tabs"]), inbox.context["tabs"]
        assert ticket.number in self.client.get("/tickets/").content.decode()  # its part stays in its history
        self.client.force_login(self.unit_a_handler)
        assert ticket in self.client.get("/inbox/?queue=sign").context["rows"]
