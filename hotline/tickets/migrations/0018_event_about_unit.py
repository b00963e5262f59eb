"""Each event records the unit it is about (`Event.about_unit`), so the statistics (Art. 26, 27) read a column
instead of looking the lead unit up in the assignment rows once per event (30 s for an open month at a million
tickets, most of it in those look-ups).

Existing events are filled by one UPDATE with the rule the reports used until now, in SQL on either database: the
acting unit for a unit's own action, otherwise the lead assignment dispatched at or before the event and not ended
before it (the newest wins), and for a merged requester's follow-up call the original's. The column is outside the
seal, so no chain is re-sealed; only the append-only guard is lifted for the UPDATE and re-armed after. The index
is built after the fill, which is faster than keeping it up to date row by row.
"""

import django.db.models.deletion
from django.db import migrations, models

# Frozen here as they were when this migration was written (tickets.choices.UNIT_ACTIONS).
UNIT_ACTIONS = ("sign", "request_return", "request_extension", "reply", "arrive")

_LEAD_AT = """(SELECT a.unit_id FROM tickets_assignment a
  WHERE a.ticket_id = {ticket} AND a.role = 'lead' AND a.dispatched_at <= tickets_event.at
    AND (a.ended_at IS NULL OR a.ended_at >= tickets_event.at)
  ORDER BY a.dispatched_at DESC, a.id DESC LIMIT 1)"""

FILL_SQL = f"""UPDATE tickets_event SET about_unit_id = CASE
  WHEN action IN ({", ".join(f"'{a}'" for a in UNIT_ACTIONS)}) THEN actor_unit_id
  ELSE COALESCE({_LEAD_AT.format(ticket="tickets_event.ticket_id")},
    CASE WHEN action = 'follow_up' THEN {_LEAD_AT.format(
        ticket="(SELECT t.merged_into_id FROM tickets_ticket t WHERE t.id = tickets_event.ticket_id)")} END)
  END
WHERE about_unit_id IS NULL"""


def fill(connection) -> int:
    """Fill `about_unit` of every event that has none, in one statement; returns the number of rows written."""
    from hotline.vault import triggers

    with triggers.rewriting(connection), connection.cursor() as cursor:
        cursor.execute(FILL_SQL)
        return cursor.rowcount


def forwards(apps, schema_editor):
    fill(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0003_duty"),
        ("tickets", "0017_follow_up_due"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="about_unit",
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="directory.unit", verbose_name="所涉单位"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["about_unit", "action", "at"], name="event_about_unit_action_at"),
        ),
    ]
