"""The ticket's words, segmented once at intake and kept for dispatch suggestions and training."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0012_reply_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="tokens",
            field=models.TextField(blank=True, editable=False, verbose_name="分词"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="address_tokens",
            field=models.TextField(blank=True, editable=False, verbose_name="地址分词"),
        ),
    ]
