"""The portal's earlier ratings (channels.CitizenRating) become follow-up records of the portal channel, so every
rating is read in one place (Art. 17). The old rows stay where they are; nothing is deleted."""

from django.db import migrations


def copy_ratings(apps, schema_editor):
    CitizenRating = apps.get_model("channels", "CitizenRating")
    FollowUp = apps.get_model("tickets", "FollowUp")
    for rating in CitizenRating.objects.select_related("ticket").iterator():
        if FollowUp.objects.filter(ticket_id=rating.ticket_id, channel="portal").exists():
            continue
        FollowUp.objects.create(ticket_id=rating.ticket_id, requester_id=rating.ticket.requester_id, channel="portal",
                                agent=None, at=rating.at, reached=True, satisfaction=rating.satisfaction,
                                note=rating.comment[:500])


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0001_appeals"),
        ("channels", "0001_initial"),
        ("tickets", "0007_follow_up_channels"),
    ]

    operations = [migrations.RunPython(copy_ratings, migrations.RunPython.noop)]
