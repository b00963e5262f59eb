"""The key set: AES-GCM keys for personal data and one stable secret for look-up and audit MACs (Art. 23).

Keys come from the environment (`HOTLINE_ENCRYPTION_KEYS`, `HOTLINE_LOOKUP_KEY`) or a key file (`HOTLINE_KEY_FILE`),
never from the database, so a stolen database or backup holds only ciphertext. When neither is set (development,
tests, the embedded demo) a key file is generated once in `HOTLINE_DATA_DIR` with mode 0600.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured

from hotline.lib.env import data_dir, env_str
from hotline.lib.privacy import normalise_phone

log = logging.getLogger(__name__)

KEY_BYTES = 32  # AES-256
LOOKUP_ID = "lookup"  # the reserved id of the stable secret inside a key set
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
GENERATED_FILE_NAME = "encryption-keys.txt"


class KeyConfigError(ImproperlyConfigured):
    """The key set is missing or malformed; the message says which variable or file to fix."""


@dataclass(frozen=True)
class KeyRing:
    """Encryption keys by id (the first is current) and the stable secret, with where they came from."""

    keys: dict[str, bytes]
    current_id: str
    lookup_secret: bytes
    source: str
    generated: bool = False
    _derived: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    def key(self, key_id: str) -> bytes:
        """The AES key with this id; unknown ids are a clear error (a retired key still in use)."""
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyConfigError(f"未配置密钥“{key_id}”：仍有数据使用该密钥，请将其保留在密钥集中") from None

    def derive(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose, derived from the stable secret with HKDF-SHA256 (never from an AES key,
        so rotating the encryption keys leaves phone look-ups and the audit chain valid)."""
        if purpose not in self._derived:
            hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"hotline-12345", info=purpose.encode())
            self._derived[purpose] = hkdf.derive(self.lookup_secret)
        return self._derived[purpose]


def _decode_key(key_id: str, value: str, where: str) -> bytes:
    if not KEY_ID.match(key_id):
        raise KeyConfigError(f"{where}: 密钥编号“{key_id}”只能包含字母、数字、-、_，最长16位")
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigError(f"{where}: 密钥“{key_id}”不是有效的 base64") from None
    if len(raw) != KEY_BYTES:
        raise KeyConfigError(f"{where}: 密钥“{key_id}”须为{KEY_BYTES}字节（base64 编码后44个字符）")
    return raw


def parse_entries(entries: list[str], where: str) -> tuple[dict[str, bytes], bytes | None]:
    """`id:base64` entries in order (first encryption key is current); `lookup:base64` is the stable secret."""
    keys: dict[str, bytes] = {}
    lookup: bytes | None = None
    for entry in entries:
        key_id, sep, value = entry.strip().partition(":")
        if not sep:
            raise KeyConfigError(f"{where}: 每项须写成“编号:base64密钥”")
        raw = _decode_key(key_id, value, where)
        if key_id == LOOKUP_ID:
            lookup = raw
        elif key_id in keys:
            raise KeyConfigError(f"{where}: 密钥编号“{key_id}”重复")
        else:
            keys[key_id] = raw
    return keys, lookup


def _file_entries(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def new_key_id() -> str:
    """`k`, today's date and four random hex digits: a new key never takes an id an older key may have held."""
    return f"k{dt.date.today():%Y%m%d}{secrets.token_hex(2)}"


def new_key_line(key_id: str | None = None) -> str:
    """A fresh `id:base64` line for a key set; the default id is new (`new_key_id`)."""
    key_id = key_id or new_key_id()
    if not KEY_ID.match(key_id):
        raise KeyConfigError(f"密钥编号“{key_id}”只能包含字母、数字、-、_，最长16位")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


def generated_key_file() -> Path:
    """Where the development key file lives: inside the data directory, so only for development and demos."""
    return data_dir() / GENERATED_FILE_NAME


def _generate_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# 12345 热线开发/演示用密钥（自动生成）。生产环境请用 HOTLINE_ENCRYPTION_KEYS 或 HOTLINE_KEY_FILE。\n"
        "# 第一行加密密钥为当前密钥；lookup 为电话检索与审计链的稳定密钥，轮换加密密钥时不要更改。\n"
        f"{new_key_line()}\n{LOOKUP_ID}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}\n"
    )
    # O_EXCL: two processes starting at once must not both write a different key; the loser reads the winner's.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    log.warning("未配置加密密钥，已生成开发用密钥文件 %s（仅限开发与演示）", path)


def load_keyring() -> KeyRing:
    """Read the key set from the environment, the key file, or (development) the generated file."""
    env_keys = env_str("HOTLINE_ENCRYPTION_KEYS")
    key_file = env_str("HOTLINE_KEY_FILE")
    generated = False
    if env_keys:
        source = "HOTLINE_ENCRYPTION_KEYS"
        keys, lookup = parse_entries(env_keys.split(","), source)
    else:
        path = Path(key_file).expanduser() if key_file else generated_key_file()
        if not key_file:
            _generate_file(path)
            generated = True
        if not path.is_file():
            raise KeyConfigError(f"HOTLINE_KEY_FILE 指向的密钥文件不存在: {path}")
        source = str(path)
        keys, lookup = parse_entries(_file_entries(path), source)
    env_lookup = env_str("HOTLINE_LOOKUP_KEY")
    if env_lookup:
        lookup = _decode_key(LOOKUP_ID, env_lookup, "HOTLINE_LOOKUP_KEY")
    if not keys:
        raise KeyConfigError(f"{source}: 至少需要一个加密密钥")
    if lookup is None:
        raise KeyConfigError(f"{source}: 缺少检索密钥（设置 HOTLINE_LOOKUP_KEY 或在密钥集中加入 lookup:...）")
    return KeyRing(keys=keys, current_id=next(iter(keys)), lookup_secret=lookup, source=source, generated=generated)


@lru_cache(maxsize=1)
def keyring() -> KeyRing:
    """The process-wide key set, read once."""
    return load_keyring()


def reset_keyring() -> None:
    """Forget the cached key set (after a key change, and in tests)."""
    keyring.cache_clear()


def phone_lookup_hash(raw: str) -> str:
    """HMAC-SHA256 of the normalised phone under the derived look-up key: `139 8765 4321` matches `13987654321`."""
    digits = normalise_phone(raw)
    if not digits:
        return ""
    return hmac.new(keyring().derive("phone-lookup/v1"), digits.encode(), hashlib.sha256).hexdigest()
