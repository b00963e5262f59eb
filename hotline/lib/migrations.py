"""Operations the project's migrations share."""

from __future__ import annotations

from typing import Any

from django.db import migrations


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL that applies only on PostgreSQL (indexes, planner statistics and functions SQLite has no use for)."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
