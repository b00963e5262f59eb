"""AES-256-GCM for one value, bound to its table, column and row (Art. 23; DESIGN §5).

A stored value reads `aesgcm1:<key id>:<base64url(nonce | ciphertext | tag)>`: the prefix names the algorithm and
format version, the key id names the key. The associated data is `table.column:row-id`, so a value copied to another
row or column fails authentication instead of decrypting to someone else's data.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hotline.vault.keys import KeyRing, keyring

FORMAT = "aesgcm1"
NONCE_BYTES = 12  # the GCM standard nonce; random per value, 2^-32 collision bound far above our volume per key


class DecryptionError(Exception):
    """A stored value is not ours, was altered, or was moved from another row or column; never returns garbage."""


def binding(table: str, column: str, row_id: object) -> bytes:
    """The associated data that ties a ciphertext to one cell: `table.column:row-id`."""
    return f"{table}.{column}:{row_id}".encode()


def encrypt(plaintext: str, aad: bytes, ring: KeyRing | None = None) -> str:
    """Encrypt under the current key; the result names its format and key."""
    ring = ring or keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(ring.key(ring.current_id)).encrypt(nonce, plaintext.encode("utf-8"), aad)
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()
    return f"{FORMAT}:{ring.current_id}:{body}"


def key_id_of(token: str) -> str:
    """The key id a stored value was encrypted under (no decryption)."""
    return _split(token)[0]


def _split(token: str) -> tuple[str, bytes]:
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != FORMAT:
        raise DecryptionError("密文格式无法识别（可能是明文或未知版本）")
    try:
        raw = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError("密文编码已损坏") from None
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionError("密文长度不正确")
    return parts[1], raw


def decrypt(token: str, aad: bytes, ring: KeyRing | None = None) -> str:
    """The plaintext, or DecryptionError when the value was altered, swapped between cells or its key is unknown."""
    ring = ring or keyring()
    key_id, raw = _split(token)
    if key_id not in ring.keys:
        raise DecryptionError(f"密文使用的密钥“{key_id}”不在当前密钥集中")
    try:
        plain = AESGCM(ring.keys[key_id]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(f"密文校验失败：数据被篡改或不属于 {aad.decode(errors='replace')}") from None
    return plain.decode("utf-8")
