"""`hotline knowledge import|export|expire|reindex`: the knowledge base from the console."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline.directory.models import Staff, Unit
from hotline.knowledge import index, sweeps, transfer
from hotline.lib.errors import DomainError


class Command(BaseCommand):
    help = "知识库：导入（Excel/Markdown）、导出 Excel、到期失效、重建检索索引"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="导入 .xlsx 或 .md 文件为草稿")
        imp.add_argument("path")
        imp.add_argument("--by", required=True, help="导入人的用户名（审核员或维护单位工作人员）")
        imp.add_argument("--unit", default="", help="文件未写明时的维护单位（编码或名称）")
        imp.add_argument("--emergency-event", default="", help="作为应急答疑清单直接发布：突发事件名称")
        imp.add_argument("--expires-at", default="", help="应急答疑清单自动失效时间，ISO 格式")
        exp = sub.add_parser("export", help="导出整个知识库为 .xlsx")
        exp.add_argument("path")
        sub.add_parser("expire", help="使所有到期文章失效")
        sub.add_parser("reindex", help="立即建立检索索引并报告规模")

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        if what == "import":
            self._import(options)
        elif what == "export":
            Path(options["path"]).write_bytes(transfer.export_workbook())
            self.stdout.write(f"已导出到 {options['path']}")
        elif what == "expire":
            count = 0
            while sweeps.expire_one():
                count += 1
            self.stdout.write(f"到期失效 {count} 篇")
        else:
            index.reset()
            live = index.current()
            self.stdout.write(f"已发布文章 {len(live.index)} 篇已建立索引")

    def _import(self, options: dict[str, Any]) -> None:
        by = Staff.objects.filter(username=options["by"]).first()
        if by is None:
            raise CommandError(f"用户不存在：{options['by']}")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first() or Unit.objects.filter(
                name=options["unit"]).first()
            if unit is None:
                raise CommandError(f"单位不存在：{options['unit']}")
        expires = None
        if options["expires_at"]:
            expires = dt.datetime.fromisoformat(options["expires_at"])
            if timezone.is_naive(expires):
                expires = timezone.make_aware(expires)
        path = Path(options["path"])
        try:
            report = transfer.import_file(path.name, path.read_bytes(), by=by, default_unit=unit,
                                          emergency_event=options["emergency_event"], expires_at=expires)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"导入 {len(report.created)} 篇，拒绝 {len(report.rejected)} 行")
        for r in report.rejected:
            self.stdout.write(f"  第{r.row}行 {r.title}：{r.reason}")
