"""Helpers for the privacy tests: switching key sets, tampering with the event table behind the triggers."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.db import connection

from hotline.vault import triggers
from hotline.vault.keys import KeyRing, keyring, new_key_line, reset_keyring


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@contextmanager
def key_set(*new_ids: str, keep_old: bool = True) -> Iterator[KeyRing]:
    """Run with new current keys in front of the present ones (as after `keys generate`), same look-up secret."""
    old = keyring()
    entries = [new_key_line(key_id) for key_id in new_ids]
    if keep_old:
        entries += [f"{key_id}:{b64(raw)}" for key_id, raw in old.keys.items()]
    env = {"HOTLINE_ENCRYPTION_KEYS": ",".join(entries), "HOTLINE_LOOKUP_KEY": b64(old.lookup_secret)}
    with mock.patch.dict(os.environ, env):
        reset_keyring()
        try:
            yield keyring()
        finally:
            reset_keyring()


@contextmanager
def triggers_dropped() -> Iterator[None]:
    """Drop the append-only triggers as an intruder with DDL rights would (the test transaction undoes it)."""
    drop = {"sqlite": triggers.SQLITE_REVERSE, "postgresql": triggers.POSTGRES_REVERSE[:1]}[connection.vendor]
    with connection.cursor() as cursor:
        for sql in drop:
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in triggers.FORWARD[connection.vendor]:
                cursor.execute(sql)


def raw_column(table: str, column: str, pk: int) -> str:
    """A column's value exactly as the database stores it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608  (test-only identifiers)
        return cursor.fetchone()[0]


def set_raw_column(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608
