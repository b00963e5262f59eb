"""`hotline keys generate|rotate|status`: new keys, re-encryption under the current key, key usage."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hotline.vault import rotation
from hotline.vault.keys import LOOKUP_ID, keyring, new_key_line


class Command(BaseCommand):
    help = "加密密钥：generate 生成新密钥，rotate 用当前密钥重新加密全部个人信息（可中断续跑），status 查看密钥使用情况"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="打印一行新密钥（编号:base64）")
        gen.add_argument("--id", default=None, help="密钥编号，默认 k+日期+4位随机十六进制（编号永不重复使用）")
        gen.add_argument("--lookup", action="store_true", help="生成检索密钥（HOTLINE_LOOKUP_KEY 的值）")
        rot = sub.add_parser("rotate", help="用当前密钥重新加密；中断后再次运行会跳过已完成的值")
        rot.add_argument("--batch-size", type=int, default=500)
        sub.add_parser("status", help="各密钥保护的值的数量")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(**options)

    def _generate(self, **options: Any) -> None:
        line = new_key_line(LOOKUP_ID if options["lookup"] else options["id"])
        self.stdout.write(line.split(":", 1)[1] if options["lookup"] else line)

    def _rotate(self, **options: Any) -> None:
        ring = keyring()
        self.stdout.write(f"当前密钥: {ring.current_id}（来源 {ring.source}）")

        def progress(stats: rotation.RotationStats) -> None:
            self.stdout.write(f"  第{stats.batches}批: 已检查{stats.rows}行，重新加密{stats.reencrypted}个值")

        stats = rotation.rotate(batch_size=options["batch_size"], on_batch=progress)
        self.stdout.write(self.style.SUCCESS(
            f"完成: 检查{stats.rows}行；重新加密{stats.reencrypted}个值；已是当前密钥{stats.already_current}个；"
            f"空值{stats.empty}个"))

    def _status(self, **options: Any) -> None:
        ring = keyring()
        self.stdout.write(f"密钥来源: {ring.source}；当前密钥: {ring.current_id}；全部: {', '.join(ring.keys)}")
        for name, counter in rotation.key_usage().items():
            parts = ", ".join(f"{key}={count}" for key, count in sorted(counter.items())) or "无数据"
            self.stdout.write(f"  {name}: {parts}")
