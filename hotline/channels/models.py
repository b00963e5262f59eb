"""Channels other than the operator's phone (Art. 2, 7): gateway keys, signed 110 transfers, the citizen portal."""

from __future__ import annotations

from django.db import models

from hotline.tickets.choices import Channel, Satisfaction
from hotline.tickets.models import Ticket


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
