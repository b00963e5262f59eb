"""After a drill: every ticket's status equals its last event's to-status, no dispatch without its assignment, every
assigned or consulted unit may read its ticket, the audit chain verifies, numbers are unique, and no drill ticket
was created twice. Prints one JSON line; exit 1 if any check fails. Runs on the database of DATABASE_URL.

    python bench/drills/consistency.py [--created N1,N2,…] [--mark TEXT]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Subquery  # noqa: E402

from hotline.tickets.models import Assignment, Event, Ticket, UnitTicket  # noqa: E402
from hotline.vault.startup import verify as verify_keys  # noqa: E402

ASSIGNED = ("dispatched", "return_requested", "in_progress", "replied", "resolved", "closed")


def figures(created: list[str], mark: str) -> dict[str, int]:
    last = Event.objects.filter(ticket=OuterRef("pk")).exclude(to_status="").order_by("-seq", "-id")
    tickets = Ticket.objects.annotate(last_to=Subquery(last.values("to_status")[:1]))
    status_mismatch = sum(1 for status, last_to in tickets.values_list("status", "last_to") if status != last_to)
    # EXISTS, not NOT IN over a list of ids: the latter took over twenty minutes on a million tickets.
    dispatched = Exists(Event.objects.filter(ticket=OuterRef("pk"), action="dispatch"))
    assigned = Exists(Assignment.objects.filter(ticket=OuterRef("pk")))
    dispatch_without_assignment = Ticket.objects.filter(dispatched).exclude(assigned).count() \
        + Ticket.objects.filter(status__in=ASSIGNED).exclude(assigned).count()
    # The right to read (interpretation 89) is written in the transaction of the dispatch or consultation.
    readable = UnitTicket.objects.filter(ticket=OuterRef("ticket"), unit=OuterRef("unit"))
    unreadable = Assignment.objects.exclude(Exists(readable)).count() + Ticket.objects.filter(
        consult_unit__isnull=False).exclude(Exists(UnitTicket.objects.filter(
            ticket=OuterRef("pk"), unit=OuterRef("consult_unit")))).count()
    duplicate_numbers = Ticket.objects.values("number").annotate(n=Count("id")).filter(n__gt=1).count()
    drill = Ticket.objects.filter(content__startswith=mark)
    duplicate_creates = drill.values("content").annotate(n=Count("id")).filter(n__gt=1).count()
    out = io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=out)
        audit_failures = 0
    except SystemExit as exc:
        audit_failures = int(bool(exc.code))
    except Exception:  # noqa: BLE001  a failed verification raises CommandError
        audit_failures = 1
    verify_keys()
    known = set(drill.values_list("number", flat=True))
    return {
        "tickets": Ticket.objects.count(), "events": Event.objects.count(), "drill_tickets": drill.count(),
        "status_mismatch": status_mismatch, "dispatch_without_assignment": dispatch_without_assignment,
        "unit_cannot_read": unreadable,
        "duplicate_numbers": duplicate_numbers, "duplicate_creates": duplicate_creates,
        "created_answers_missing": sum(1 for number in created if number not in known),
        "audit_verify_failures": audit_failures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--created", default="")
    parser.add_argument("--mark", default="演练工单")
    args = parser.parse_args()
    result = figures([n for n in args.created.split(",") if n], args.mark)
    print(json.dumps({"check": "consistency", **result}, ensure_ascii=False))
    bad = ("status_mismatch", "dispatch_without_assignment", "unit_cannot_read", "duplicate_numbers",
           "duplicate_creates", "created_answers_missing", "audit_verify_failures")
    return 1 if any(result[name] for name in bad) else 0


if __name__ == "__main__":
    sys.exit(main())
