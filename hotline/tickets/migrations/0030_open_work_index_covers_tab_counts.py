from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0004_platforms_tree'),
        ('tickets', '0029_number_statistics'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='ticket',
            name='ticket_open_by_created',
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('status__in', ['consulting', 'dispatched', 'in_progress', 'pending_dispatch', 'replied', 'return_requested', 'transferring'])), fields=['created_at'], include=('id', 'status', 'consult_unit', 'dispatch_due', 'consult_due', 'sign_due', 'handling_due', 'rework_due', 'arrival_due', 'arrived_at', 'response_due'), name='ticket_open_by_created'),
        ),
    ]
