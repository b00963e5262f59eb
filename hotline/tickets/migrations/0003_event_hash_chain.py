"""Event rows get their place in a per-ticket hash chain (seq, prev_hash, hash).

Existing events are sealed by the privacy app's migration, which also creates the chain heads and the triggers.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0002_requester_encryption"),
    ]

    operations = [
        migrations.AddField(model_name="event", name="seq",
                            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="链序号")),
        migrations.AddField(model_name="event", name="prev_hash",
                            field=models.CharField(blank=True, editable=False, max_length=64,
                                                   verbose_name="前一事件哈希")),
        migrations.AddField(model_name="event", name="hash",
                            field=models.CharField(blank=True, editable=False, max_length=64,
                                                   verbose_name="事件哈希")),
        migrations.AddConstraint(model_name="event",
                                 constraint=models.UniqueConstraint(fields=("ticket", "seq"),
                                                                    name="one_event_per_chain_position")),
    ]
