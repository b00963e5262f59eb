"""Deputies' registry (Art. 18): township level, term, phones kept encrypted beside their look-up hashes."""

import uuid

from django.db import migrations, models

import hotline.vault.fields


def give_uids(apps, schema_editor):
    Deputy = apps.get_model("channels", "Deputy")
    for deputy in Deputy.objects.filter(uid__isnull=True):
        deputy.uid = uuid.uuid4()
        deputy.save(update_fields=["uid"])


class Migration(migrations.Migration):

    dependencies = [
        ("channels", "0002_desk_flags_deputies"),
    ]

    operations = [
        migrations.AddField(model_name="deputy", name="uid", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(give_uids, migrations.RunPython.noop),
        migrations.AlterField(model_name="deputy", name="uid",
                              field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False)),
        migrations.AddField(model_name="deputy", name="phone",
                            field=hotline.vault.fields.EncryptedTextField(blank=True, default="",
                                                                          verbose_name="联系电话")),
        migrations.AddField(model_name="deputy", name="other_phone",
                            field=hotline.vault.fields.EncryptedTextField(blank=True, default="",
                                                                          verbose_name="其他电话")),
        migrations.AddField(model_name="deputy", name="other_phone_hash",
                            field=models.CharField(blank=True, db_index=True, max_length=64)),
        migrations.AddField(model_name="deputy", name="term_start",
                            field=models.DateField(blank=True, null=True, verbose_name="任期开始")),
        migrations.AddField(model_name="deputy", name="term_end",
                            field=models.DateField(blank=True, null=True, verbose_name="任期届满")),
        migrations.AlterField(model_name="deputy", name="delegation",
                              field=models.CharField(max_length=100, verbose_name="选区/代表团")),
        migrations.AlterField(model_name="deputy", name="level",
                              field=models.CharField(choices=[("national", "全国"), ("provincial", "省"),
                                                              ("city", "市"), ("county", "县"),
                                                              ("township", "乡镇")],
                                                     max_length=16, verbose_name="层级")),
    ]
