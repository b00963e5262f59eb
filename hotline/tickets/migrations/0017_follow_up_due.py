"""The follow-up clock as a stored column (Art. 17), filled for tickets resolved and not yet called."""

from django.conf import settings
from django.db import migrations, models


def fill_follow_up_due(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The calendar as the database holds it at this migration (historical models), counted by the pure functions.
    from hotline.deadlines.calendar import WorkCalendar
    from hotline.deadlines.policy import Clock, compute

    day = apps.get_model("deadlines", "CalendarDay")
    year = apps.get_model("deadlines", "PublishedYear")
    holidays = frozenset(day.objects.filter(kind="holiday").values_list("date", flat=True))
    workdays = frozenset(day.objects.exclude(kind="holiday").values_list("date", flat=True))
    calendar = WorkCalendar(holidays=holidays, workdays=workdays,
                            published_years=frozenset(year.objects.values_list("year", flat=True)))
    ticket = apps.get_model("tickets", "Ticket")
    rows = ticket.objects.filter(status="resolved", follow_up_due__isnull=True, resolved_at__isnull=False)
    for pk, resolved_at in rows.values_list("pk", "resolved_at").iterator():
        due = compute(calendar, Clock.FOLLOW_UP, resolved_at, amount=settings.FOLLOW_UP_WORKING_DAYS).at
        ticket.objects.filter(pk=pk).update(follow_up_due=due)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0003_duty'),
        ('tickets', '0016_outbox_message_id'),
        ('deadlines', '0003_chinese_holiday_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='follow_up_due',
            field=models.DateTimeField(blank=True, null=True, verbose_name='回访时限'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['status', 'follow_up_due'], name='tickets_tic_status_e40ee9_idx'),
        ),
        migrations.RunPython(fill_follow_up_due, migrations.RunPython.noop),
    ]
