"""Statistics by level (Art. 26, 30): the city's month by receiving platform, each ticket counted once where it came
in, the total the rows' sum; a county sub-centre closes and publishes its own month and sees no other's."""

from __future__ import annotations

import io

import pytest
import time_machine
from docx import Document

from hotline.lib.errors import Forbidden
from hotline.reports import closing
from hotline.reports.facts import Period
from hotline.reports.levels import level_table, platform_figures
from hotline.reports.models import MonthClose, MonthState
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.base import PASSWORD, local
from tests.platforms import PlatformsTestCase
from tests.reports.support import declined_at_intake

MARCH = Period.month(2026, 3)


class LevelsMarch(PlatformsTestCase):
    """March 2026, ticket by ticket:

    - city platform: `c1` taken, dispatched to unit A, replied on time, approved, followed up 满意; `c2` declined
      at intake (Art. 10). Received 2, accepted 1, declined 1, dispatched 1, 应办结 1 on time, resolved 1, one
      rated visit satisfied: 满意率 100 %.
    - 双清区: `s1` taken, dispatched by its desk to unit C (its unit), replied on time, approved by its reviewer,
      followed up 不满意 (policy, not the unit's fault, so no rework); `s2` taken and left waiting. Received 2,
      accepted 2, dispatched 1, 应办结 1 on time, resolved 1, one rated visit not satisfied: 满意率 0 %.
    - 新邵县: `x1` taken there, passed up to the city platform, dispatched by the city to unit A, replied,
      approved by the city: still 新邵县's (received there). Received 1, accepted 1, dispatched 1, 应办结 1 on
      time, resolved 1, no visit: 满意率 "—".
    - An April ticket at 新邵县 counts in no March figure.

    City total: received 5, accepted 4, declined 1, dispatched 3, resolved 3, 应办结 3, rated visits 2."""

    def reply(self, ticket: Ticket, handler) -> None:  # type: ignore[no-untyped-def]
        workflow.sign(ticket, by=handler)
        workflow.reply(ticket, by=handler, handler_name="王工", handled_at=local(2026, 3, 3, 9),
                       process="现场核实并处理", result="已处理完毕", contact_note="电话告知", contacted=True)

    def build_march(self) -> dict[str, Ticket]:
        with time_machine.travel(local(2026, 3, 2, 10), tick=False):
            c1 = self.new_ticket()
            declined_at_intake(self.operator)
            s1 = self.county_ticket(self.operator_sq)
            s2 = self.county_ticket(self.operator_sq)
            x1 = self.county_ticket(self.operator_xs)
            workflow.dispatch(c1, by=self.dispatcher, lead_unit=self.unit_a)
            workflow.dispatch(s1, by=self.dispatcher_sq, lead_unit=self.unit_c)
            # 新邵县 passes the matter up; the city platform signs it and holds it from then on (Art. 30).
            workflow.pass_up(x1, by=self.dispatcher_xs, reason="属市直部门职责")
            workflow.sign_transfer(x1, by=self.dispatcher)
            workflow.dispatch(x1, by=self.dispatcher, lead_unit=self.unit_a)
        with time_machine.travel(local(2026, 3, 3, 10), tick=False):
            self.reply(c1, self.unit_a_handler)
            self.reply(s1, self.unit_c_handler)
            self.reply(x1, self.unit_a_handler)
            workflow.review_reply(c1, by=self.reviewer, approve=True)
            workflow.review_reply(s1, by=self.reviewer_sq, approve=True)
            workflow.review_reply(x1, by=self.reviewer, approve=True)
        with time_machine.travel(local(2026, 3, 5, 10), tick=False):
            workflow.follow_up(c1, by=self.followup, reached=True, satisfaction="4", solved=True,
                               unit_contacted=True, unit_contact_method="phone")
            workflow.follow_up(s1, by=self.followup_sq, reached=True, satisfaction="2", solved=False,
                               unit_contacted=True, unit_contact_method="phone", fault="policy")
        with time_machine.travel(local(2026, 4, 1, 10), tick=False):
            self.county_ticket(self.operator_xs)
        return {"c1": c1, "s1": s1, "s2": s2, "x1": x1}


def _rows(table: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {row["code"]: row for row in table["rows"]}


class TestTheCityByLevel(LevelsMarch):
    def test_each_platform_row_is_what_it_received_and_the_city_total_is_their_sum(self):
        tickets = self.build_march()
        assert tickets["x1"].received_by_id == self.xinshao.pk and tickets["x1"].platform_id == self.city.pk
        table = level_table(MARCH, self.city)
        rows = _rows(table)
        assert list(rows) == ["city", "shuangqing", "xinshao"]  # the city's own row first, then the counties
        expected = {  # received, accepted, declined, dispatched, 应办结, on time, resolved, rated visits
            "city": (2, 1, 1, 1, 1, 1, 1, 1),
            "shuangqing": (2, 2, 0, 1, 1, 1, 1, 1),
            "xinshao": (1, 1, 0, 1, 1, 1, 1, 0),
        }
        keys = ("received", "accepted", "declined", "dispatched", "replies_due", "replied_on_time", "resolved",
                "follow_ups")
        for code, figures in expected.items():
            assert tuple(rows[code]["counts"][k] for k in keys) == figures, code
        assert rows["city"]["rates"]["satisfaction_rate"] == 100.0
        assert rows["shuangqing"]["rates"]["satisfaction_rate"] == 0.0
        assert rows["xinshao"]["rates"]["satisfaction_rate"] is None  # no visit: "—", never 100 %
        assert rows["city"]["rates"]["reply_on_time_rate"] == 100.0
        total = table["total"]["counts"]
        assert tuple(total[k] for k in keys) == (5, 4, 1, 3, 3, 3, 3, 2)
        assert table["total"]["rates"]["satisfaction_rate"] == 50.0
        # Each ticket once: the rows add up to the city's own figures, which sum the units.
        with time_machine.travel(local(2026, 4, 2, 9), tick=False):
            snap = closing.build_snapshot(2026, 3)
        city = snap["city"]["counts"]
        assert (city["received"], city["accepted"], city["resolved"], city["replies_due"], city["follow_ups"]) == (
            5, 4, 3, 3, 2)
        assert snap["levels"] == table

    def test_a_countys_own_table_reads_only_its_tickets_and_agrees_with_the_citys_row(self):
        self.build_march()
        city_row = _rows(level_table(MARCH, self.city))["shuangqing"]
        own = level_table(MARCH, self.shuangqing)
        assert [row["code"] for row in own["rows"]] == ["shuangqing"]
        assert own["total"] == {"counts": city_row["counts"], "rates": city_row["rates"]}
        assert set(platform_figures(MARCH, {self.shuangqing.pk})) == {self.shuangqing.pk}

    def test_a_ticket_counts_at_the_platform_that_received_it_not_the_one_holding_it(self):
        tickets = self.build_march()
        by_platform = platform_figures(MARCH)
        assert by_platform[self.xinshao.pk].resolved == 1  # handled and approved by the city
        assert tickets["x1"].platform_id == self.city.pk

    def test_the_city_bulletin_prints_the_table_with_its_total(self):
        self.build_march()
        with time_machine.travel(local(2026, 4, 2, 9), tick=False):
            closing.close_month(2026, 3, by=self.manager)
            closing.review_month(2026, 3, by=self.manager)
            close = closing.publish_month(2026, 3, by=self.manager)
        doc = Document(io.BytesIO(bytes(close.docx)))
        table = next(t for t in doc.tables if t.rows[0].cells[0].text == "平台")
        lines = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert [line[:2] for line in lines] == [["市12345热线平台（本级）", "2"], ["双清区12345分中心", "2"],
                                                ["新邵县12345分中心", "1"], ["合计", "5"]]
        assert lines[-1][-1] == "50.00%"


class TestACountysOwnMonth(LevelsMarch):
    def test_a_county_closes_reviews_and_publishes_its_own_month(self):
        self.build_march()
        with time_machine.travel(local(2026, 4, 2, 9), tick=False):
            close = closing.close_month(2026, 3, by=self.manager_sq, platform=self.shuangqing)
            assert (close.platform, close.number, close.state) == (self.shuangqing, 1, MonthState.FROZEN)
            total = close.snapshot["total"]["counts"]
            assert (total["received"], total["accepted"], total["resolved"], total["follow_ups"]) == (2, 2, 1, 1)
            assert close.snapshot["intake"]["channel"] == {"电话": 2}
            closing.review_month(2026, 3, by=self.manager_sq, platform=self.shuangqing,
                                 typical_tickets="", typical_cases="")
            close = closing.publish_month(2026, 3, by=self.manager_sq, platform=self.shuangqing)
        assert close.state == MonthState.PUBLISHED
        doc = Document(io.BytesIO(bytes(close.docx)))
        assert doc.paragraphs[0].text == "2026年3月双清区12345分中心12345政务服务便民热线工作通报"
        assert "共接收诉求2件" in "\n".join(p.text for p in doc.paragraphs)
        # The city's month is untouched: still open, and its own close is a separate row.
        assert not MonthClose.objects.filter(platform=self.city).exists()
        with time_machine.travel(local(2026, 4, 2, 10), tick=False):
            city = closing.close_month(2026, 3, by=self.manager)
        assert city.number == 1 and city.snapshot["city"]["counts"]["received"] == 5

    def test_only_the_platforms_own_manager_acts_on_its_month(self):
        self.build_march()
        with time_machine.travel(local(2026, 4, 2, 9), tick=False):
            with pytest.raises(Forbidden) as err:
                closing.close_month(2026, 3, by=self.manager_xs, platform=self.shuangqing)
            assert err.value.code == "other_platform"
            with pytest.raises(Forbidden):
                closing.close_month(2026, 3, by=self.manager, platform=self.shuangqing)
            with pytest.raises(Forbidden):
                closing.close_month(2026, 3, by=self.manager_sq)  # the city's month


class TestCountyScreens(LevelsMarch):
    def login(self, user) -> None:  # type: ignore[no-untyped-def]
        assert self.client.login(username=user.username, password=PASSWORD)

    def test_a_county_manager_sees_and_closes_its_month_and_gets_404_for_another_countys(self):
        self.build_march()
        self.login(self.manager_sq)
        with time_machine.travel(local(2026, 4, 2, 9), tick=True):
            page = self.client.get("/reports/platforms/shuangqing/months/2026/3/")
            assert page.status_code == 200
            text = page.content.decode()
            assert 'data-platform="shuangqing"' in text and 'data-platform="xinshao"' not in text
            assert "{#" not in text and "review_url" not in text  # the shared end's comment stays out of the page
            assert self.client.get("/reports/platforms/xinshao/months/2026/3/").status_code == 404
            assert self.client.get("/reports/platforms/city/months/2026/3/").status_code == 404
            assert self.client.post("/reports/platforms/xinshao/months/2026/3/close/").status_code == 404
            assert self.client.get("/reports/months/2026/3/").status_code == 403  # the city's stays the city's
            done = self.client.post("/reports/platforms/shuangqing/months/2026/3/close/")
            assert done.status_code == 302
        assert MonthClose.objects.get(platform=self.shuangqing).state == MonthState.FROZEN
        self.login(self.manager_xs)
        assert self.client.get("/reports/platforms/shuangqing/months/2026/3/").status_code == 404
        assert self.client.get("/reports/platforms/shuangqing/months/").status_code == 404

    def test_the_city_sees_every_countys_month_but_cannot_close_it(self):
        self.build_march()
        self.login(self.manager)
        with time_machine.travel(local(2026, 4, 2, 9), tick=True):
            page = self.client.get("/reports/months/2026/3/")
            assert page.status_code == 200
            text = page.content.decode()
            assert 'data-platform="xinshao"' in text and 'data-platform="total"' in text
            assert self.client.get("/reports/platforms/xinshao/months/2026/3/").status_code == 200
            assert self.client.post("/reports/platforms/xinshao/months/2026/3/close/").status_code == 403
