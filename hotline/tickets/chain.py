"""Walking each ticket's event chain on demand (`verify`, `hotline audit verify`); events are sealed on insert by
`hotline.tickets.models.seal` with the MACs of `hotline.vault.seal`."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection
from django.db.models import F

from hotline.tickets.models import AuditChainHead, Event
from hotline.vault import triggers
from hotline.vault.keys import KeyRing, keyring
from hotline.vault.seal import event_mac, head_mac


@dataclass(frozen=True)
class Finding:
    """One break in a chain: which ticket, which event, what kind (changed, inserted, deleted, head, trigger)."""

    kind: str
    ticket_id: int | None
    event_id: int | None
    detail: str


@dataclass
class Report:
    """What `verify` walked and what it found."""

    chains: int = 0
    events: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _walk(ticket_id: int, rows: list[Event], sealed_seq: int | None, ring: KeyRing,
          report: Report) -> tuple[int, str]:
    """Check one chain's links and MACs against its sealed length; returns the last intact position and hash."""
    prev, seq = "", 0
    for i, row in enumerate(rows):
        mac_ok = row.seq is not None and hmac.compare_digest(row.hash, event_mac(row, ring))
        links = row.prev_hash == prev and row.seq == seq + 1
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if mac_ok:
            if not links:
                missing = (row.seq or 0) - seq - 1
                report.findings.append(Finding("deleted", ticket_id, row.id,
                                               f"第{seq + 1}条起缺失{max(missing, 1)}条事件（位于事件{row.id}之前）"))
            prev, seq = row.hash, row.seq or seq
        elif links and (nxt is None or nxt.prev_hash == row.hash) and (sealed_seq is None or seq < sealed_seq):
            report.findings.append(Finding("changed", ticket_id, row.id, f"事件{row.id}的内容与封存哈希不符（被修改）"))
            prev, seq = row.hash, row.seq or seq
        else:
            report.findings.append(Finding("inserted", ticket_id, row.id, f"事件{row.id}不在封存的链中（被插入）"))
    return seq, prev


def _check_head(ticket_id: int, seq: int, last: str, head: AuditChainHead | None, ring: KeyRing,
                report: Report) -> None:
    if head is None:
        if seq:
            report.findings.append(Finding("head", ticket_id, None, "链头记录缺失"))
        return
    if not hmac.compare_digest(head.mac, head_mac(ticket_id, head.seq, head.hash, ring)):
        report.findings.append(Finding("head", ticket_id, None, "链头记录被篡改"))
    elif head.seq > seq:
        report.findings.append(Finding("deleted", ticket_id, None, f"链尾缺失{head.seq - seq}条事件"))
    elif head.seq < seq:
        report.findings.append(Finding("inserted", ticket_id, None, f"链头之后多出{seq - head.seq}条事件"))
    elif head.hash != last:
        report.findings.append(Finding("changed", ticket_id, None, "最后一条事件与链头不符"))


def _chains() -> Iterator[tuple[int, list[Event]]]:
    # `about_unit` is outside the seal (derived from the assignment rows), so the walk does not read it; it then also
    # verifies a database whose events predate that column.
    events = (Event.objects.defer("about_unit").order_by("ticket_id", F("seq").asc(nulls_last=True), "id")
              .iterator(chunk_size=2000))
    for ticket_id, rows in groupby(events, key=lambda e: e.ticket_id):
        yield ticket_id, list(rows)


def verify() -> Report:
    """Walk every ticket's chain and report changed, inserted and deleted events, and missing triggers."""
    ring = keyring()
    report = Report()
    for name in sorted(triggers.missing(connection)):
        report.findings.append(Finding("trigger", None, None, f"只追加触发器缺失: {name}"))
    heads = {h.ticket_id: h for h in AuditChainHead.objects.all().iterator(chunk_size=2000)}
    for ticket_id, rows in _chains():
        report.chains += 1
        report.events += len(rows)
        head = heads.pop(ticket_id, None)
        sealed = head.seq if head and hmac.compare_digest(head.mac, head_mac(ticket_id, head.seq, head.hash, ring)) \
            else None
        seq, last = _walk(ticket_id, rows, sealed, ring, report)
        _check_head(ticket_id, seq, last, head, ring, report)
    for ticket_id, head in heads.items():  # a head whose every event is gone
        _check_head(ticket_id, 0, "", head, ring, report)
    return report
