"""Revealing a requester's value from the ticket page: offered to the lead unit's manager with a reason, refused
on confidential tickets outside the hotline, always written to the access log the hotline manager reads (Art. 23)."""

from __future__ import annotations

import csv
import io
from typing import Any

from hotline.directory.models import Topic
from hotline.privacy.models import AccessLog, SecurityEvent, SecurityKind
from tests.base import HotlineTestCase

PHONE = "15873920461"


class TestRevealOnTheTicketPage(HotlineTestCase):
    def setUp(self) -> None:
        self.ticket = self.signed_ticket(requester={"name": "欧阳金丝雀", "phone": PHONE})

    def page(self, user: object, number: str) -> bytes:
        self.client.force_login(user)  # type: ignore[arg-type]
        return self.client.get(f"/tickets/{number}/").content

    def reveal(self, number: str, reason: str = "联系服务对象核实现场", **headers: Any) -> Any:
        return self.client.post(f"/tickets/{number}/reveal/", {"field": "phone", "reason": reason}, **headers)

    def test_it_offers_the_lead_units_manager_the_full_number_with_a_reason_and_logs_it(self) -> None:
        body = self.page(self.unit_a_manager, self.ticket.number).decode()
        assert "显示完整号码" in body and PHONE not in body
        response = self.reveal(self.ticket.number, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and PHONE in response.content.decode()
        assert response["Cache-Control"].startswith("max-age=0")
        log = AccessLog.objects.get()
        assert (log.staff, log.ticket, log.field, log.allowed, log.reason) == (
            self.unit_a_manager, self.ticket, "phone", True, "联系服务对象核实现场")

    def test_it_does_not_offer_a_handler_and_refuses_and_logs_a_forged_request(self) -> None:
        assert "显示完整号码" not in self.page(self.unit_a_handler, self.ticket.number).decode()
        response = self.reveal(self.ticket.number)
        assert response.status_code == 403
        assert PHONE not in response.content.decode()
        log = AccessLog.objects.get()
        assert (log.allowed, log.refusal) == (False, "role_not_allowed")

    def test_it_refuses_a_confidential_ticket_outside_the_hotline(self) -> None:
        noise = self.signed_ticket(topic=Topic.objects.get(code="0103"), requester={"name": "司马百灵", "phone": PHONE})
        body = self.page(self.unit_a_manager, noise.number).decode()
        assert "显示完整号码" not in body and PHONE not in body
        response = self.reveal(noise.number)
        assert response.status_code == 403
        assert "保密工单" in response.content.decode()
        assert AccessLog.objects.get().refusal == "confidential"

    def test_it_asks_for_a_reason(self) -> None:
        self.client.force_login(self.unit_a_manager)
        response = self.reveal(self.ticket.number, reason="")
        assert response.status_code == 400 and PHONE not in response.content.decode()

    def test_it_answers_404_for_another_units_ticket(self) -> None:
        self.client.force_login(self.unit_b_handler)
        assert self.reveal(self.ticket.number).status_code == 404
        assert not AccessLog.objects.exists()


class TestAccessLogPage(HotlineTestCase):
    def setUp(self) -> None:
        ticket = self.signed_ticket(requester={"name": "欧阳金丝雀", "phone": PHONE})
        self.client.force_login(self.unit_a_handler)
        self.client.post(f"/tickets/{ticket.number}/reveal/", {"field": "phone", "reason": "=HYPERLINK(1)"})
        self.client.force_login(self.unit_a_manager)
        self.client.post(f"/tickets/{ticket.number}/reveal/", {"field": "phone", "reason": "核实地址"})
        self.client.logout()

    def test_it_shows_the_manager_every_reveal_and_refusal(self) -> None:
        self.client.force_login(self.manager)
        body = self.client.get("/access-log/").content.decode()
        assert "核实地址" in body and "当前角色无权查看完整个人信息" in body

    def test_it_exports_csv_that_a_spreadsheet_will_not_run_and_records_the_export(self) -> None:
        self.client.force_login(self.manager)
        response = self.client.get("/access-log.csv")
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff时间,查看人")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        assert len(rows) == 3 and "'=HYPERLINK(1)" in [cell for row in rows for cell in row]
        assert SecurityEvent.objects.filter(kind=SecurityKind.ACCESS_LOG_EXPORT, staff=self.manager).exists()

    def test_it_is_closed_to_everyone_else(self) -> None:
        for user in (self.reviewer, self.supervisor, self.unit_a_manager):
            self.client.force_login(user)
            assert self.client.get("/access-log/").status_code == 403
            assert self.client.get("/access-log.csv").status_code == 403
