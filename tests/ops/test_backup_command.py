"""`hotline backup --to FILE`: SQLite's online backup gives a complete, readable copy; PostgreSQL is sent to pg_dump."""

from __future__ import annotations

import sqlite3
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase

from hotline.tickets.models import Event, Ticket
from tests.base import PersonaMixin


class TestBackupCommand(PersonaMixin, TransactionTestCase):
    def setUp(self) -> None:
        self.make_personas()
        self.folder = Path(tempfile.mkdtemp())

    def test_it_copies_every_ticket_and_event_on_sqlite(self):
        if connection.vendor != "sqlite":
            pytest.skip("SQLite's backup API")
        self.dispatched_ticket()
        self.new_ticket()
        target = self.folder / "copy.sqlite3"
        out = StringIO()
        call_command("backup", "--to", str(target), stdout=out)
        copy = sqlite3.connect(target)
        tickets = copy.execute(f"SELECT count(*) FROM {Ticket._meta.db_table}").fetchone()[0]  # noqa: S608 (model table names)
        events = copy.execute(f"SELECT count(*) FROM {Event._meta.db_table}").fetchone()[0]  # noqa: S608 (model table names)
        copy.close()
        assert (tickets, events) == (Ticket.objects.count(), Event.objects.count()) and tickets == 2
        assert "完整性校验通过" in out.getvalue()

    def test_it_never_overwrites_a_file(self):
        target = self.folder / "existing"
        target.write_text("older backup")
        with pytest.raises(CommandError):
            call_command("backup", "--to", str(target))
        assert target.read_text() == "older backup"

    def test_it_sends_postgresql_to_pg_dump(self):
        if connection.vendor == "sqlite":
            pytest.skip("PostgreSQL only")
        with pytest.raises(CommandError, match="pg_dump"):
            call_command("backup", "--to", str(self.folder / "x"))
