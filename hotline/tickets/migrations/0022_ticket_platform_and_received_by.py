"""Tickets carry the platform that holds them and the one they came in at (Art. 30); existing tickets were all
received and held by the city platform."""

import django.db.models.deletion
from django.db import migrations, models


def at_the_city(apps, schema_editor):
    city = apps.get_model("directory", "Platform").objects.get(parent__isnull=True)
    apps.get_model("tickets", "Ticket").objects.update(platform=city, received_by=city)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0004_platforms_tree"),
        ("tickets", "0021_merged_requesters_owed_calls"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket", name="platform",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="tickets",
                                    to="directory.platform", verbose_name="所在平台"),
        ),
        migrations.AddField(
            model_name="ticket", name="received_by",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="received_tickets", to="directory.platform",
                                    verbose_name="受理平台"),
        ),
        migrations.RunPython(at_the_city, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ticket", name="platform",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="tickets",
                                    to="directory.platform", verbose_name="所在平台"),
        ),
        migrations.AlterField(
            model_name="ticket", name="received_by",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="received_tickets",
                                    to="directory.platform", verbose_name="受理平台"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["platform", "-created_at"], name="ticket_platform_newest"),
        ),
    ]
