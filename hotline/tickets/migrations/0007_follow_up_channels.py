"""Follow-up records from every channel (call, portal, SMS), solved, fault, how the unit made contact, the appeal
window and the assessment exclusion (Art. 17, 25); calls recorded at the unit's fault before keep that fault."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _fault_from_flag(apps, schema_editor):
    FollowUp = apps.get_model("tickets", "FollowUp")
    FollowUp.objects.filter(unit_at_fault=True, fault="").update(fault="unit")


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0006_event_unit_action_at_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='followup',
            name='appeal_due',
            field=models.DateTimeField(blank=True, null=True, verbose_name='申诉截止'),
        ),
        migrations.AddField(
            model_name='followup',
            name='channel',
            field=models.CharField(choices=[('call', '电话回访'), ('portal', '网站评价'), ('sms', '短信评价')], default='call', max_length=8, verbose_name='回访渠道'),
        ),
        migrations.AddField(
            model_name='followup',
            name='excluded_from_assessment',
            field=models.BooleanField(default=False, verbose_name='不计入考核（申诉成立）'),
        ),
        migrations.AddField(
            model_name='followup',
            name='fault',
            field=models.CharField(blank=True, choices=[('unit', '承办单位原因'), ('policy', '政策原因'), ('requester', '服务对象原因'), ('objective', '客观条件限制')], max_length=10, verbose_name='不满意原因'),
        ),
        migrations.AddField(
            model_name='followup',
            name='solved',
            field=models.BooleanField(blank=True, null=True, verbose_name='问题已解决'),
        ),
        migrations.AddField(
            model_name='followup',
            name='unit_contact_method',
            field=models.CharField(blank=True, choices=[('phone', '电话'), ('visit', '上门或现场'), ('sms', '短信或微信'), ('other', '其他')], max_length=8, verbose_name='承办单位联系方式'),
        ),
        migrations.AlterField(
            model_name='event',
            name='action',
            field=models.CharField(choices=[('accept', '受理'), ('decline', '不予受理'), ('answer', '直接答复'), ('consult', '咨询单位'), ('dispatch', '转派'), ('sign', '签收'), ('deem_signed', '视为签收'), ('request_return', '申请退回'), ('review_return', '审核退回'), ('request_extension', '申请延期'), ('review_extension', '审核延期'), ('reply', '办结反馈'), ('review_reply', '审核办结'), ('follow_up', '回访'), ('rework', '发回重办'), ('merge', '并单'), ('hand_off', '联动转出'), ('contact_attempt', '联系服务对象'), ('arrive', '到场处置'), ('mark_overdue', '超时'), ('warn', '临期提醒'), ('appeal', '申诉'), ('review_appeal', '审核申诉')], max_length=24, verbose_name='动作'),
        ),
        migrations.AlterField(
            model_name='followup',
            name='agent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='followup',
            name='unit_contacted',
            field=models.BooleanField(blank=True, null=True, verbose_name='承办单位联系过服务对象'),
        ),
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(fields=['channel', 'at'], name='tickets_fol_channel_9a6026_idx'),
        ),
        migrations.AddConstraint(
            model_name='followup',
            constraint=models.UniqueConstraint(condition=models.Q(('channel', 'call'), _negated=True),
                                               fields=('ticket', 'channel'),
                                               name='one_rating_per_ticket_and_channel'),
        ),
        migrations.RunPython(_fault_from_flag, migrations.RunPython.noop),
    ]
