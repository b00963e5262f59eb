"""The follow-up desk, the unit's appeal form, the reviewer's decision and the ledger, as a browser without
JavaScript uses them (Art. 17, 25)."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from hotline.followups import ratings
from hotline.followups.models import Appeal
from hotline.privacy.models import AccessLog
from hotline.tickets import workflow
from hotline.tickets.choices import Action, AppealState, Status
from hotline.tickets.models import FollowUp, Ticket
from tests.base import local
from tests.followups.support import FollowUpTestCase
from tests.tickets.support import PNG, photo


class ScreenCase(FollowUpTestCase):
    def as_(self, person) -> Client:
        client = Client()
        client.force_login(person)
        return client


class TestFollowUpDesk(ScreenCase):
    def test_it_lists_resolved_tickets_longest_waiting_first_with_the_clock_and_the_requesters_rating(self):
        first = self.resolved_ticket()
        self.move_to(first.resolved_at.replace(hour=3))  # 11:00 Beijing time
        second = self.resolved_ticket()
        ratings.rate_on_portal(second, satisfaction="1", comment="没人来")
        page = self.as_(self.followup).get("/followups/").content.decode()
        assert page.index(first.number) < page.index(second.number)
        assert "网站评价：非常不满意" in page
        assert "2026年3月11日 24:00" in page  # 2 working days after Monday 9 March, as on the ticket page

    def test_it_shows_the_stored_deadline_that_the_resolution_set(self):
        ticket = self.resolved_ticket()
        merged = self.new_ticket(requester={"name": "李四", "phone": "13811112222"})
        workflow.merge(merged, by=self.dispatcher, into=ticket, note="同一路灯")
        # The desk reads the column, never recomputes it: a due moved in the row is the due shown.
        Ticket.objects.filter(pk=ticket.pk).update(follow_up_due=local(2026, 3, 20, 9))
        page = self.as_(self.followup).get("/followups/").content.decode()
        assert page.count("2026年3月20日 09:00") == 2  # the ticket and its merged requester, on the original's clock
        call = self.as_(self.followup).get(f"/followups/{merged.number}/").content.decode()
        assert "回访时限 2026年3月20日 09:00" in call
        self.move_to(local(2026, 3, 20, 9, 1))
        assert "已超时" in self.as_(self.followup).get("/followups/").content.decode()

    def test_it_shows_the_reply_the_ratings_and_only_the_masked_phone(self):
        ticket = self.resolved_ticket()
        ratings.rate_on_portal(ticket, satisfaction="2")
        page = self.as_(self.followup).get(f"/followups/{ticket.number}/").content.decode()
        assert "路灯已修复" in page and "139****4321" in page and "13987654321" not in page
        assert 'data-channel="portal"' in page

    def test_the_reveal_is_logged(self):
        ticket = self.resolved_ticket()
        client = self.as_(self.followup)
        response = client.post(f"/tickets/{ticket.number}/reveal/", {"field": "phone", "reason": "回访服务对象"})
        assert "13987654321" in response.content.decode()
        assert AccessLog.objects.filter(staff=self.followup).count() == 1

    def test_a_dissatisfied_call_through_the_unit_goes_back_for_rework_in_one_post(self):
        ticket = self.resolved_ticket()
        response = self.as_(self.followup).post(f"/followups/{ticket.number}/", {
            "reached": "yes", "satisfaction": "1", "solved": "no", "unit_contacted": "no", "fault": "unit",
            "note": "没人联系"})
        assert response.status_code == 302
        ticket.refresh_from_db()
        assert ticket.status == Status.IN_PROGRESS
        assert list(ticket.events.order_by("-id").values_list("action", flat=True)[:2]) == [Action.REWORK,
                                                                                          Action.FOLLOW_UP]

    def test_it_asks_again_when_a_question_is_left_unanswered(self):
        ticket = self.resolved_ticket()
        response = self.as_(self.followup).post(f"/followups/{ticket.number}/", {
            "reached": "yes", "satisfaction": "4", "solved": "yes"})
        self.assertContains(response, "请填写承办单位是否联系过服务对象", status_code=400)
        assert not FollowUp.objects.exists()

    def test_it_is_forbidden_to_other_roles(self):
        for person in (self.operator, self.reviewer, self.unit_a_handler):
            assert self.as_(person).get("/followups/").status_code == 403


class TestAppealScreens(ScreenCase):
    def test_a_unit_appeals_and_a_reviewer_upholds(self):
        ticket, fu = self.rated_dissatisfied()
        unit = self.as_(self.unit_a_handler)
        tab = unit.get("/followups/appeals/").content.decode()
        assert ticket.number in tab
        assert 'data-testid="appeal-button"' in unit.get(f"/tickets/{ticket.number}/").content.decode()
        response = unit.post(f"/followups/{ticket.number}/appeal/", {
            "follow_up": str(fu.pk), "ground": "untrue", "statement": "已多次联系，附通话记录",
            "contact_proof": photo("call-log.png", PNG)})
        assert response.status_code == 302, response.content.decode()
        appeal = Appeal.objects.get()
        reviewer = self.as_(self.reviewer)
        assert ticket.number in reviewer.get("/followups/appeals/").content.decode()
        detail = reviewer.get(f"/followups/appeals/{appeal.pk}/").content.decode()
        assert "与服务对象沟通联系证明：call-log.png" in detail
        evidence = appeal.evidence.get()
        assert reviewer.get(f"/followups/appeals/{appeal.pk}/evidence/{evidence.pk}/").status_code == 200
        response = reviewer.post(f"/followups/appeals/{appeal.pk}/", {"decision": "uphold", "note": "通话记录属实"})
        assert response.status_code == 302
        appeal.refresh_from_db()
        assert appeal.state == AppealState.UPHELD
        page = reviewer.get(f"/tickets/{ticket.number}/").content.decode()
        assert "申诉成立，不计入考核" in page and "不满意" in page

    def test_an_appeal_without_proof_of_contact_is_shown_again_with_the_reason(self):
        ticket, fu = self.rated_dissatisfied()
        response = self.as_(self.unit_a_handler).post(f"/followups/{ticket.number}/appeal/", {
            "follow_up": str(fu.pk), "ground": "untrue", "statement": "说明"})
        self.assertContains(response, "请上传与服务对象沟通联系的证明", status_code=400)

    def test_another_unit_cannot_see_an_appeal(self):
        ticket, fu = self.rated_dissatisfied()
        from hotline.followups.appeals import file_appeal
        from tests.followups.support import contact_proof

        appeal = file_appeal(fu, by=self.unit_a_handler, ground="policy", statement="政策原因",
                             evidence=[contact_proof()])
        assert self.as_(self.unit_b_handler).get(f"/followups/appeals/{appeal.pk}/").status_code == 404
        assert self.as_(self.unit_b_handler).get(f"/followups/{ticket.number}/appeal/").status_code == 404


class TestLedger(ScreenCase):
    def test_it_exports_csv_and_xlsx_without_the_requester(self):
        ticket, fu = self.rated_dissatisfied()
        from hotline.followups.appeals import file_appeal
        from tests.followups.support import contact_proof

        file_appeal(fu, by=self.unit_a_handler, ground="malicious", statement="反复无理投诉",
                    evidence=[contact_proof()])
        client = self.as_(self.manager)
        assert ticket.number in client.get("/followups/ledger/?state=pending").content.decode()
        csv_text = client.get("/followups/ledger.csv").content.decode("utf-8-sig")
        assert csv_text.splitlines()[0].startswith("工单编号,申诉单位")
        assert ticket.number in csv_text and "张三" not in csv_text and "13987654321" not in csv_text
        book = load_workbook(io.BytesIO(client.get("/followups/ledger.xlsx").content))
        rows = list(book.active.iter_rows(values_only=True))
        assert rows[1][0] == ticket.number and rows[1][10] == "待审核"
        assert "0 件" not in client.get("/followups/ledger/?state=pending").content.decode()
        assert "共 0 件" in client.get("/followups/ledger/?state=upheld").content.decode()


class TestConflictsOnScreen(ScreenCase):
    def test_a_second_agent_saving_the_same_call_gets_409_with_the_reason(self):
        ticket = self.resolved_ticket()
        body = {"reached": "yes", "satisfaction": "5", "solved": "yes", "unit_contacted": "yes",
                "unit_contact_method": "phone"}
        assert self.as_(self.followup).post(f"/followups/{ticket.number}/", body).status_code == 302
        response = self.as_(self.manager).post(f"/followups/{ticket.number}/", body)
        self.assertContains(response, "不能执行“回访”", status_code=409)

    def test_a_second_decision_on_an_appeal_gets_409_with_the_reason(self):
        from hotline.followups.appeals import file_appeal
        from tests.followups.support import contact_proof

        _ticket, fu = self.rated_dissatisfied()
        appeal = file_appeal(fu, by=self.unit_a_handler, ground="policy", statement="政策原因",
                             evidence=[contact_proof()])
        assert self.as_(self.reviewer).post(f"/followups/appeals/{appeal.pk}/",
                                            {"decision": "reject", "note": "证据不足"}).status_code == 302
        response = self.as_(self.manager).post(f"/followups/appeals/{appeal.pk}/",
                                               {"decision": "uphold", "note": "改判"})
        self.assertContains(response, "该申诉已审核", status_code=409)
