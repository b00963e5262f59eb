"""The console of one platform instance in the two-server test (its own data directory and database, from the
environment), run beside its HTTP server: it reads one command a line on stdin and answers one JSON line on stdout
(what the instance holds, and what the command did), so Django starts once per instance, not once per command.

    setup province|city PEER_PORT   migrate, then that platform's directory and its partner, the other platform
    outbox [MINUTES]                send the outbox as `hotline outbox` does (MINUTES later: past the retry pause)
    holdings                        only the answer
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import traceback
from collections import Counter
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
django.setup()

import time_machine  # noqa: E402  (after django.setup: the models below need the apps loaded)
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from hotline.directory.choices import Role, UnitKind  # noqa: E402
from hotline.directory.models import Staff, Unit  # noqa: E402
from hotline.exchange.models import LowerOrder, LowerReport, ReportBack, UpperOrder  # noqa: E402
from hotline.tickets import outbox  # noqa: E402
from hotline.tickets.models import Event, Outbox, Ticket  # noqa: E402

PASSWORD = os.environ.get("HOTLINE_E2E_PASSWORD", "")


def setup(role: str, peer_port: int) -> None:
    """The platform's desk, one department with a handler and, on each side, the other platform as its partner."""
    call_command("migrate", verbosity=0)
    desk = Unit.objects.create(code="desk", name="12345热线服务中心", kind=UnitKind.HOTLINE)
    for name, staff_role in (("operator", Role.OPERATOR), ("dispatcher", Role.DISPATCHER),
                             ("reviewer", Role.REVIEWER)):
        Staff.objects.create_user(username=name, password=PASSWORD, role=staff_role, unit=desk, display_name=name)
    if role == "province":
        # The city is a unit of the province's directory: dispatching to it sends the ticket down.
        Unit.objects.create(code="shaoyang", name="邵阳市12345热线", kind=UnitKind.COUNTY)
        call_command("partner", "shaoyang", name="邵阳市12345热线", kind="lower", prefix="city-at-prov",
                     secret_env="HOTLINE_E2E_CITY_SECRET", unit="shaoyang",
                     url=f"http://127.0.0.1:{peer_port}/api/v1/exchange/orders", out_prefix="prov-at-city",
                     out_secret_env="HOTLINE_E2E_PROVINCE_SECRET", stdout=sys.stderr)
    else:
        unit = Unit.objects.create(code="cgzf", name="市城管执法局", kind=UnitKind.CITY_DEPARTMENT)
        Staff.objects.create_user(username="handler", password=PASSWORD, role=Role.UNIT_HANDLER, unit=unit,
                                  display_name="handler")
        call_command("partner", "hunan", name="湖南省12345指挥监管平台", kind="upper", prefix="prov-at-city",
                     secret_env="HOTLINE_E2E_PROVINCE_SECRET",
                     url=f"http://127.0.0.1:{peer_port}/api/v1/exchange/reports", out_prefix="city-at-prov",
                     out_secret_env="HOTLINE_E2E_CITY_SECRET", stdout=sys.stderr)


def send_outbox(minutes: int) -> dict[str, int]:
    """`hotline outbox` now, or as it would run `minutes` later (a retry waits out its pause first)."""
    if not minutes:
        return outbox.drain()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True):
        return outbox.drain()


def holdings() -> dict[str, Any]:
    """Counts of what this instance holds: tickets, orders both ways, events by action, reports, outbox rows."""
    return {
        "tickets": [[t.number, t.status] for t in Ticket.objects.order_by("pk")],
        "events": dict(Counter(Event.objects.values_list("action", flat=True))),
        "upper_orders": [[o.external_id, o.ticket.number] for o in UpperOrder.objects.select_related("ticket")],
        "report_backs": [[r.event.action, r.delivered_at is not None, r.attempts, bool(r.last_error)]
                         for r in ReportBack.objects.select_related("event").order_by("at", "pk")],
        "lower_orders": [[o.ticket.number, o.remote_number, o.delivered_at is not None, o.attempts]
                         for o in LowerOrder.objects.select_related("ticket").order_by("pk")],
        "lower_reports": [[r.action, r.status] for r in LowerReport.objects.order_by("at", "pk")],
        "outbox": {"sent": Outbox.objects.filter(sent_at__isnull=False).count(),
                   "waiting": Outbox.objects.filter(sent_at__isnull=True).count()},
    }


def command(argv: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if argv[0] == "setup":
        setup(argv[1], int(argv[2]))
    elif argv[0] == "outbox":
        result["drained"] = send_outbox(int(argv[1]) if len(argv) > 1 else 0)
    return {**result, **holdings()}


def main() -> None:
    for line in sys.stdin:
        try:
            answer = command(line.split())
        except Exception:  # the test shows it; the console stays up for the next command and the clean-up
            answer = {"error": traceback.format_exc()}
        finally:
            connections.close_all()  # no connection left open while the server writes, nor at the database's drop
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
