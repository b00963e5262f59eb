"""The live overview (数据看板) for the hotline's big screen: today's intake by channel and hour, open and
overdue tickets by unit, hotspots of the week, the satisfaction trend of 30 days and the counties this month.

Intake, hotspots and satisfaction come from events like every statistic; "open" and "overdue now" are where
tickets stand at this moment, so they read the tickets through the shared overdue predicate. Not an official
figure: the bulletin's numbers are the closed month's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.directory.models import Topic, Unit
from hotline.reports.facts import Period, events_in, intake_by
from hotline.reports.indicators import GROUP_OF_KIND, assessed_unit_ids, roll_up, unit_figures
from hotline.tickets.choices import OPEN_STATUSES, Action, Channel, Satisfaction
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import overdue_q

SATISFIED = [Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.NEUTRAL]


def _today_by_hour(today: dt.date) -> dict[str, Any]:
    first = events_in(Period(today, today), Action.ACCEPT, Action.DECLINE).filter(from_status="")
    rows = first.values("ticket__channel", hour=ExtractHour("at", tzinfo=LOCAL_TZ)).annotate(n=Count("id"))
    series: dict[str, list[int]] = {value: [0] * 24 for value in Channel.values}
    for row in rows:
        series.setdefault(row["ticket__channel"], [0] * 24)[row["hour"]] += row["n"]
    labels = dict(Channel.choices)
    return {"hours": list(range(24)), "series": [{"label": labels.get(k, k), "data": v, "total": sum(v)}
                                                for k, v in series.items()]}


def _open_by_unit(now: dt.datetime) -> list[dict[str, Any]]:
    rows = (Ticket.objects.filter(status__in=OPEN_STATUSES, lead_unit__isnull=False).values("lead_unit__name")
            .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(now))).order_by("-overdue", "-open"))
    return [{"unit": r["lead_unit__name"], "open": r["open"], "overdue": r["overdue"]} for r in rows[:15]]


def _hotspots(today: dt.date) -> list[dict[str, Any]]:
    counts = intake_by(Period(today - dt.timedelta(days=6), today), "topic")
    top = sorted(((c.received, key) for key, c in counts.items() if key), reverse=True)[:8]
    names = dict(Topic.objects.filter(pk__in=[k for _, k in top]).values_list("pk", "name"))
    return [{"topic": names.get(key, ""), "count": n} for n, key in top]


def _satisfaction(today: dt.date) -> dict[str, Any]:
    period = Period(today - dt.timedelta(days=29), today)
    rows = (events_in(period, Action.FOLLOW_UP).exclude(data__satisfaction="")
            .values(day=TruncDate("at", tzinfo=LOCAL_TZ))
            .annotate(rated=Count("id", filter=Q(data__satisfaction__in=[s.value for s in Satisfaction])),
                      ok=Count("id", filter=Q(data__satisfaction__in=[s.value for s in SATISFIED]))))
    by_day = {r["day"]: (r["ok"], r["rated"]) for r in rows}
    days = period.days
    return {"days": [d.strftime("%m-%d") for d in days],
            "rates": [round(100 * by_day[d][0] / by_day[d][1], 1) if by_day.get(d, (0, 0))[1] else None
                      for d in days]}


def _counties(today: dt.date) -> list[dict[str, Any]]:
    period = Period(today.replace(day=1), today)
    received = intake_by(period, "region")
    rolled = roll_up(unit_figures(period), assessed_unit_ids())
    out = []
    for unit in Unit.objects.filter(kind="county", is_active=True).order_by("code"):
        f = rolled.get(unit.pk)
        rates = f.rates() if f else {}
        out.append({"county": unit.name, "received": received[unit.pk].received if unit.pk in received else 0,
                    "reply_on_time_rate": rates.get("reply_on_time_rate"),
                    "satisfaction_rate": rates.get("satisfaction_rate")})
    return out


def overview() -> dict[str, Any]:
    """Everything the big screen shows, as JSON-ready data."""
    now = timezone.now()
    today = timezone.localdate(now)
    return {"at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"), "today": _today_by_hour(today),
            "units": _open_by_unit(now), "hotspots": _hotspots(today), "satisfaction": _satisfaction(today),
            "counties": _counties(today), "groups": sorted(set(GROUP_OF_KIND.values()))}
