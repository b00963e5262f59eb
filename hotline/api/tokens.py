"""Issuing, checking and revoking API bearer tokens (the only code that touches ApiToken)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from hotline.api.models import ApiToken
from hotline.lib.outage import unless_read_only

if TYPE_CHECKING:
    from hotline.directory.models import Staff

# Writing `last_used` on every request would make each read a write (and queue behind SQLite's one writer);
# once a minute is precise enough to spot unused tokens.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
# Password guessing: after this many failures for one username within the window, refuse without checking.


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: Staff) -> tuple[str, dt.datetime]:
    """A new random token for `user` and its expiry; only the hash is kept, so this is the one time it can be read."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = now + dt.timedelta(seconds=settings.API_TOKEN_TTL_SECONDS)
    ApiToken.objects.create(user=user, key_hash=_digest(token), created=now, expires=expires)
    return token, expires


def user_for(token: str) -> Staff | None:
    """The active staff member holding this unexpired token, or None."""
    if not token:
        return None
    now = timezone.now()
    row = ApiToken.objects.select_related("user", "user__unit").filter(key_hash=_digest(token)).first()
    if row is None or row.expires <= now or not row.user.is_active:
        return None
    if row.last_used is None or now - row.last_used >= LAST_USED_RESOLUTION:
        with unless_read_only("令牌最近使用时间"):
            ApiToken.objects.filter(pk=row.pk).update(last_used=now)
    return row.user


def revoke(token: str) -> bool:
    """Delete the token (logout); False if it was unknown."""
    deleted, _ = ApiToken.objects.filter(key_hash=_digest(token)).delete()
    return bool(deleted)
