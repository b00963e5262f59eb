"""Month close (Art. 26): freeze, review, publish; a published month never changes; the bulletin's three files are
opened and read back."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from hotline.lib.errors import Conflict, Forbidden, NotFound
from hotline.reports import closing
from hotline.reports.models import MonthClose, MonthState
from hotline.tickets import workflow
from tests.reports.test_indicators import MarchStory


class ClosedMarch(MarchStory):
    """The hand-built March of test_indicators, closed in April."""

    def close(self) -> MonthClose:
        self.build_march()
        self.at(2026, 4, 2, 9)
        return closing.close_month(2026, 3, by=self.manager)


class TestClose(ClosedMarch):
    def test_it_freezes_the_figures_worked_out_for_march(self):
        close = self.close()
        assert (close.number, close.state, close.title_number) == (1, MonthState.FROZEN, "〔2026〕第1期")
        units = {row["code"]: row for row in close.snapshot["units"]}
        a = units["cgzf"]
        assert a["counts"]["replies_due"] == 5 and a["rates"]["reply_on_time_rate"] == 60.0
        assert a["group"] == "city" and units["shuangqing"]["group"] == "county"
        # Unit B's and the county's rates: B has no follow-up; the county has no ticket at all, so no score.
        assert units["shuangqing"]["score"] is None and units["shuangqing"]["rank"] is None
        assert close.snapshot["city"]["counts"]["received"] == 6

    def test_a_later_correction_does_not_change_the_frozen_month(self):
        close = self.close()
        self.at(2026, 4, 3, 9)
        late = self.new_ticket()
        workflow.dispatch(late, by=self.dispatcher, lead_unit=self.unit_a)
        again = MonthClose.objects.get(pk=close.pk)
        assert again.snapshot == close.snapshot

    def test_it_refuses_a_month_not_yet_over_and_anyone_but_the_manager(self):
        self.at(2026, 3, 20, 9)
        with pytest.raises(Conflict) as err:
            closing.close_month(2026, 3, by=self.manager)
        assert err.value.code == "month_not_over"
        self.at(2026, 4, 2, 9)
        with pytest.raises(Forbidden):
            closing.close_month(2026, 3, by=self.reviewer)
        with pytest.raises(NotFound):
            closing.review_month(2026, 3, by=self.manager)

    def test_review_then_publish_then_nothing_changes(self):
        self.close()
        with pytest.raises(Conflict):
            closing.publish_month(2026, 3, by=self.manager)  # not reviewed yet
        closing.review_month(2026, 3, by=self.manager, typical_cases="某小区路灯不亮，城管执法局当日修复。")
        published = closing.publish_month(2026, 3, by=self.manager)
        assert published.state == MonthState.PUBLISHED and published.docx and published.pdf and published.xlsx
        with pytest.raises(Conflict) as err:
            closing.close_month(2026, 3, by=self.manager)
        assert err.value.code == "month_published"
        with pytest.raises(Conflict):
            closing.review_month(2026, 3, by=self.manager)


class TestBulletinFiles(ClosedMarch):
    def publish(self) -> MonthClose:
        self.close()
        closing.review_month(2026, 3, by=self.manager, typical_cases="某小区路灯不亮，城管执法局当日修复。",
                             difficult_matters="老旧小区加装电梯协调会已召开。")
        return closing.publish_month(2026, 3, by=self.manager)

    def test_the_docx_reads_back_with_its_sections_tables_and_charts(self):
        close = self.publish()
        doc = Document(io.BytesIO(bytes(close.docx)))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "2026年3月12345政务服务便民热线工作通报" in text and "〔2026〕第1期" in text
        for heading in ("一、总体情况", "三、承办单位办理情况", "四、红黑榜", "七、典型案例", "八、超期办理单位通报"):
            assert heading in text
        assert "本月热线共接收诉求6件" in text
        assert "案例1：某小区路灯不亮" in text and "老旧小区加装电梯协调会已召开" in text
        assert "市城管执法局（超期2件）" in text  # late units named
        # Two city departments, both within the top five: both red, none black (a unit is on one list).
        assert "市直部门红榜：市住房和城乡建设局（第1名）、市城管执法局（第2名）" in text
        assert "市直部门黑榜：无" in text and "县市区红榜：无" in text
        units = [t for t in doc.tables if t.rows[0].cells[0].text == "排名"]
        city = units[1]  # county, city, utility
        # Unit B has no follow-up: satisfaction "—", never 100 %; its two rates are scaled to the full 100.
        b = [c.text for c in city.rows[1].cells]
        assert b[:2] == ["1", "市住房和城乡建设局"] and b[6] == "—" and b[8] == "100.00"
        a = [c.text for c in city.rows[2].cells]
        assert a[:2] == ["2", "市城管执法局"] and a[4] == "60.00%" and a[8] == "14.25"
        county = [c.text for c in units[0].rows[1].cells]
        assert county[0] == "—" and county[1] == "双清区" and county[8] == "—"  # no ticket: not ranked
        assert len(doc.inline_shapes) == 3

    def test_the_pdf_renders_chinese_text_with_a_builtin_font(self):
        close = self.publish()
        reader = PdfReader(io.BytesIO(bytes(close.pdf)))
        text = "".join(page.extract_text() for page in reader.pages)
        assert "工作通报" in text and "红黑榜" in text and "市城管执法局" in text
        fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
        assert fonts  # STSong-Light is a CID font every reader has: no font file, no network

    def test_the_xlsx_annex_has_every_unit_and_the_city(self):
        close = self.publish()
        wb = load_workbook(io.BytesIO(bytes(close.xlsx)))
        ws = wb["各单位指标"]
        header = [c.value for c in ws[1]]
        rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
        assert set(rows) == {"双清区", "市城管执法局", "市住房和城乡建设局"}
        assert rows["市城管执法局"]["按时办结率%"] == 60.0 and rows["市城管执法局"]["应办结"] == 5
        assert rows["双清区"]["按时办结率%"] == "—" and rows["双清区"]["排名"] == "—"
        summary = wb["全市及分组"]
        assert summary["A2"].value == "全市"
        assert summary._charts  # the bar chart of on-time reply rates
