"""`hotline demo`: the embedded deployment in one command: SQLite in the data directory, demo data, the timed sweeps
in a background thread, and the waitress server on 127.0.0.1:8000."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from hotline.demo import build as demo
from hotline.demo import logins
from hotline.demo.secret import secret_key
from hotline.directory.models import Staff
from hotline.ops import schedule


class Command(BaseCommand):
    help = "以内置方式运行演示：SQLite 数据库、演示数据、后台定时任务，并启动 Web 服务"
    requires_system_checks: list[str] = []  # checks run below, after the secret key is in place

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--reset", action="store_true", help="删除现有 SQLite 数据库并重新生成演示数据")
        parser.add_argument("--tickets", type=int, default=300, help="演示工单数量（默认 300）")
        parser.add_argument("--seed", type=int, default=12345, help="演示数据随机种子")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据库和演示数据，不启动服务")

    def handle(self, *args: Any, **options: Any) -> None:
        self._use_secret_key()
        if options["reset"]:
            self._reset()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("check", databases=["default"])  # also: the key set can read this database
        rows = self._demo_data(options["tickets"], options["seed"])
        if rows:
            self.stdout.write(logins.table(rows, path=self._logins_path()))
        if options["no_serve"]:
            return
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\n12345 热线平台已启动：{url}  （按 Ctrl+C 停止）"))
        if options["host"] not in settings.ALLOWED_HOSTS:
            hint = f"请将本机地址加入 HOTLINE_ALLOWED_HOSTS 后再从其他机器访问（当前监听 {options['host']}）"
            self.stdout.write(self.style.WARNING(hint))
        self.stdout.flush()
        self._serve(options["host"], options["port"])

    def _use_secret_key(self) -> None:
        """Without HOTLINE_SECRET_KEY, use (or create) the key file in the data directory, for this process and
        for any process it starts."""
        if os.environ.get("HOTLINE_SECRET_KEY"):
            return
        key = secret_key(settings.DATA_DIR)
        settings.SECRET_KEY = key
        os.environ["HOTLINE_SECRET_KEY"] = key

    def _logins_path(self) -> Path:
        return Path(settings.DATA_DIR) / logins.LOGINS_FILE

    def _reset(self) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("--reset 只用于内置 SQLite 数据库；PostgreSQL 请由管理员删除并重建数据库")
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db['NAME']}{suffix}").unlink(missing_ok=True)
        self._logins_path().unlink(missing_ok=True)
        self.stdout.write("已删除原有数据库")

    def _demo_data(self, tickets: int, seed: int) -> list[logins.Login]:
        """Build the demo once; later starts reuse it. HOTLINE_DEMO_PASSWORD, when set, is every demo password."""
        password = os.environ.get("HOTLINE_DEMO_PASSWORD") or None
        path = self._logins_path()
        if demo.exists():
            rows = logins.read(path)
            if not rows:
                self.stdout.write("数据库中已有单位数据，不再生成演示数据")
            elif password:
                Staff.objects.filter(username__in=[r.username for r in rows]).update(
                    password=make_password(password))
            return rows
        self.stdout.write(f"正在生成演示数据（约 {tickets} 件工单，按时间回放办理过程）……")
        self.stdout.flush()
        summary = demo.build(tickets=tickets, seed=seed, password=password)
        logins.write(path, summary.logins)
        statuses = "，".join(f"{name} {count}" for name, count in sorted(summary.statuses.items()))
        self.stdout.write(f"已生成 {summary.tickets} 件工单（{statuses}），用时 {summary.seconds:.0f} 秒")
        if summary.refused:
            self.stdout.write(self.style.WARNING(f"有 {len(summary.refused)} 个回放步骤被业务规则拒绝，已跳过"))
        self.stdout.write(f"账号与密码已保存到 {path}（仅本用户可读）")
        return summary.logins

    def _serve(self, host: str, port: int) -> None:
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        # `kill`, `systemctl stop` and `docker stop` send SIGTERM: leave through the same path as Ctrl+C.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        thread, stop = schedule.start_loop(settings.SWEEP_INTERVAL_SECONDS)
        try:
            serve(get_wsgi_application(), host=host, port=port, threads=8, ident="hotline")
        finally:
            stop.set()
            thread.join(timeout=5)
