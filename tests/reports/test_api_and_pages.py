"""The statistics API (issue contract: /statistics/monthly, /assessment/{year}/{month}, /bulletins/...) and the
month, assessment, sheet and live pages, on the hand-built March."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from hotline.api import tokens
from hotline.reports import closing
from hotline.tickets.models import Ticket
from tests.reports.test_indicators import MarchStory

CONTRACT = ("received", "declined", "answered_directly", "dispatched", "signed_on_time", "signs_due",
            "replied_on_time", "replies_due", "overdue", "returns_approved", "extensions_approved", "follow_ups",
            "satisfied", "dissatisfied", "excluded_by_appeal", "solved", "reworks")


class StatisticsTestCase(MarchStory):
    def api(self, path: str, user):  # noqa: ANN001
        token, _ = tokens.issue(user)
        return self.client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {token}")

    def closed(self) -> None:
        self.build_march()
        self.at(2026, 4, 2, 9)
        closing.close_month(2026, 3, by=self.manager)


class TestMonthlyApi(StatisticsTestCase):
    def test_it_returns_the_city_and_every_unit_with_the_contract_fields(self):
        self.closed()
        body = self.api("/statistics/monthly?month=2026-03", self.reviewer).json()
        assert body["state"] == "frozen" and body["number"] == "〔2026〕第1期"
        assert all(name in body["city"] for name in CONTRACT)
        assert body["groups"]["city"]["dispatched"] == 7 and body["groups"]["county"]["reply_on_time_rate"] is None
        a = next(u for u in body["units"] if u["code"] == "cgzf")
        assert (a["replies_due"], a["replied_on_time"], a["reply_on_time_rate"]) == (5, 3, 60.0)
        # 解决率 from the follow-up calls (Art. 17): F unsolved at the unit's fault, A, F again and B solved: 3 of 4.
        assert a["solve_rate"] == 75.0
        b = next(u for u in body["units"] if u["code"] == "shuangqing")
        assert b["solve_rate"] is None  # "—": no denominator, never 100 %

    def test_an_open_month_is_computed_from_the_events(self):
        self.build_march()
        body = self.api("/statistics/monthly?month=2026-03&unit=zjj", self.manager).json()
        assert body["state"] == "open" and [u["code"] for u in body["units"]] == ["zjj"]
        assert body["units"][0]["satisfaction_rate"] is None

    def test_a_unit_reads_only_its_own_line(self):
        self.closed()
        body = self.api("/statistics/monthly?month=2026-03", self.unit_a_handler).json()
        assert [u["code"] for u in body["units"]] == ["cgzf"]
        response = self.api("/statistics/monthly?month=2026-03&unit=zjj", self.unit_a_handler)
        assert response.status_code == 404 and response.json()["code"] == "unknown_unit"

    def test_a_bad_month_is_a_clear_400(self):
        self.at(2026, 4, 2, 9)
        response = self.api("/statistics/monthly?month=2026-13", self.manager)
        assert response.status_code == 400 and response.json()["code"] == "invalid_month"
        assert "YYYY-MM" in response.json()["message"]
        assert self.api("/assessment/2026/13", self.manager).json()["code"] == "invalid_month"
        assert self.api("/bulletins/99999999999/1.pdf", self.manager).json()["code"] == "invalid_month"
        self.client.force_login(self.manager)
        assert self.client.get("/reports/months/99999999999/1/bulletin.pdf").status_code == 404


class TestAssessmentAndBulletinApi(StatisticsTestCase):
    def test_scores_groups_and_ranks(self):
        self.closed()
        body = self.api("/assessment/2026/3", self.manager).json()
        units = {u["code"]: u for u in body["units"]}
        assert units["zjj"]["rank"] == 1 and units["cgzf"]["rank"] == 2 and units["cgzf"]["score"] == 14.25
        assert units["shuangqing"]["rank"] is None and units["shuangqing"]["group"] == "county"

    def test_a_bulletin_is_served_only_once_published(self):
        self.closed()
        response = self.api("/bulletins/2026/3.pdf", self.unit_a_handler)
        assert response.status_code == 404 and response.json()["code"] == "bulletin_not_published"
        closing.review_month(2026, 3, by=self.manager)
        closing.publish_month(2026, 3, by=self.manager)
        for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")):
            response = self.api(f"/bulletins/2026/3.{fmt}", self.unit_a_handler)
            assert response.status_code == 200 and response.content.startswith(magic)


class TestPages(StatisticsTestCase):
    def test_the_manager_closes_reviews_and_publishes_in_the_browser_forms(self):
        self.build_march()
        self.at(2026, 4, 2, 9)
        self.client.force_login(self.manager)
        assert self.client.post("/reports/months/2026/3/close/").status_code == 302
        page = self.client.get("/reports/months/2026/3/").content.decode()
        assert "已冻结待审核" in page and "红榜" in page and "市城管执法局" in page
        self.client.post("/reports/months/2026/3/review/", {"typical_cases": "路灯当日修复", "note": ""})
        self.client.post("/reports/months/2026/3/publish/")
        response = self.client.get("/reports/months/2026/3/bulletin.docx")
        assert response.status_code == 200 and response["Content-Type"].endswith("document")
        again = self.client.post("/reports/months/2026/3/close/")
        assert again.status_code == 409 and "已发布" in again.content.decode()

    def test_the_review_form_names_a_typical_case_number_that_is_not_the_months(self):
        self.build_march()
        self.at(2026, 4, 2, 9)
        self.client.force_login(self.manager)
        self.client.post("/reports/months/2026/3/close/")
        response = self.client.post("/reports/months/2026/3/review/",
                                    {"typical_tickets": "20260399999999 路灯", "typical_cases": "", "note": ""})
        assert response.status_code == 400
        assert "工单20260399999999不存在或不在您的查看范围内" in response.content.decode()
        number = Ticket.objects.order_by("created_at").first().number
        response = self.client.post("/reports/months/2026/3/review/",
                                    {"typical_tickets": f"{number} 当日修复", "typical_cases": "", "note": ""})
        assert response.status_code == 302
        page = self.client.get("/reports/months/2026/3/").content.decode()
        assert f"{number} 当日修复" in page  # the choice is shown again as typed

    def test_a_reviewer_cannot_close(self):
        self.build_march()
        self.at(2026, 4, 2, 9)
        self.client.force_login(self.reviewer)
        assert self.client.post("/reports/months/2026/3/close/").status_code == 403

    def test_a_unit_sees_its_own_sheet_with_evidence_links_and_no_other(self):
        self.closed()
        self.client.force_login(self.unit_a_handler)
        page = self.client.get("/reports/assessment/2026/3/cgzf/").content.decode()
        assert "未及时联系服务对象" in page and 'class="evidence-link' in page and "#event-" in page
        assert self.client.get("/reports/assessment/2026/3/zjj/").status_code == 404
        listing = self.client.get("/reports/assessment/2026/3/").content.decode()
        assert "市城管执法局" in listing and "市住房和城乡建设局" not in listing

    def test_the_yearly_export_lists_each_units_monthly_score(self):
        self.closed()
        self.client.force_login(self.manager)
        wb = load_workbook(io.BytesIO(self.client.get("/reports/assessment/2026.xlsx").content))
        rows = {r[0]: r for r in wb.active.iter_rows(min_row=2, values_only=True)}
        assert rows["市城管执法局"][2] == 14.25 and rows["双清区"][2] == "—"

    def test_the_live_overview_and_its_data(self):
        self.build_march()
        self.at(2026, 3, 31, 16)
        self.client.force_login(self.supervisor)
        assert "数据看板" in self.client.get("/reports/live/").content.decode()
        data = self.client.get("/reports/live/data.json").json()
        assert {"today", "units", "hotspots", "satisfaction", "counties"} <= set(data)
        units = {u["unit"]: u for u in data["units"]}
        assert units["市城管执法局"]["overdue"] >= 1  # E is past its handling deadline
        self.client.force_login(self.unit_a_handler)
        assert self.client.get("/reports/live/data.json").status_code == 403
