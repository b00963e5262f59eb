"""`hotline outbox`: send every message waiting in the outbox once, and print how many went out or failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hotline.tickets import outbox


class Command(BaseCommand):
    help = "发送待发消息（短信），打印发送成功与失败的数量"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = outbox.drain()
        self.stdout.write(f"已发送 {counts['sent']} 条，失败 {counts['failed']} 条")
