import django.db.models.deletion
from django.db import migrations, models

# Who may read each ticket so far (issue 15, interpretation 89): every unit ever assigned it, from its first dispatch,
# and every unit it was consulted on, from that consultation; the earlier moment where both. About 6 s at a million
# tickets; run it with the application stopped, or a dispatch made meanwhile by the old code gives no right. The
# generator (`bench/history.py`) runs `record` on the rows it wrote.
FROM_ASSIGNMENTS = """
INSERT INTO tickets_unitticket (unit_id, ticket_id, since)
SELECT unit_id, ticket_id, MIN(dispatched_at) FROM tickets_assignment GROUP BY unit_id, ticket_id
"""
CHUNK = 500


def consultations(apps):
    """{(unit id, ticket id): the first moment it was consulted}: each consultation event names its unit; the
    ticket's current consulted unit counts from its latest consultation (or its creation, if no event says)."""
    Event, Ticket, Unit = (apps.get_model("tickets", "Event"), apps.get_model("tickets", "Ticket"),
                           apps.get_model("directory", "Unit"))
    units = dict(Unit.objects.values_list("code", "id"))
    found, latest = {}, {}
    for ticket_id, code, at in Event.objects.filter(action="consult").values_list(
            "ticket_id", "data__unit", "at").iterator():
        latest[ticket_id] = max(at, latest.get(ticket_id, at))
        if (unit_id := units.get(code)) is not None:
            found[unit_id, ticket_id] = min(at, found.get((unit_id, ticket_id), at))
    for ticket_id, unit_id, created in Ticket.objects.filter(consult_unit__isnull=False).values_list(
            "id", "consult_unit_id", "created_at").iterator():
        found.setdefault((unit_id, ticket_id), latest.get(ticket_id, created))
    return found


def record(apps, connection):
    """Write the rights into an empty `tickets_unitticket` on `connection`."""
    UnitTicket = apps.get_model("tickets", "UnitTicket")
    with connection.cursor() as cursor:
        cursor.execute(FROM_ASSIGNMENTS)
    consulted = sorted(consultations(apps).items(), key=lambda item: item[0][1])  # by ticket
    for start in range(0, len(consulted), CHUNK):
        chunk = consulted[start:start + CHUNK]
        tickets = {ticket_id for (_, ticket_id), _ in chunk}
        held = {(row.unit_id, row.ticket_id): row for row in UnitTicket.objects.filter(ticket_id__in=tickets)}
        new, earlier = [], []
        for (unit_id, ticket_id), at in chunk:
            if (row := held.get((unit_id, ticket_id))) is None:
                new.append(UnitTicket(unit_id=unit_id, ticket_id=ticket_id, since=at))
            elif at < row.since:
                row.since = at
                earlier.append(row)
        UnitTicket.objects.bulk_create(new)
        UnitTicket.objects.bulk_update(earlier, ["since"])


def forwards(apps, schema_editor):
    record(apps, schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0004_platforms_tree'),
        ('tickets', '0027_running_clocks_indexed'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitTicket',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('since', models.DateTimeField(verbose_name='起始时间')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tickets.ticket')),
                ('unit', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.unit')),
            ],
            options={
                'verbose_name': '单位可见工单',
                'verbose_name_plural': '单位可见工单',
                'constraints': [models.UniqueConstraint(fields=('unit', 'ticket'), name='unit_ticket_once')],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        # The unit's scope read its assignments through this index; it reads `unit_ticket_once` now.
        migrations.RemoveIndex(model_name='assignment', name='assignment_unit_ticket'),
    ]
