"""A contact declined at intake was recorded as `accept` then `decline` and given a dispatch clock. Statistics count
受理 and 不予受理 apart (Art. 10, 11, 26), so such a contact now has one event, `decline` from no status, and no
dispatch clock. Only a decline by the same person within a minute of the accept is a decline at intake; a ticket
accepted into the queue and declined later keeps both events. The rewritten chains are sealed again.
"""

import datetime as dt

from django.db import migrations

AT_INTAKE = dt.timedelta(seconds=60)


def _reseal(Event, Head, ticket_id):
    from hotline.vault.seal import event_mac, head_mac

    prev, seq = "", 0
    for event in Event.objects.filter(ticket_id=ticket_id).order_by("seq", "id"):
        seq += 1
        event.seq, event.prev_hash = seq, prev
        event.hash = event_mac(event)
        Event.objects.filter(pk=event.pk).update(seq=event.seq, prev_hash=event.prev_hash, hash=event.hash)
        prev = event.hash
    Head.objects.update_or_create(ticket_id=ticket_id, defaults={
        "seq": seq, "hash": prev, "mac": head_mac(ticket_id, seq, prev)})


def forwards(apps, schema_editor):
    from hotline.vault import triggers

    Ticket = apps.get_model("tickets", "Ticket")
    Event = apps.get_model("tickets", "Event")
    Head = apps.get_model("tickets", "AuditChainHead")
    declined = Ticket.objects.filter(status="declined").values_list("pk", flat=True)
    if not declined.exists():
        return
    with triggers.rewriting(schema_editor.connection):
        for ticket_id in declined.iterator(chunk_size=1000):
            first_two = list(Event.objects.filter(ticket_id=ticket_id).order_by("seq", "id")[:2])
            if len(first_two) < 2:
                continue
            accept, decline = first_two
            if not (accept.action == "accept" and accept.from_status == "" and decline.action == "decline"
                    and decline.actor_id == accept.actor_id and decline.at - accept.at <= AT_INTAKE):
                continue
            data = {**(decline.data or {}), "channel": (accept.data or {}).get("channel", "")}
            Event.objects.filter(pk=accept.pk).delete()
            # The row moves to position 1 with new data; `_reseal` recomputes every MAC of the chain.
            Event.objects.filter(pk=decline.pk).update(from_status="", data=data)
            Ticket.objects.filter(pk=ticket_id).update(dispatch_due=None)
            _reseal(Event, Head, ticket_id)


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0004_audit_chain_head"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
