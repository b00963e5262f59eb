"""API tokens: random bearer secrets of which only a SHA-256 hash is stored, so a leaked table grants nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
