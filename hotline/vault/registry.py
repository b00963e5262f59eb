"""Which keys this database's ciphertext needs, checked against the loaded key set (Art. 23; docs/security.md).

Every key id is recorded with its fingerprint the first time a value is encrypted under it. At start
(`hotline.vault.startup.verify`) the platform refuses to run when the database records a key id that is not
loaded, or a loaded key id with another key's fingerprint: either would leave existing values unreadable and, worse,
write new ones under a name that already means another key.
"""

from __future__ import annotations

import hashlib
import hmac

from django.db import transaction

from hotline.vault.keys import KeyConfigError, KeyRing, keyring
from hotline.vault.models import KeyRecord

# Key ids and fingerprints known to be recorded (committed) on this database, so a process asks once per key.
_recorded: set[tuple[str, str]] = set()


def fingerprint(raw: bytes) -> str:
    """HMAC-SHA256 of a fixed label under the key: equal for the same key, unrelated for any other."""
    return hmac.new(raw, b"hotline-key-fingerprint/v1", hashlib.sha256).hexdigest()


def reused(key_id: str) -> KeyConfigError:
    return KeyConfigError(
        f"密钥编号“{key_id}”在本数据库中已属于另一把密钥：不能用同一编号生成新密钥。请找回原密钥文件"
        f"（或 HOTLINE_ENCRYPTION_KEYS）并放回密钥集；新密钥请用新的编号（hotline keys generate）")


def not_loaded(key_id: str, ring: KeyRing) -> KeyConfigError:
    return KeyConfigError(
        f"数据库中有个人信息使用密钥“{key_id}”加密，但当前密钥集（{ring.source}）中没有该密钥：请放回原密钥文件"
        f"或在 HOTLINE_ENCRYPTION_KEYS 中加入它后再启动（不要生成同名新密钥）")


def record_current(ring: KeyRing | None = None) -> None:
    """Record the current key before anything is encrypted under it; refuse a key id that belongs to another key."""
    ring = ring or keyring()
    key_id = ring.current_id
    pair = (key_id, fingerprint(ring.key(key_id)))
    if pair in _recorded:
        return
    record(key_id, pair[1])
    # Remembered once committed (at once outside a transaction): a record rolled back is made again next time.
    transaction.on_commit(lambda: _recorded.add(pair))


def record(key_id: str, key_fingerprint: str) -> None:
    """Record `key_id` as the key of `key_fingerprint`, or find it already recorded so; a record of another key under
    that id is refused. Every worker of a server does this at start at once: the first write wins and the others
    read it (a plain create failed their start on the unique id, and the server with them)."""
    row, _ = KeyRecord.objects.get_or_create(key_id=key_id, defaults={"fingerprint": key_fingerprint})
    if row.fingerprint != key_fingerprint:
        raise reused(key_id)


def forget() -> None:
    """Ask the database again on the next encryption (tests that empty the table)."""
    _recorded.clear()


def problems(ring: KeyRing | None = None) -> list[str]:
    """Why this key set cannot serve this database: recorded ids not loaded, or loaded under a reused id."""
    ring = ring or keyring()
    found: list[str] = []
    for row in KeyRecord.objects.order_by("first_used", "pk"):
        if row.key_id not in ring.keys:
            found.append(str(not_loaded(row.key_id, ring)))
        elif fingerprint(ring.keys[row.key_id]) != row.fingerprint:
            found.append(str(reused(row.key_id)))
    return found
