"""One month-freeze record: `reports.MonthClose` replaces `followups.PublishedMonth` (see `hotline.followups.freeze`).

Appeals already decided keep the `counts_in` they were given. A month marked published here but never closed by the
statistics has no figures to freeze; rather than invent a closing for it, the migration stops and names it, so the
manager closes it in the statistics (月度统计) first.
"""

from django.db import migrations


def check_every_published_month_is_closed(apps, schema_editor):  # type: ignore[no-untyped-def]
    published = apps.get_model("followups", "PublishedMonth")
    closed = apps.get_model("reports", "MonthClose")
    missing = [f"{row.month:%Y-%m}" for row in published.objects.order_by("month")
               if not closed.objects.filter(year=row.month.year, month=row.month.month).exists()]
    if missing:
        raise RuntimeError(f"以下月份已标记发布但未在统计中结账，请先结账再迁移：{'、'.join(missing)}")


class Migration(migrations.Migration):

    dependencies = [
        ('followups', '0002_citizen_ratings_as_follow_ups'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(check_every_published_month_is_closed, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='PublishedMonth',
        ),
    ]
