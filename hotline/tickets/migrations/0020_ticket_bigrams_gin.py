"""Two-character list searches on PostgreSQL (issue #15: "井盖" scanned every ticket, since trigram indexes need
three characters): the function `hotline_bigrams` gives a text's distinct character pairs, and a GIN index holds them
for the four searched columns, exactly the expression `hotline.tickets.selectors.bigrams()` filters on. SQLite scans.
"""

from django.db import migrations

from hotline.lib.migrations import PostgresRunSQL

FORWARD = [
    """CREATE OR REPLACE FUNCTION hotline_bigrams(value text) RETURNS text[]
       LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
       $$ SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
          FROM generate_series(1, char_length(value) - 1) AS i $$""",
    """CREATE INDEX IF NOT EXISTS "ticket_bigrams_gin" ON "tickets_ticket" USING gin
       (hotline_bigrams(UPPER("number" || E'\\x1f' || "title" || E'\\x1f' || "content" || E'\\x1f' || "address")))""",
]
REVERSE = ['DROP INDEX IF EXISTS "ticket_bigrams_gin"', "DROP FUNCTION IF EXISTS hotline_bigrams(text)"]


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0019_event_lower_report_action"),
    ]

    operations = [PostgresRunSQL(FORWARD, REVERSE)]
