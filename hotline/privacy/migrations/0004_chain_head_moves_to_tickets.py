"""The audit chain head moved to the tickets app, beside the events it seals; the table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0003_security_kinds_session_otp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditChainHead")],
            database_operations=[],
        ),
    ]
