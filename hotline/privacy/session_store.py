"""Staff sessions in the database; while the database refuses writes (a read-only or full disk), in a signed cookie
value, so staff can still log in and read (issue 15). The signed value carries the same data and the same time-outs
(`hotline.privacy.sessions`), signed with SECRET_KEY; it cannot be revoked before it expires, which is why it is
used only while nothing can be written, and the log says so each time."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core import signing
from django.db import DatabaseError

from hotline.lib.outage import refuses_writes, unless_read_only

log = logging.getLogger(__name__)

PREFIX = "ro:"  # a database session key is 32 letters and digits, so it can never start like this
SALT = "hotline.privacy.session_store"


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, falling back to a signed value while the database is read-only."""

    def _signed(self) -> bool:
        return bool(self.session_key and self.session_key.startswith(PREFIX))

    def load(self) -> dict[str, Any]:
        if not self._signed():
            return super().load()
        try:
            value = str(self.session_key)[len(PREFIX):]
            return signing.loads(value, salt=SALT, serializer=self.serializer,  # type: ignore[no-any-return]
                                 max_age=settings.SESSION_COOKIE_AGE)
        except signing.BadSignature:
            self._session_key = None
            return {}

    def exists(self, session_key: str) -> bool:
        return False if session_key.startswith(PREFIX) else super().exists(session_key)

    def save(self, must_create: bool = False) -> None:
        if not self._signed():
            try:
                super().save(must_create)  # in its own atomic block: a refusal leaves the request's transaction usable
                return
            except (DatabaseError, UpdateError) as exc:
                cause = exc if isinstance(exc, DatabaseError) else exc.__context__
                if cause is None or not refuses_writes(cause):
                    raise
                log.warning("数据存储只读或已满：会话改存为签名 Cookie（期间有效）")
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        self._session_key = PREFIX + signing.dumps(data, salt=SALT, serializer=self.serializer, compress=True)
        self.modified = True

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key and key.startswith(PREFIX):
            self._session_key = None
            return
        with unless_read_only("会话删除"):
            super().delete(session_key)
