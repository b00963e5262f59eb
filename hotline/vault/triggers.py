"""Database triggers that make the ticket event table append-only, on SQLite and PostgreSQL.

SQLite: the triggers call `hotline_audit_maintenance()`, a function that exists only inside this application's
connections; any other client (the sqlite3 shell) fails on the unknown function, so UPDATE and DELETE are refused
there too. Inside the application it returns 1 only during `flush` (wiping the whole database, as tests do).
PostgreSQL: a row trigger refuses UPDATE and DELETE without exception; `flush` uses TRUNCATE, which production
should revoke from the application's role (docs/security.md).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

EVENT_TABLE = "tickets_event"

SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS {EVENT_TABLE}_no_update BEFORE UPDATE ON {EVENT_TABLE} "
    "WHEN hotline_audit_maintenance() = 0 "
    "BEGIN SELECT RAISE(ABORT, 'tickets_event is append-only: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS {EVENT_TABLE}_no_delete BEFORE DELETE ON {EVENT_TABLE} "
    "WHEN hotline_audit_maintenance() = 0 "
    "BEGIN SELECT RAISE(ABORT, 'tickets_event is append-only: DELETE refused'); END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {EVENT_TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {EVENT_TABLE}_no_delete",
]
POSTGRES_FORWARD = [
    "CREATE OR REPLACE FUNCTION hotline_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'tickets_event is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation'; "
    "END $$",
    f"CREATE OR REPLACE TRIGGER {EVENT_TABLE}_append_only BEFORE UPDATE OR DELETE ON {EVENT_TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION hotline_event_append_only()",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS {EVENT_TABLE}_append_only ON {EVENT_TABLE}",
    "DROP FUNCTION IF EXISTS hotline_event_append_only()",
]
FORWARD = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
EXPECTED = {"sqlite": {f"{EVENT_TABLE}_no_update", f"{EVENT_TABLE}_no_delete"},
            "postgresql": {f"{EVENT_TABLE}_append_only"}}

_state = threading.local()


@contextmanager
def maintenance() -> Iterator[None]:
    """Let this thread's SQLite connection delete events, for `flush` only (wiping the whole database)."""
    _state.on = True
    try:
        yield
    finally:
        _state.on = False


@contextmanager
def rewriting(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let a data migration rewrite events in this transaction, on either database, and re-arm the guard after.

    Only for a migration that corrects how history was recorded and re-seals the chains it touches (the rewrite
    shows in the migration history, and `hotline audit verify` passes afterwards)."""
    if connection.vendor == "postgresql":
        # ALTER TABLE is transactional: if the body fails, the rollback re-arms the trigger by itself.
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {EVENT_TABLE} DISABLE TRIGGER {EVENT_TABLE}_append_only")
        yield
        with connection.cursor() as cursor:
            # Rows updated twice leave deferred foreign-key checks queued, and ALTER TABLE refuses to run over them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {EVENT_TABLE} ENABLE TRIGGER {EVENT_TABLE}_append_only")
    else:
        with maintenance():
            yield


def _maintenance_flag() -> int:
    return 1 if getattr(_state, "on", False) else 0


def register_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On each new SQLite connection, define the function the triggers ask (connection_created receiver)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("hotline_audit_maintenance", 0, _maintenance_flag)


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """Names of the append-only triggers present on the event table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [EVENT_TABLE])
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                           [EVENT_TABLE])
        else:
            return set()
        return {row[0] for row in cursor.fetchall()} & EXPECTED.get(connection.vendor, set())


def missing(connection: BaseDatabaseWrapper) -> set[str]:
    """Expected triggers that are not there (a table rebuilt by a later SQLite migration drops its triggers)."""
    return EXPECTED.get(connection.vendor, set()) - installed(connection)


def ensure(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers if the event table exists and they are missing (idempotent; post_migrate receiver)."""
    if connection.vendor not in FORWARD or EVENT_TABLE not in connection.introspection.table_names():
        return
    if not missing(connection):
        return
    with connection.cursor() as cursor:
        for sql in FORWARD[connection.vendor]:
            cursor.execute(sql)
