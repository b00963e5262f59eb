"""A closed month belongs to a platform (Art. 26, 30): every month closed so far is the city platform's, and each
county sub-centre may close its own month, one per platform and month."""

import django.db.models.deletion
from django.db import migrations, models


def city_months(apps, schema_editor):
    Platform = apps.get_model("directory", "Platform")
    MonthClose = apps.get_model("reports", "MonthClose")
    if not MonthClose.objects.exists():
        return
    root = Platform.objects.filter(parent__isnull=True).order_by("id").first()
    if root is None:
        root = Platform.objects.create(code="city", name="市12345热线平台", kind="city")
    MonthClose.objects.update(platform=root)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0004_platforms_tree"),
        ("reports", "0002_month_typical_tickets"),
    ]

    operations = [
        migrations.AddField(
            model_name="monthclose",
            name="platform",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="directory.platform", verbose_name="平台"),
        ),
        migrations.RunPython(city_months, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="monthclose",
            name="platform",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="directory.platform", verbose_name="平台"),
        ),
        migrations.RemoveConstraint(model_name="monthclose", name="one_close_per_month"),
        migrations.AddConstraint(
            model_name="monthclose",
            constraint=models.UniqueConstraint(fields=("platform", "year", "month"),
                                               name="one_close_per_platform_month"),
        ),
    ]
