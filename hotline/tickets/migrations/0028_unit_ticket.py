
import django.db.models.deletion
from django.db import migrations, models


# Who may read each ticket so far (issue 15): every unit ever assigned it, from its first dispatch, and the unit it was
# consulted on, from the consultation. Set-based SQL that both databases run; about 20 s at a million tickets.
FROM_ASSIGNMENTS = """
INSERT INTO tickets_unitticket (unit_id, ticket_id, since)
SELECT unit_id, ticket_id, MIN(dispatched_at) FROM tickets_assignment GROUP BY unit_id, ticket_id
"""
FROM_CONSULTATIONS = """
INSERT INTO tickets_unitticket (unit_id, ticket_id, since)
SELECT t.consult_unit_id, t.id, COALESCE(
    (SELECT MIN(e.at) FROM tickets_event e WHERE e.ticket_id = t.id AND e.action = 'consult'), t.created_at)
FROM tickets_ticket t
WHERE t.consult_unit_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM tickets_unitticket u WHERE u.unit_id = t.consult_unit_id AND u.ticket_id = t.id)
"""


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
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.unit')),
            ],
            options={
                'verbose_name': '单位可见工单',
                'verbose_name_plural': '单位可见工单',
                'constraints': [models.UniqueConstraint(fields=('unit', 'ticket'), name='unit_ticket_once')],
            },
        ),
        migrations.RunSQL(FROM_ASSIGNMENTS, migrations.RunSQL.noop),
        migrations.RunSQL(FROM_CONSULTATIONS, migrations.RunSQL.noop),
    ]
