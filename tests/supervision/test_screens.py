"""The supervisor's desk and the units' 督办件 on screen: 督办中心 with filters and counts, 催办工作台, the case
page's actions with Chinese errors, the unit's tab, the ticket page's colour, and the papers as DOCX and PDF."""

from __future__ import annotations

import io

from django.test import Client
from docx import Document
from pypdf import PdfReader

from hotline.supervision import cases, triggers
from hotline.supervision.models import SupervisionCase
from tests.base import PASSWORD, local
from tests.supervision.support import SupervisionTestCase


class ScreensTest(SupervisionTestCase):
    def login(self, user) -> Client:  # type: ignore[no-untyped-def]
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    def test_the_supervisor_lands_on_the_centre_and_filters_by_trigger_and_colour(self) -> None:
        case = self.open_case(title="路灯长期不亮")
        self.open_case(trigger="media", method="onsite", title="媒体曝光的占道经营",
                       evidence={"media_name": "邵阳日报", "media_link": "https://x.cn/1"})
        client = self.login(self.supervisor)
        assert client.get("/").url == "/supervision/"
        page = client.get("/supervision/").content.decode()
        assert "路灯长期不亮" in page and "媒体曝光的占道经营" in page and "督办中：2" in page
        page = client.get("/supervision/", {"trigger": "overdue"}).content.decode()
        assert "路灯长期不亮" in page and "媒体曝光的占道经营" not in page
        self.move_to(local(2026, 3, 16, 9))
        client = self.login(self.supervisor)  # a week later: the idle session has ended
        page = client.get("/supervision/", {"colour": "yellow"}).content.decode()
        assert case.number in page and 'data-colour="yellow"' in page
        urge = client.get("/supervision/urge/").content.decode()
        assert case.number in urge and "登记催办" in urge

    def test_the_case_page_acts_and_shows_a_refusal_in_chinese(self) -> None:
        case = self.open_case()
        client = self.login(self.supervisor)
        response = client.post(f"/supervision/cases/{case.pk}/urge/", {"method": "phone", "person_reached": "王科长",
                                                                      "promise": "明天办结"})
        assert response.status_code == 302
        page = client.get(f"/supervision/cases/{case.pk}/").content.decode()
        assert "王科长" in page and "明天办结" in page and "催办" in page
        refused = client.post(f"/supervision/cases/{case.pk}/escalate/", {"note": "未解决"})
        assert refused.status_code == 409
        assert "督办时限届满前不能呈报市政府督查室" in refused.content.decode()

    def test_the_unit_sees_its_tab_replies_and_the_ticket_shows_the_colour(self) -> None:
        ticket = self.signed_ticket()
        case = self.open_case(ticket)
        client = self.login(self.unit_a_handler)
        tab = client.get("/supervision/unit/").content.decode()
        assert case.number in tab and "countdown" in tab
        assert "反馈办理情况" in client.get(f"/supervision/cases/{case.pk}/").content.decode()
        done = client.post(f"/supervision/cases/{case.pk}/reply/", {"actions_taken": "现场整改", "result": "已修复"})
        assert done.status_code == 302
        assert SupervisionCase.objects.get(pk=case.pk).status == "answered"
        self.move_to(local(2026, 3, 17, 1))
        client = self.login(self.unit_a_handler)
        page = client.get(f"/tickets/{ticket.number}/").content.decode()
        assert 'data-testid="ticket-supervision"' in page and 'data-colour="red"' in page
        assert self.login(self.unit_b_handler).get(f"/supervision/cases/{case.pk}/").status_code == 404

    def test_opening_by_hand_needs_the_evidence_and_proposals_can_be_opened(self) -> None:
        ticket = self.signed_ticket()
        client = self.login(self.supervisor)
        refused = client.post("/supervision/new/", {"trigger": "assigned", "method": "letter",
                                                    "tickets": ticket.number})
        assert refused.status_code == 400 and "请填写交办文号" in refused.content.decode()
        made = client.post("/supervision/new/", {"trigger": "assigned", "method": "letter", "tickets": ticket.number,
                                                 "document_number": "邵政办交〔2026〕5号"})
        assert made.status_code == 302
        triggers.fire("overdue", [ticket], now=local(2026, 3, 17))
        record = triggers.proposals()[0][0]
        assert client.post(f"/supervision/proposals/{record.pk}/open/", {"method": "phone"}).status_code == 302
        assert SupervisionCase.objects.filter(trigger="overdue", method="phone").exists()

    def test_the_letter_and_dossier_read_back_from_docx_and_pdf(self) -> None:
        case = self.open_case(title="小区路灯不亮", method="letter")
        self.move_to(local(2026, 3, 24, 9))
        cases.escalate(case, by=self.supervisor, note="经督办仍未解决")
        client = self.login(self.supervisor)
        letter = ["邵阳市12345热线督办函", case.number, "第二十四条第一项", "2026年03月23日24时前", "回复单"]
        for kind, words in (("letter", letter),
                            ("dossier", ["呈报材料", case.number, "经督办仍未解决", "市人民政府督查室"])):
            docx = client.get(f"/supervision/cases/{case.pk}/papers/{kind}.docx")
            assert docx.status_code == 200
            text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
            pdf = client.get(f"/supervision/cases/{case.pk}/papers/{kind}.pdf")
            assert pdf["Content-Type"] == "application/pdf"
            pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
            for word in words:
                assert word in text, (kind, word)
                assert word in pdf_text.replace("\n", ""), (kind, word)
        assert self.login(self.unit_a_handler).get(
            f"/supervision/cases/{case.pk}/papers/dossier.pdf").status_code == 403

    def test_the_pool_and_coordination_record_screens(self) -> None:
        ticket = self.signed_ticket()
        client = self.login(self.supervisor)
        made = client.post("/supervision/difficult/", {"ticket": ticket.number, "reason": "职责交叉"})
        assert made.status_code == 302
        record = client.get(made.url).content.decode()
        assert "确定承办单位并改派" in record and "提请市政府领导督办" in record
        refused = client.post(made.url + "undetermined/", {"leader": ""})
        assert refused.status_code == 400
        decided = client.post(made.url + "decide/", {"lead_unit": self.unit_b.pk, "basis": "三定方案"})
        assert decided.status_code == 302
        assert "已明确承办单位" in client.get(made.url).content.decode()
        assert ticket.number in client.get("/supervision/difficult/").content.decode()
