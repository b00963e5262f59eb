"""Import from Excel and Markdown with a report of rejected rows; export of the whole base."""

import io

from openpyxl import Workbook, load_workbook

from hotline.knowledge import transfer
from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article
from tests.knowledge.base import KnowledgeTestCase


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestExcelImport(KnowledgeTestCase):
    def test_it_creates_drafts_and_reports_each_rejected_row_with_its_reason(self):
        content = xlsx([
            ["标题", "常见问法", "答复口径", "事项分类", "维护单位", "适用区县", "失效日期"],
            ["路灯不亮", "路灯坏了；灯不亮", "由路灯管理所维修。", "0101", "市城管执法局", "双清区", "2026-12-31"],
            ["", "", "缺标题的答复", "", "市城管执法局", "", ""],
            ["没有答复", "", "", "", "市城管执法局", "", ""],
            ["单位不存在", "", "答复", "", "不存在的局", "", ""],
            ["日期错", "", "答复", "", "市城管执法局", "", "明年"],
            ["别人的单位", "", "答复", "", "市住房和城乡建设局", "", ""],
            ["路灯不亮", "", "重复的标题", "", "市城管执法局", "", ""],
        ])
        report = transfer.import_file("kb.xlsx", content, by=self.unit_a_handler)
        assert [a.title for a in report.created] == ["路灯不亮"]
        created = report.created[0]
        assert created.state == ArticleState.DRAFT
        assert created.question_list() == ["路灯坏了", "灯不亮"]
        assert (created.topic, created.region) == (self.topic_streetlight, self.county)
        reasons = {r.row: r.reason for r in report.rejected}
        assert reasons == {
            3: "缺少标题", 4: "缺少答复口径", 5: "维护单位“不存在的局”不存在",
            6: "失效日期“明年”不是有效日期（如 2026-01-31）",
            7: "只有维护单位或热线审核员可以执行“新建”", 8: "同一维护单位已有同名文章",
        }

    def test_it_refuses_a_sheet_without_the_required_columns(self):
        import pytest

        from hotline.lib.errors import InvalidInput

        with pytest.raises(InvalidInput):
            transfer.import_file("kb.xlsx", xlsx([["问题描述", "备注"], ["a", "b"]]), by=self.reviewer)

    def test_an_export_reads_back_in(self):
        self.published()
        content = transfer.export_workbook()
        sheet = load_workbook(io.BytesIO(content)).active
        header = [c.value for c in sheet[1]]
        assert header[:4] == ["编号", "标题", "常见问法", "答复口径"]
        assert sheet.cell(row=2, column=2).value == "路灯不亮找哪个部门"
        Article.objects.update(state=ArticleState.WITHDRAWN)  # make room for the same titles again
        report = transfer.import_file("export.xlsx", content, by=self.reviewer)
        assert [a.title for a in report.created] == ["路灯不亮找哪个部门"] and report.rejected == []


class TestMarkdownImport(KnowledgeTestCase):
    def test_it_reads_heading_led_sections_and_publishes_an_emergency_list_at_once(self):
        text = (
            "# 停水期间如何取水\n问法：停水了去哪里打水；停水取水点\n维护单位：市住房和城乡建设局\n\n"
            "全市设置10个临时供水点，详见公告。\n\n"
            "## 没有维护单位的条目\n\n答复内容\n"
        )
        from django.utils import timezone

        expires = timezone.now() + timezone.timedelta(days=2)
        report = transfer.import_file("list.md", text.encode(), by=self.reviewer, emergency_event="城区停水",
                                      expires_at=expires)
        [article] = report.created
        assert article.state == ArticleState.PUBLISHED and article.is_emergency
        assert article.answer == "全市设置10个临时供水点，详见公告。"
        assert article.question_list() == ["停水了去哪里打水", "停水取水点"]
        assert [(r.row, r.reason) for r in report.rejected] == [(7, "未写明维护单位")]
