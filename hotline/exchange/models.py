"""Exchanges with other platforms (Art. 7, 27): orders from the provincial platform and their report-back, and the
tickets sub-centres (utilities', provincial units' own hotlines) push to 12345, with every push kept for quality."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from hotline.directory.models import Unit
from hotline.tickets.choices import Satisfaction, UpperFlag
from hotline.tickets.models import Event, Outbox, Ticket


class PartnerKind(models.TextChoices):
    UPPER = "upper", "上级平台"
    LOWER = "lower", "下级平台"
    SUB_CENTRE = "sub_centre", "热线分中心"


class Partner(models.Model):
    """Another platform that exchanges signed messages with 12345: the provincial platform (orders down, status
    back up), a city platform under us when this deployment is the province (orders sent down, status received)
    or a sub-centre (tickets pushed up). The shared secrets live in the environment, never here."""

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=PartnerKind.choices)
    # A sub-centre's tickets count under this unit in the statistics (Art. 7); a lower platform is this unit in our
    # directory, and dispatching a ticket to it sends the ticket down; an upper platform has none.
    unit = models.ForeignKey(Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    prefix = models.CharField("接入前缀", max_length=16, unique=True, help_text="对方请求头 X-Key-Prefix 的值")
    hmac_secret_env = models.CharField("签名密钥环境变量", max_length=64,
                                       help_text="对方签名用的共享密钥所在的环境变量名")
    # Where we post and how we sign there: an upper platform's report-back address (empty: report-back is off), or
    # a lower platform's order address (its /api/v1/exchange/orders).
    outbound_url = models.URLField("回传地址", blank=True, help_text="上级平台：状态回传地址（留空则不回传）；"
                                   "下级平台：交办地址")
    outbound_prefix = models.CharField("回传前缀", max_length=16, blank=True, help_text="本平台在对方的接入前缀")
    outbound_secret_env = models.CharField("回传签名密钥环境变量", max_length=64, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "对接平台"

    def __str__(self) -> str:
        return self.name


class UpperOrder(models.Model):
    """An order the provincial platform sent down (上级交办, Art. 27), one per external id, and the ticket it became."""

    partner = models.ForeignKey(Partner, verbose_name="上级平台", on_delete=models.PROTECT, related_name="orders")
    external_id = models.CharField("上级工单编号", max_length=64)
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="upper_order")
    category = models.CharField("上级分类", max_length=100, blank=True)
    flag = models.CharField("上级标记", max_length=16, choices=UpperFlag.choices, blank=True, default="")
    upper_due = models.DateTimeField("上级时限")
    received_at = models.DateTimeField("接收时间")

    class Meta:
        verbose_name = verbose_name_plural = "上级交办工单"
        constraints = [models.UniqueConstraint(fields=["partner", "external_id"], name="one_order_per_external_id")]

    def __str__(self) -> str:
        return f"{self.partner.code}:{self.external_id}"


class ReportBack(models.Model):
    """One transition of an upper order's ticket reported back to the upper platform, through the outbox: when it
    happened, when it was delivered, how many attempts it took and whether it was late."""

    order = models.ForeignKey(UpperOrder, on_delete=models.PROTECT, related_name="reports")
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="+")
    outbox = models.OneToOneField(Outbox, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("发生时间")
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    late = models.BooleanField("回传超时", default=False)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "状态回传"


class LowerOrder(models.Model):
    """A ticket of ours sent down to a lower platform (交办下级, Art. 27), one per ticket and platform: sent through
    the outbox after the dispatch that chose the platform's unit, retried until delivered; the lower platform
    answers a repeat with the ticket the first delivery made, so a retry never makes a second one there."""

    partner = models.ForeignKey(Partner, verbose_name="下级平台", on_delete=models.PROTECT, related_name="lower_orders")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="lower_orders")
    created_at = models.DateTimeField("交办时间")
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    remote_number = models.CharField("下级工单编号", max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "交办下级工单"
        constraints = [models.UniqueConstraint(fields=["partner", "ticket"], name="one_lower_order_per_ticket")]

    def __str__(self) -> str:
        return f"{self.partner.code}:{self.ticket_id}"


class LowerReport(models.Model):
    """One status report a lower platform sent about an order we gave it, kept once per its message id (a retry
    of the same report is answered, not recorded again) with the event it wrote on our ticket."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="lower_reports")
    order = models.ForeignKey(LowerOrder, on_delete=models.PROTECT, related_name="reports")
    message_id = models.CharField("消息编号", max_length=64)
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("下级动作", max_length=32)
    status = models.CharField("下级状态", max_length=32)
    at = models.DateTimeField("发生时间")
    received_at = models.DateTimeField("接收时间")

    class Meta:
        verbose_name = verbose_name_plural = "下级平台回报"
        constraints = [models.UniqueConstraint(fields=["partner", "message_id"], name="one_lower_report_per_message")]


class PushStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "已办结"
    CLOSED = "closed", "已归档"


class SubCentreTicket(models.Model):
    """A ticket a sub-centre took and handled itself, as its latest push describes it (Art. 7: its data is gathered
    at 12345 in real time); it counts under the sub-centre's unit in the statistics."""

    partner = models.ForeignKey(Partner, verbose_name="分中心", on_delete=models.PROTECT, related_name="tickets")
    unit = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField("分中心工单编号", max_length=64)
    category = models.CharField("分类", max_length=100, blank=True)
    content = models.TextField("诉求摘要", blank=True)
    status = models.CharField("状态", max_length=16, choices=PushStatus.choices)
    received_at = models.DateTimeField("受理时间")
    due_at = models.DateTimeField("办理时限", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    satisfaction = models.CharField("满意度", max_length=2, choices=Satisfaction.choices, blank=True)
    first_pushed_at = models.DateTimeField("首次推送")
    last_pushed_at = models.DateTimeField("最近推送")

    class Meta:
        verbose_name = verbose_name_plural = "分中心工单"
        constraints = [models.UniqueConstraint(fields=["partner", "external_id"], name="one_sub_ticket_per_id")]
        indexes = [models.Index(fields=["unit", "received_at"]), models.Index(fields=["unit", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.partner.code}:{self.external_id}"


class SubCentrePush(models.Model):
    """One push a sub-centre made, kept to measure its data quality: how long after the fact it came, whether
    it carried every field its status needs, or was refused."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="pushes")
    ticket = models.ForeignKey(SubCentreTicket, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="pushes")
    at = models.DateTimeField("接收时间")
    event_at = models.DateTimeField("发生时间", null=True, blank=True)
    status = models.CharField("状态", max_length=16, blank=True)
    on_time = models.BooleanField("及时", default=False)
    complete = models.BooleanField("内容完整", default=False)
    missing = models.JSONField("缺少的字段", default=list, blank=True)
    refused = models.BooleanField("拒收", default=False)
    error = models.TextField("拒收原因", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "分中心推送记录"
        indexes = [models.Index(fields=["partner", "at"])]
        constraints = [models.CheckConstraint(condition=Q(refused=True) | Q(ticket__isnull=False),
                                              name="accepted_push_has_ticket")]
