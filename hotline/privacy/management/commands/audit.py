"""`hotline audit verify|access-log`: check every event chain; export the personal-data access log as CSV."""

from __future__ import annotations

import datetime as dt
import io
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline.directory.models import Staff
from hotline.lib.errors import DomainError
from hotline.privacy import reveal
from hotline.tickets import chain

KIND_LABELS = {"changed": "被修改", "inserted": "被插入", "deleted": "被删除", "head": "链头异常",
               "trigger": "触发器缺失"}


def _date(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD: {value}") from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


class Command(BaseCommand):
    help = "审计：verify 校验工单事件哈希链；access-log 导出个人信息查看记录（CSV）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验每张工单的事件链，报告被修改、插入或删除的事件")
        log = sub.add_parser("access-log", help="导出个人信息查看记录（须以热线管理员身份）")
        log.add_argument("--by", required=True, help="热线管理员的用户名")
        log.add_argument("--since", type=_date)
        log.add_argument("--until", type=_date)
        log.add_argument("--output", help="输出文件，默认标准输出")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify()
        else:
            self._access_log(**options)

    def _verify(self) -> None:
        report = chain.verify()
        for finding in report.findings:
            where = f"工单#{finding.ticket_id}" if finding.ticket_id else "数据库"
            self.stdout.write(f"[{KIND_LABELS.get(finding.kind, finding.kind)}] {where}: {finding.detail}")
        summary = f"校验 {report.chains} 条事件链、{report.events} 条事件，发现 {len(report.findings)} 处问题"
        if report.ok:
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            raise CommandError(summary)

    def _access_log(self, **options: Any) -> None:
        manager = Staff.objects.filter(username=options["by"]).first()
        if manager is None:
            raise CommandError("用户不存在")
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8-sig", newline="") as handle:
                count = self._export(manager, handle, options)
        else:
            buffer = io.StringIO()
            count = self._export(manager, buffer, options)
            self.stdout.write(buffer.getvalue(), ending="")
        self.stderr.write(f"已导出 {count} 条记录")

    def _export(self, manager: Staff, out: IO[str], options: dict[str, Any]) -> int:
        try:
            return reveal.export_access_log(manager, out, since=options["since"], until=options["until"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
