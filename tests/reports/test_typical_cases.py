"""Typical cases (Art. 26): the manager chooses tickets of the month by number; the bulletin prints each with its
number, topic, lead unit, request and outcome, and no name, phone or ID number (Art. 23)."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from hotline.lib.errors import InvalidInput
from hotline.reports import cases, closing
from hotline.reports.models import MonthClose
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.reports.test_closing import ClosedMarch

CONTENT = "张三反映建设路路灯不亮，联系电话13987654321，身份证号430502199001011234，请尽快修复。"


class TestTypicalCases(ClosedMarch):
    def resolved_in_march(self) -> Ticket:
        self.at(2026, 3, 16, 9)
        ticket = self.new_ticket(content=CONTENT, topic=self.topic_streetlight)
        self.at(2026, 3, 16, 10)
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
        workflow.sign(ticket, by=self.unit_a_handler)
        self.at(2026, 3, 17, 10)
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=timezone.now(),
                       process="现场更换灯具", result="已更换建设路路灯灯具，张三确认恢复照明。",
                       contact_note="电话告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        return ticket

    def published(self, ticket: Ticket) -> MonthClose:
        self.close()
        closing.review_month(2026, 3, by=self.manager, typical_tickets=f"{ticket.number} 当日响应，次日修复",
                             typical_cases="两件案例均已回访满意。")
        return closing.publish_month(2026, 3, by=self.manager)

    def test_the_chosen_case_reads_back_from_the_docx_with_its_facts_and_no_personal_data(self):
        ticket = self.resolved_in_march()
        doc = Document(io.BytesIO(bytes(self.published(ticket).docx)))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert f"案例1：工单{ticket.number}，路灯照明，承办单位：市城管执法局。" in text
        assert "诉求：张*反映建设路路灯不亮，联系电话139****4321，身份证号430502********1234，请尽快修复。" in text
        assert "办理结果：已更换建设路路灯灯具，张*确认恢复照明。" in text
        assert "点评：当日响应，次日修复" in text and "两件案例均已回访满意。" in text
        for secret in ("张三", "13987654321", "430502199001011234"):
            assert secret not in text

    def test_the_chosen_case_reads_back_from_the_pdf(self):
        ticket = self.resolved_in_march()
        reader = PdfReader(io.BytesIO(bytes(self.published(ticket).pdf)))
        text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
        assert f"工单{ticket.number}" in text and "139****4321" in text
        assert "13987654321" not in text and "张三" not in text

    def test_it_refuses_a_number_that_names_no_ticket_and_a_ticket_of_another_month(self):
        self.at(2026, 2, 27, 9)
        february = self.new_ticket()  # received in February, still waiting in March: not March's
        self.close()
        for text, code, message in [
            ("20260399999999", "case_not_found", "工单20260399999999不存在或不在您的查看范围内"),
            (february.number, "case_not_in_month", f"工单{february.number}不是2026年3月受理或办结的工单"),
        ]:
            with pytest.raises(InvalidInput) as err:
                closing.review_month(2026, 3, by=self.manager, typical_tickets=text)
            assert (err.value.code, err.value.message, err.value.field) == (code, message, "typical_tickets")
        assert MonthClose.objects.get(year=2026, month=3).typical_tickets == []
        # On the screen the month comes back with what the manager typed and the error on the field, not an error
        # page that loses the typing.
        self.client.force_login(self.manager)
        typed = f"{february.number} 及时回应"
        response = self.client.post("/reports/months/2026/3/review/", {"typical_tickets": typed})
        page = response.content.decode()
        assert response.status_code == 400 and 'data-testid="review-month"' in page
        assert f"工单{february.number}不是2026年3月受理或办结的工单" in page and typed in page

    def test_a_unit_handler_cannot_choose_and_a_ticket_received_in_the_month_can_be(self):
        self.build_march()
        received = Ticket.objects.filter(created_at__month=3).order_by("created_at").first()
        assert cases.validate(cases.parse(f"{received.number}\n"), by=self.manager, year=2026, month=3) == [
            {"number": received.number, "comment": ""}]
        with pytest.raises(InvalidInput) as err:  # outside a unit's scope, as if it did not exist
            cases.validate(cases.parse(self.new_ticket().number), by=self.unit_b_handler, year=2026, month=3)
        assert err.value.code == "case_not_found"
