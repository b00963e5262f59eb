"""Drill: back up with pg_dump, restore with pg_restore into a new database, and check
that every row came back, the event chains verify, and that a start without the key file is refused (issue 15).

    python bench/drills/backup.py [--tickets 200] [--pg-port 55433]

Runs its own PostgreSQL cluster on its own port; prints one JSON line; exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.drills.cluster import PG_BIN, Cluster  # noqa: E402

COUNT_ROWS = """
import json, django; django.setup()
from django.apps import apps
print(json.dumps({m._meta.db_table: m._base_manager.count() for m in apps.get_models() if m._meta.managed}))
"""
START = "import django; django.setup(); from hotline.vault.startup import verify; verify(); print('started')"


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--pg-port", type=int, default=55433)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hotline-backup-drill-"))
    work.chmod(0o755)
    cluster = Cluster(work / "pg", args.pg_port)
    cluster.init()
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "DATABASE_URL": cluster.url, "HOTLINE_DATA_DIR": str(work / "data"),
           "HOTLINE_SECRET_KEY": "drill-" + uuid.uuid4().hex, "DJANGO_SETTINGS_MODULE": "hotline.settings",
           "PYTHONPATH": root}
    try:
        subprocess.run([sys.executable, "-m", "hotline.cli", "demo", "--no-serve", "--tickets", str(args.tickets)],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dump = work / "hotline.dump"
        pg = ["-h", "127.0.0.1", "-p", str(args.pg_port), "-U", "postgres"]
        subprocess.run([str(PG_BIN / "pg_dump"), *pg, "--format=custom", "-f", str(dump), "drill"], check=True)
        subprocess.run([str(PG_BIN / "createdb"), *pg, "restored"], check=True)
        subprocess.run([str(PG_BIN / "pg_restore"), *pg, "--no-owner", "-d", "restored", str(dump)], check=True)
        restored = {**env, "DATABASE_URL": cluster.url.rsplit("/", 1)[0] + "/restored"}
        before = json.loads(run_python(COUNT_ROWS, env).stdout)
        after = json.loads(run_python(COUNT_ROWS, restored).stdout)
        differing = {table: (before[table], after.get(table)) for table in before if before[table] != after.get(table)}
        check = subprocess.run([sys.executable, str(Path(__file__).with_name("consistency.py"))], env=restored,
                               capture_output=True, text=True)
        with_key = run_python(START, restored)
        without_key = run_python(START, {**restored, "HOTLINE_DATA_DIR": str(work / "fresh-data")})
        result = {
            "drill": "backup", "tables": len(before), "rows": sum(before.values()),
            "rows_restored": sum(after.values()), "tables_differing": differing,
            "consistency": json.loads(check.stdout.strip().splitlines()[-1]) if check.stdout else check.stderr[-500:],
            "start_with_key": with_key.stdout.strip() == "started",
            "start_without_key_refused": without_key.returncode != 0 and "没有该密钥" in without_key.stderr,
        }
    finally:
        cluster.stop()
    print(json.dumps(result, ensure_ascii=False))
    ok = not differing and check.returncode == 0 and result["start_with_key"] and result["start_without_key_refused"]
    print(f"work directory: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
