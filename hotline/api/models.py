"""API tokens: random bearer secrets of which only a SHA-256 hash is stored, so a leaked table grants nothing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from hotline.vault.fields import EncryptedTextField


class ApiToken(models.Model):
    """One bearer token of one staff member, valid until `expires` (settings.API_TOKEN_TTL_SECONDS after issue)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="工作人员", on_delete=models.CASCADE,
                             related_name="api_tokens")
    # SHA-256 of the token: the token itself is shown once, at issue, and never stored.
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    created = models.DateTimeField("签发时间")
    expires = models.DateTimeField("过期时间", db_index=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.user} {self.created:%Y-%m-%d %H:%M}"


class IdempotentRequest(models.Model):
    """One write sent with an `Idempotency-Key`: the first successful answer, replayed to a retry with the same key
    and body (docs/api.md). Saved in the write's own transaction, so it exists exactly when the write does."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="工作人员", on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField("幂等键", max_length=200)
    # SHA-256 of method, path and body: the same key with another request is refused, never replayed.
    fingerprint = models.CharField("请求摘要", max_length=64)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.PositiveSmallIntegerField("状态码", default=0)
    # The answer holds the requester in full for hotline staff, so it is kept encrypted like the requester (Art. 23).
    response = EncryptedTextField("应答")
    created = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "幂等请求"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
