"""The audit chain head joins the events it seals (it was the privacy app's); the table `privacy_auditchainhead` stays."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0003_event_hash_chain"),
        ("privacy", "0004_chain_head_moves_to_tickets"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditChainHead",
                    fields=[
                        ("ticket", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True,
                                                        related_name="+", serialize=False, to="tickets.ticket")),
                        ("seq", models.PositiveIntegerField()),
                        ("hash", models.CharField(max_length=64)),
                        ("mac", models.CharField(max_length=64)),
                    ],
                    options={
                        "verbose_name": "审计链头",
                        "verbose_name_plural": "审计链头",
                        "db_table": "privacy_auditchainhead",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
