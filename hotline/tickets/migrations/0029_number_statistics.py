"""A finer histogram of ticket numbers on PostgreSQL (issue 15).

A search by the start of a number (`selectors.NUMBER_START_DIGITS`) reads the number's own index. With the default
statistics (100 buckets) PostgreSQL guessed that a ten-digit start matched 9,800 tickets at a million where a few
hundred did, judged walking the newest tickets cheaper, and with parallel workers read all million (about 1 s). A
thousand buckets keep the guess near a day's tickets, and the index is read (1 ms). ANALYZE of the ticket table then
samples 300,000 rows instead of 30,000 (3 s at a million, in autovacuum's background)."""

from django.db import migrations

from hotline.lib.migrations import PostgresRunSQL


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0028_unit_ticket"),
    ]

    operations = [PostgresRunSQL(
        ["ALTER TABLE tickets_ticket ALTER COLUMN number SET STATISTICS 1000", "ANALYZE tickets_ticket (number)"],
        ["ALTER TABLE tickets_ticket ALTER COLUMN number SET STATISTICS -1"])]
