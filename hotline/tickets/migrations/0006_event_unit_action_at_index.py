"""An index on events by acting unit, action and time, for reports that read one unit's own actions in a period.

The (action, at) index from 0001 serves the period queries of every action; this one serves a unit's drill-down
(its signings, replies, return requests in a month) without scanning every unit's events.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0005_declined_contacts_one_event"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["actor_unit", "action", "at"], name="tickets_eve_actor_u_fd4969_idx"),
        ),
    ]
