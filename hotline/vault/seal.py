"""The event seal: keyed MACs that chain each ticket's events, so an edit, insert or delete shows.

Each event's `hash` is HMAC-SHA256 (key derived from the stable secret, not stored in the database) over the
canonical JSON of the row and the previous event's hash; the chain head carries a MAC of its own so a deleted last
event is caught too. Someone who can write the database but holds no key can neither repair a chain after editing
nor forge a new link. This module knows no models: `hotline.tickets.chain` applies it to the event table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from hotline.vault.keys import KeyRing, keyring

PURPOSE = "audit-chain/v1"


def canonical(event: Any) -> bytes:
    """The row as sorted, compact JSON: the exact bytes the MAC covers."""
    at = event.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    body = {
        "ticket": event.ticket_id, "seq": event.seq, "prev": event.prev_hash, "action": str(event.action),
        "from": str(event.from_status), "to": str(event.to_status), "actor": event.actor_id,
        "actor_unit": event.actor_unit_id, "at": at, "reason": event.reason, "article": event.article,
        # Round-trip through JSON so the MAC covers what the database hands back, not the caller's Python types.
        "data": json.loads(json.dumps(event.data if event.data is not None else {})),
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_mac(event: Any, ring: KeyRing | None = None) -> str:
    """The hash an untouched event must carry."""
    return hmac.new((ring or keyring()).derive(PURPOSE), canonical(event), hashlib.sha256).hexdigest()


def head_mac(ticket_id: int, seq: int, last_hash: str, ring: KeyRing | None = None) -> str:
    """The MAC sealing a chain's end, so truncating the chain needs the key too."""
    message = f"{ticket_id}:{seq}:{last_hash}".encode()
    return hmac.new((ring or keyring()).derive(PURPOSE), message, hashlib.sha256).hexdigest()
