"""`hotline sweep [--job NAME]`: run the timed jobs once (for cron, instead of the embedded loop or Celery beat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hotline.ops import schedule


class Command(BaseCommand):
    help = "执行一次定时任务（视为签收、超时、临期提醒、发送短信），并打印处理数量"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", choices=sorted(schedule.SCHEDULE), help="只执行这一项任务")

    def handle(self, *args: Any, job: str | None = None, **options: Any) -> None:
        counts = {job: schedule.run_job(job)} if job else schedule.run_all()
        for name, count in counts.items():
            self.stdout.write(f"{name}\t{count}")
