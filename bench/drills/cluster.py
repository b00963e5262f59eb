"""A throw-away PostgreSQL cluster on its own port for the drills: never the shared server, never its data."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# initdb and postgres refuse to run as root; the drills then run them as this system user.
PG_USER = os.environ.get("DRILL_PG_USER", "postgres")


def _as_pg_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", PG_USER, "--", *args] if os.geteuid() == 0 else args


@dataclass
class Cluster:
    """One cluster in `directory`, listening on 127.0.0.1:`port`, trust authentication."""

    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/drill"

    def init(self) -> None:
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, PG_USER)
        subprocess.run(_as_pg_user([str(PG_BIN / "initdb"), "-D", str(self.directory), "-U", "postgres",
                                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True)
        self.start()
        subprocess.run(_as_pg_user([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                                    "drill"]), check=True)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.directory}"
        subprocess.run(_as_pg_user([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-o", options, "-w", "-t", "60",
                                    "-l", str(self.directory / "server.log"), "start"]),
                       check=True, capture_output=True)

    def postmaster_pid(self) -> int | None:
        pid_file = self.directory / "postmaster.pid"
        try:
            return int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill9(self) -> None:
        """kill -9 the postmaster, as a crash or the OOM killer would; its backends then exit on their own."""
        pid = self.postmaster_pid()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)

    def restart(self) -> int:
        """Start again after a crash; the old backends leave once they notice, so retry until the start works.
        Returns the attempts it took."""
        for attempt in range(1, 41):
            try:
                self.start()
                return attempt
            except subprocess.CalledProcessError:
                time.sleep(0.5)
        raise RuntimeError(f"PostgreSQL on port {self.port} did not come back; see {self.directory}/server.log")

    def stop(self) -> None:
        subprocess.run(_as_pg_user([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-m", "immediate", "stop"]),
                       capture_output=True)
