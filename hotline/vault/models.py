"""The key ids this database holds ciphertext under, each with a fingerprint of its key (never the key itself)."""

from __future__ import annotations

from django.db import models


class KeyRecord(models.Model):
    """One encryption key id ever used on this database: a later key under the same id is refused (a restore
    without the key file must not silently start a second `k1`)."""

    key_id = models.CharField("密钥编号", max_length=16, unique=True)
    # HMAC-SHA256 of a fixed label under the key: tells two keys apart and reveals nothing about either.
    fingerprint = models.CharField("密钥指纹", max_length=64)
    first_used = models.DateTimeField("首次使用", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "加密密钥登记"

    def __str__(self) -> str:
        return self.key_id
