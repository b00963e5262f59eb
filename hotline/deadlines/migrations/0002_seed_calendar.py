from django.db import migrations


def seed(apps, schema_editor):
    from hotline.deadlines.seed import seed_from_package

    seed_from_package(apps.get_model("deadlines", "CalendarDay"), apps.get_model("deadlines", "PublishedYear"))


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
