"""Merged requesters owed their own call (Art. 17, 并单) carry the original's follow-up due, as the workflow now
stores it (`workflow.owe_merged_calls`), so the follow-up queue reads an index instead of every merged ticket.

Filled here by the same rule for tickets merged before: the original resolved or closed, the requester not reached
and fewer than three calls made. Merged tickets are few (about one in two hundred), so the ORM is quick enough.
"""

from django.db import migrations
from django.db.models import Count, Exists, OuterRef

CALLS = 3  # frozen: workflow.FOLLOW_UP_UNREACHED_LIMIT when this was written


def forwards(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    FollowUp = apps.get_model("tickets", "FollowUp")
    reached = FollowUp.objects.filter(ticket=OuterRef("pk"), reached=True)
    owed = (Ticket.objects.filter(status="merged", merged_into__status__in=("resolved", "closed"))
            .exclude(Exists(reached)).annotate(calls=Count("follow_ups")).filter(calls__lt=CALLS)
            .values_list("pk", "merged_into__follow_up_due", "merged_into__resolved_at", "merged_into__closed_at"))
    for pk, due, resolved_at, closed_at in list(owed):
        Ticket.objects.filter(pk=pk).update(follow_up_due=due or resolved_at or closed_at)


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0020_ticket_bigrams_gin"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
