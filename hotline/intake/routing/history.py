"""Training examples from the platform's own ticket history.

A ticket teaches its unit only once the unit has kept it: replied, resolved or closed, or in progress after the on-site
return window (第十三条). A ticket that was returned and re-dispatched counts with the unit that finally kept it (its
active lead assignment), never with the unit that sent it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone

from hotline.intake.routing.features import tokens
from hotline.intake.routing.model import Example
from hotline.tickets.choices import AssignmentRole, Status
from hotline.tickets.models import Assignment, Ticket

KEPT_STATUSES = (Status.REPLIED, Status.RESOLVED, Status.CLOSED)
NO_TOPIC_STATUSES = (Status.DECLINED, Status.MERGED, Status.HANDED_OFF)


def ticket_text(ticket: Ticket, *, address: bool = True) -> str:
    """The address (for 属地, unless `address` is off) and the content; the title only if it adds something."""
    parts = [ticket.address or ""] if address else []
    if ticket.title and not (ticket.content or "").startswith(ticket.title):
        parts.append(ticket.title)
    parts.append(ticket.content or "")
    return " ".join(p for p in parts if p)


def ticket_tokens(ticket: Ticket) -> dict[str, str]:
    """The ticket's words as `Ticket.tokens` and `Ticket.address_tokens` keep them (what the routing model reads)."""
    return {"tokens": tokens(ticket_text(ticket, address=False)), "address_tokens": tokens(ticket.address or "")}


def keep_tokens(ticket: Ticket) -> None:
    """Segment the ticket once, at intake, and store the words on it."""
    words = ticket_tokens(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(**words)
    ticket.tokens, ticket.address_tokens = words["tokens"], words["address_tokens"]


BACKFILL_BATCH = 1000


def backfill_tokens(*, batch: int = BACKFILL_BATCH, after: int = 0) -> tuple[int, int]:
    """Segment the tickets created before words were kept at intake and store their words, one batch at a time.

    Each batch reads tickets by ascending id past the last one done and writes them in one `bulk_update`, so the
    command can be stopped and run again (a ticket that has its words is not read again) and never holds more than
    a batch in memory. Returns (tickets filled, last id read).
    """
    filled, last = 0, after
    missing = Ticket.objects.filter(tokens="").exclude(content="", title="", address="").order_by("id")
    while True:
        rows = list(missing.filter(id__gt=last).only("id", "title", "content", "address")[:batch])
        if not rows:
            return filled, last
        for ticket in rows:
            words = ticket_tokens(ticket)
            ticket.tokens, ticket.address_tokens = words["tokens"], words["address_tokens"]
        # Only the two word columns are written: a transition running meanwhile keeps its status and version.
        Ticket.objects.bulk_update(rows, ["tokens", "address_tokens"], batch_size=batch)
        filled += len(rows)
        last = rows[-1].pk


def _final_leads(ticket_ids: list[int]) -> dict[int, str]:
    """Ticket id → code of its last lead unit still assigned (the one that kept the ticket)."""
    rows = (Assignment.objects.filter(ticket_id__in=ticket_ids, role=AssignmentRole.LEAD, is_active=True)
            .order_by("ticket_id", "dispatched_at", "id").values_list("ticket_id", "unit__code"))
    return dict(rows)  # later rows overwrite earlier ones: the latest active lead wins


def examples(*, now: dt.datetime | None = None, since: dt.datetime | None = None,
             batch: int = 5000) -> Iterator[Example]:
    """Every usable ticket as an Example, streamed in batches so 100,000 tickets fit in memory easily."""
    now = now or timezone.now()
    kept = Q(status__in=KEPT_STATUSES) | Q(status=Status.IN_PROGRESS, return_due__lt=now)
    qs = (Ticket.objects.exclude(status__in=NO_TOPIC_STATUSES).filter(kept | Q(topic__isnull=False))
          .order_by("id").values_list("id", "title", "content", "address", "topic__code", "status", "return_due",
                                      "created_at", "tokens"))
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    last = 0
    while True:
        rows = list(qs.filter(id__gt=last)[:batch])
        if not rows:
            return
        leads = _final_leads([r[0] for r in rows])
        for pk, title, content, address, topic, status, return_due, created, words in rows:
            unit_known = status in KEPT_STATUSES or (status == Status.IN_PROGRESS and return_due and return_due < now)
            # The unit model reads the address too (属地); the topic model the matter only.
            text = ticket_text(Ticket(title=title, content=content), address=False)
            yield Example(text=text, topic=topic or "", unit=leads.get(pk, "") if unit_known else "", at=created,
                          address=address or "", tokens=words or "")  # kept at intake: not segmented again
        last = rows[-1][0]
