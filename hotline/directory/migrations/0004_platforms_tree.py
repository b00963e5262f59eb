"""Platforms as a tree in one deployment (Art. 30): the city platform, created here, holds every existing unit and
staff member; county sub-centres are added below it."""

import django.db.models.deletion
from django.db import migrations, models


def city_platform(apps, schema_editor):
    Platform = apps.get_model("directory", "Platform")
    city = Platform.objects.create(code="city", name="市12345热线平台", kind="city")
    apps.get_model("directory", "Unit").objects.update(platform=city)
    apps.get_model("directory", "Staff").objects.update(platform=city)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0003_duty"),
    ]

    operations = [
        migrations.CreateModel(
            name="Platform",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=32, unique=True, verbose_name="编码")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="名称")),
                ("kind", models.CharField(choices=[("city", "市级平台"), ("county", "县市区分中心"),
                                                   ("township", "乡镇街道分中心")],
                                          max_length=16, verbose_name="层级")),
                ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                             related_name="children", to="directory.platform",
                                             verbose_name="上级平台")),
            ],
            options={
                "verbose_name": "热线平台",
                "verbose_name_plural": "热线平台",
                "ordering": ["id"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("kind", "city"), ("parent__isnull", True))
                                           | models.Q(("parent__isnull", False), models.Q(("kind", "city"), _negated=True)),
                                           name="platform_root_is_the_city"),
                    models.UniqueConstraint(condition=models.Q(("parent__isnull", True)), fields=("kind",),
                                            name="one_root_platform"),
                ],
            },
        ),
        migrations.AddField(
            model_name="unit", name="platform",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="units",
                                    to="directory.platform", verbose_name="所属平台"),
        ),
        migrations.AddField(
            model_name="staff", name="platform",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="staff",
                                    to="directory.platform", verbose_name="所属平台"),
        ),
        migrations.RunPython(city_platform, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="unit", name="platform",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="units",
                                    to="directory.platform", verbose_name="所属平台"),
        ),
        migrations.AlterField(
            model_name="staff", name="platform",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="staff",
                                    to="directory.platform", verbose_name="所属平台"),
        ),
    ]
