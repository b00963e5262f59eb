"""Indexes chosen from the plans at a million tickets (issue #15): open work, lists by unit, recent resolutions,
pending extensions, and on PostgreSQL trigram indexes for the list's text search.

The list searches with `icontains`, which Django writes as `UPPER(col::text) LIKE UPPER(%s)`; each trigram index
is on exactly that expression so the planner can combine the four columns' indexes (BitmapOr). pg_trgm ships with
PostgreSQL (contrib) and is a trusted extension, so the database owner may create it. SQLite has no trigram index:
the embedded deployment's tables are small enough to scan.
"""

from django.conf import settings
from django.db import migrations, models

from hotline.lib.migrations import PostgresRunSQL

SEARCHED = ("number", "title", "content", "address")


TRIGRAM_FORWARD = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f'CREATE INDEX IF NOT EXISTS "ticket_{column}_trgm" ON "tickets_ticket" '
    f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)' for column in SEARCHED]
TRIGRAM_REVERSE = [f'DROP INDEX IF EXISTS "ticket_{column}_trgm"' for column in SEARCHED]


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0003_duty'),
        ('tickets', '0013_ticket_tokens'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['unit', 'ticket'], name='assignment_unit_ticket'),
        ),
        migrations.AddIndex(
            model_name='extensionrequest',
            index=models.Index(condition=models.Q(('state', 'pending')), fields=['ticket'], name='extension_pending'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['lead_unit', '-created_at'], name='ticket_lead_unit_newest'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('status__in', ['consulting', 'dispatched', 'in_progress', 'pending_dispatch', 'replied', 'return_requested'])), fields=['created_at'], name='ticket_open_by_created'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('status__in', ['resolved', 'closed'])), fields=['-resolved_at'], name='ticket_done_by_resolved'),
        ),
        PostgresRunSQL(TRIGRAM_FORWARD, TRIGRAM_REVERSE),
    ]
