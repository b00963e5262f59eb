"""The embedded deployment's SECRET_KEY: generated once into the data directory, readable by the owner only."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret-key"  # noqa: S105 (a file name, not a secret)


def secret_key(data_dir: Path) -> str:
    """The key stored in `data_dir`, created on first use (sessions, CSRF and phone look-up hashes depend on it)."""
    path = data_dir / SECRET_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key
