"""Dump scan: seeded names, phones, ID numbers, addresses and IPs never appear in clear in the database file or in
`pg_dump` output (Art. 23). Committed data is needed, so these tests commit and the database is flushed after."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test import TransactionTestCase

from hotline.tickets import workflow
from tests.base import PersonaMixin

CANARIES = [
    {"name": "欧阳金丝雀", "phone": "15873920461", "id_number": "430502198807164219",
     "address": "双清区金丝雀巷17号402室", "ip": "203.0.113.77"},
    {"name": "Kanarie Vogelsang", "phone": "073988812345", "id_number": "43052219750203871X",
     "address": "大祥区百灵路88号3栋", "ip": "2001:db8::c0ff:ee"},
    {"name": "司马百灵", "phone": "13698765432", "id_number": "430503200001019876",
     "address": "北塔区画眉街9号", "ip": "198.51.100.23"},
]
CONTROL = "对照文本-路灯金丝雀-CONTROL-7731"  # ticket content is not personal data: must be found in clear


class DumpScan(PersonaMixin, TransactionTestCase):
    """Seeds the canaries through intake, commits, and scans the stored bytes."""

    # Migrations seed the working-day calendar; restore it for each test instead of losing it to the flush.
    serialized_rollback = True

    def setUp(self):
        self.make_personas()
        for person in CANARIES:
            workflow.create_ticket(by=self.operator, channel="web", request_type="complaint",
                                   content=f"{CONTROL} 路灯不亮", requester=person)

    def needles(self) -> list[str]:
        return [value for person in CANARIES for value in person.values()]

    def scan(self, blob: bytes, label: str) -> None:
        found = [n for n in self.needles() if n.encode() in blob]
        control = blob.count(CONTROL.encode())
        print(f"\n{label}: {len(self.needles())} canaries, {len(found)} found in clear; control found {control}x")
        assert control >= len(CANARIES), "the scan must see clear text that is stored in clear"
        assert found == []


class TestSQLiteFileScan(DumpScan):
    def test_it_finds_0_of_15_canaries_in_the_sqlite_file(self):
        if connection.vendor != "sqlite":
            pytest.skip("SQLite database only")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(connection.settings_dict["NAME"])
        blob = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        self.scan(blob, f"SQLite file ({len(blob)} bytes)")


class TestPgDumpScan(DumpScan):
    def test_it_finds_0_of_15_canaries_in_pg_dump(self):
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL database only")
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for the dump scan on PostgreSQL")
        db = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        command = ["pg_dump", "--data-only", "-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432),
                   "-U", db.get("USER") or "postgres", db["NAME"]]
        dump = subprocess.run(command, env=env, capture_output=True, check=True, timeout=120).stdout
        self.scan(dump, f"pg_dump of {db['NAME']} ({len(dump)} bytes)")
