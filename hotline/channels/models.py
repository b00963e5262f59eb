"""Channels other than the operator's phone (Art. 2, 7): gateway keys, signed 110 transfers, the citizen portal."""

from __future__ import annotations

import uuid

from django.db import models

from hotline.tickets.choices import Channel, Satisfaction
from hotline.tickets.models import Ticket
from hotline.vault.fields import EncryptedTextField


class ChannelKey(models.Model):
    """A key a gateway (WeChat, app, SMS, Open311 client) or the 110 platform uses; only its hash is stored."""

    name = models.CharField("名称", max_length=100)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    prefix = models.CharField("前缀", max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)
    # The 110 platform signs requests with HMAC; it needs the shared secret itself, kept out of the database.
    hmac_secret_env = models.CharField("签名密钥环境变量", max_length=64, blank=True,
                                       help_text="110 平台签名用的共享密钥所在的环境变量名")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "渠道接入密钥"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_channel_display()}）"


class InboundNonce(models.Model):
    """A signed request's nonce, kept for the replay window so the same request is never taken twice (Art. 7)."""

    source = models.CharField(max_length=32)
    nonce = models.CharField(max_length=64)
    received_at = models.DateTimeField()
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "nonce"], name="one_use_per_nonce")]


class Tracking(models.Model):
    """How a citizen follows a ticket without an account: a query code (hashed) and a public Open311 token."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="tracking")
    code_hash = models.CharField(max_length=64)
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    failed_checks = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "查询码"


class CitizenRating(models.Model):
    """The requester's own satisfaction rating from the portal, shown to the follow-up agent (GB/T 39734 levels)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="citizen_ratings")
    satisfaction = models.CharField("满意度", max_length=2, choices=Satisfaction.choices)
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "群众评价"
        constraints = [models.UniqueConstraint(fields=["ticket"], name="one_citizen_rating_per_ticket")]


class FlagState(models.TextChoices):
    PENDING = "pending", "待审核"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "已驳回"


class NuisanceFlag(models.Model):
    """A caller flagged for repeated calls with no new matter or abuse of staff (Art. 29), reviewed by the manager.

    Shown at intake as a warning; it never stops a genuine new request from being taken.
    """

    phone_hash = models.CharField(max_length=64, db_index=True)
    phone_masked = models.CharField("号码（脱敏）", max_length=20)
    kind = models.CharField("类型", max_length=16, choices=[
        ("repeat", "无新情况反复来电"), ("abuse", "辱骂威胁工作人员"), ("occupy", "长时间占用热线")])
    evidence = models.TextField("证据（来电次数、日期、录音编号）")
    tickets = models.ManyToManyField(Ticket, blank=True, related_name="+")
    raised_by = models.ForeignKey("directory.Staff", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    state = models.CharField("审核结果", max_length=10, choices=FlagState.choices, default=FlagState.PENDING)
    reviewed_by = models.ForeignKey("directory.Staff", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "骚扰来电标记"


class DeputyLevel(models.TextChoices):
    """The five levels of people's congresses whose deputies are registered (Art. 18; WAVE2 §5)."""

    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡镇"


class Deputy(models.Model):
    """An NPC deputy registered to raise matters through the hotline (Art. 18: the deputies' information base).

    Recognised at intake by the keyed hash of either phone, only while `is_active` and within the term."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("姓名", max_length=50)
    delegation = models.CharField("选区/代表团", max_length=100)
    level = models.CharField("层级", max_length=16, choices=DeputyLevel.choices)
    phone = EncryptedTextField("联系电话")
    phone_hash = models.CharField(max_length=64, db_index=True)
    phone_masked = models.CharField("号码（脱敏）", max_length=20)
    other_phone = EncryptedTextField("其他电话")
    other_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    term_start = models.DateField("任期开始", null=True, blank=True)
    term_end = models.DateField("任期届满", null=True, blank=True)
    is_active = models.BooleanField("在任", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "人大代表"

    def __str__(self) -> str:
        return f"{self.name}（{self.delegation}）"


class DeputyTicket(models.Model):
    """The deputies' ledger (工作台账, Art. 18): which deputy raised which ticket."""

    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="ledger")
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="deputy_entry")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "代表诉求台账"


class Submission(models.Model):
    """A form that creates a ticket, submitted once: its key (rendered into the form) and the ticket it made.

    Going back in the browser and submitting the same text again, a double click, or a retried request send the
    same key; the second submission answers with the first ticket instead of registering the contact twice.
    """

    key = models.CharField(max_length=64, unique=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey("directory.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "表单提交记录"


class RecoveryCode(models.Model):
    """An SMS code sent to the phone a requester gave, to replace a lost query code (stored as a keyed hash)."""

    tracking = models.ForeignKey(Tracking, on_delete=models.CASCADE, related_name="recoveries")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "查询码找回验证码"
