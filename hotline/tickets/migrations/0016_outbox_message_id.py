"""Every outbox message gets a UUID the SMS gateway de-duplicates on; rows already there get one each."""

import uuid

from django.db import migrations, models


def give_ids(apps, schema_editor):
    Outbox = apps.get_model("tickets", "Outbox")
    for pk in Outbox.objects.values_list("pk", flat=True).iterator():
        Outbox.objects.filter(pk=pk).update(message_id=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [("tickets", "0015_upper_orders")]

    operations = [
        migrations.AddField(model_name="outbox", name="message_id",
                            field=models.UUIDField(null=True, editable=False, verbose_name="消息编号")),
        migrations.RunPython(give_ids, migrations.RunPython.noop),
        migrations.AlterField(model_name="outbox", name="message_id",
                              field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True,
                                                     verbose_name="消息编号")),
    ]
