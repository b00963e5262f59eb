"""Seal the events written before the chain existed, then make the event table append-only on each database.

The triggers are RunSQL per vendor (SQLite and PostgreSQL); `hotline.vault.triggers` holds the statements and
puts them back after any later migration that rebuilds the table on SQLite.
"""

from django.db import migrations

from hotline.vault import triggers


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that applies only on one database vendor."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def seal_existing(apps, schema_editor):
    from hotline.vault.seal import event_mac, head_mac

    Event = apps.get_model("tickets", "Event")
    Head = apps.get_model("privacy", "AuditChainHead")
    if not Event.objects.filter(seq__isnull=True).exists():
        return
    heads = {}
    for event in Event.objects.filter(seq__isnull=True).order_by("ticket_id", "id").iterator(chunk_size=1000):
        seq, prev = heads.get(event.ticket_id, (0, ""))
        event.seq, event.prev_hash = seq + 1, prev
        event.hash = event_mac(event)
        Event.objects.filter(pk=event.pk).update(seq=event.seq, prev_hash=event.prev_hash, hash=event.hash)
        heads[event.ticket_id] = (event.seq, event.hash)
    for ticket_id, (seq, last) in heads.items():
        Head.objects.update_or_create(ticket_id=ticket_id, defaults={
            "seq": seq, "hash": last, "mac": head_mac(ticket_id, seq, last)})


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0001_initial"),
        ("tickets", "0003_event_hash_chain"),
    ]

    operations = [
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        VendorRunSQL("sqlite", triggers.SQLITE_FORWARD, triggers.SQLITE_REVERSE),
        VendorRunSQL("postgresql", triggers.POSTGRES_FORWARD, triggers.POSTGRES_REVERSE),
    ]
