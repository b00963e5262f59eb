"""The supervision log is append-only in the database too, as the ticket events are (GB/T 22239 audit); on SQLite
the guard asks the same maintenance function as `hotline.vault.triggers`, so only `flush` may wipe it."""

from django.db import migrations

TABLE = "supervision_caseevent"

SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    "WHEN hotline_audit_maintenance() = 0 "
    f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    "WHEN hotline_audit_maintenance() = 0 "
    f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: DELETE refused'); END",
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION hotline_supervision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{TABLE} is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation'; "
    "END $$",
    f"CREATE OR REPLACE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION hotline_supervision_append_only()",
]
DROP = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"],
    "postgresql": [f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
                   "DROP FUNCTION IF EXISTS hotline_supervision_append_only()"],
}


def install(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql, params=None)  # no placeholders: the % in RAISE is literal


def remove(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)  # no placeholders: the % in RAISE is literal


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
