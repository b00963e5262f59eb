from django.db import migrations


def translate(apps, schema_editor):
    """The first seed stored the package's English names ('Spring Festival'); the UI is Chinese."""
    from hotline.deadlines.seed import chinese_name

    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    changed = []
    for row in CalendarDay.objects.exclude(name=""):
        base, suffix = (row.name[:-2], "调休") if row.name.endswith("调休") else (row.name, "")
        name = chinese_name(base) + suffix
        if name != row.name:
            row.name = name
            changed.append(row)
    # Names do not affect deadlines, so the calendar cache need not notice (bulk_update leaves updated_at).
    CalendarDay.objects.bulk_update(changed, ["name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_seed_calendar")]
    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
