"""`hotline backup --to FILE`: an online copy of the SQLite database while the server writes (docs/deploy.md).

SQLite's backup API copies pages under the database's own locks, so the copy is one consistent moment even in WAL mode
with writers running; `cp` of the file is not (it misses the WAL and can tear a page). PostgreSQL has pg_dump.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

# One step: in WAL mode the copy's read transaction does not hold up writers, whereas a copy in steps restarts from
# the first page whenever another connection commits in between, so under steady writes it may never finish.
PAGES_PER_STEP = -1


class Command(BaseCommand):
    help = "在线备份 SQLite 数据库到指定文件（服务运行、写入进行时也可以）；PostgreSQL 请用 pg_dump"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, help="备份文件路径（不得已存在）")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            raise CommandError("该数据库不是 SQLite：请用 pg_dump --format=custom 备份（见部署文档）")
        target = Path(options["to"])
        if target.exists():
            raise CommandError(f"备份文件已存在，不会覆盖：{target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        source: sqlite3.Connection = connection.connection
        destination = sqlite3.connect(target)
        try:
            source.backup(destination, pages=PAGES_PER_STEP)
            check = destination.execute("PRAGMA integrity_check").fetchone()[0]
        except BaseException:
            destination.close()
            target.unlink(missing_ok=True)  # never leave half a copy that looks like a backup
            raise
        destination.close()
        if check != "ok":
            target.unlink(missing_ok=True)
            raise CommandError(f"备份文件校验失败：{check}")
        self.stdout.write(f"已备份到 {target}（{target.stat().st_size} 字节，完整性校验通过）")
