"""System checks: the key set loads, and production does not run on the generated development key file."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register

from hotline.vault.keys import KeyConfigError, keyring


@register("hotline")
def key_set_loads(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The encryption key set can be read."""
    try:
        keyring()
    except KeyConfigError as exc:
        return [Error(f"加密密钥配置错误: {exc}", id="privacy.E001")]
    return []


@register(Tags.security, deploy=True)
def key_set_not_generated(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`check --deploy`: the generated development key file lives beside the data and must not be used in production."""
    try:
        ring = keyring()
    except KeyConfigError:
        return []
    if ring.generated:
        return [Warning("正在使用自动生成的开发密钥文件（与数据存放在同一目录）",
                        hint="生产环境请设置 HOTLINE_ENCRYPTION_KEYS 与 HOTLINE_LOOKUP_KEY，或 HOTLINE_KEY_FILE，"
                             "见 docs/security.md", id="privacy.W001")]
    return []


@register(Tags.database)
def keys_match_database(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`check --database default` (and every start): each key id the database holds ciphertext under is loaded,
    and is the same key."""
    if not databases:
        return []
    from django.db import connection

    from hotline.vault.models import KeyRecord
    from hotline.vault.startup import verify

    if KeyRecord._meta.db_table not in connection.introspection.table_names():
        return []  # a database not migrated yet holds no ciphertext; `migrate` runs this check before it creates tables

    try:
        verify()
    except KeyConfigError as exc:
        return [Error(f"加密密钥与数据库不符: {exc}", id="privacy.E002")]
    return []
