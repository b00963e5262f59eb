"""`hotline knowledge import|export|expire|reindex` from the console."""

import datetime as dt
import io
import tempfile
from pathlib import Path

import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article
from tests.base import local
from tests.knowledge.base import KnowledgeTestCase


class TestKnowledgeCommand(KnowledgeTestCase):
    def test_it_imports_markdown_reporting_rejected_rows_and_exports_the_base(self):
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "kb.md"
            source.write_text("# 门前三包怎么落实\n\n由街道办事处督促落实。\n\n## 空答复\n", encoding="utf-8")
            out = io.StringIO()
            call_command("knowledge", "import", str(source), "--by", "unit_a_handler", "--unit", "cgzf", stdout=out)
            assert "导入 1 篇，拒绝 1 行" in out.getvalue()
            assert "第5行 空答复：缺少答复口径" in out.getvalue()
            target = Path(tmp) / "kb.xlsx"
            call_command("knowledge", "export", str(target), stdout=io.StringIO())
            sheet = load_workbook(target).active
            assert sheet.cell(row=2, column=2).value == "门前三包怎么落实"

    def test_it_expires_every_article_past_its_validity(self):
        with time_machine.travel(local(2026, 5, 20, 9), tick=False):
            self.published(valid_to=dt.date(2026, 5, 31))
            self.published(title="仍然有效", answer="有效的答复", questions="")
        out = io.StringIO()
        with time_machine.travel(local(2026, 6, 1, 9), tick=False):
            call_command("knowledge", "expire", stdout=out)
        assert "到期失效 1 篇" in out.getvalue()
        assert Article.objects.filter(state=ArticleState.PUBLISHED).count() == 1
        out = io.StringIO()
        call_command("knowledge", "reindex", stdout=out)
        assert "已发布文章 1 篇已建立索引" in out.getvalue()
