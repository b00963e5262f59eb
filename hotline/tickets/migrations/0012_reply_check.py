"""The reply check (Art. 27, 28(3)): a score of how well a reply answers its ticket, and the warning shown."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0011_first_day_fixes"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="check_score",
            field=models.FloatField(blank=True, null=True, verbose_name="答复相关度"),
        ),
        migrations.AddField(
            model_name="reply",
            name="check_warning",
            field=models.CharField(blank=True, max_length=200, verbose_name="文不对题提示"),
        ),
    ]
