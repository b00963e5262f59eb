"""Statistics by level (Art. 26, 30): each platform's month over the tickets it received.

A ticket counts once, at the platform that received it (`Ticket.received_by`, I79), whichever platform holds it
now: a county's row is its own intake and what became of it, and the city's total is the sum of the rows. Every
figure is the monthly indicator of the same name (`indicators.Figures`, docs/statistics.md) from the same event
facts, grouped by the receiving platform instead of by unit; the unit-only counts (signing, returns, scores) stay
in the unit tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from hotline.directory.models import Platform
from hotline.reports import sources
from hotline.reports.facts import Period, events_in, follow_ups_by_platform, intake_by
from hotline.reports.facts.expressions import late_of
from hotline.reports.indicators import Figures, add_sub_centre, set_follow_ups, show, unreplied_overdue_q
from hotline.tickets.choices import Action
from hotline.tickets.models import Event, Ticket

# The indicators the per-level table shows (counts and rates of `Figures`): what a platform's intake and the
# handling of what it received say about it. Units' own clocks (signing, returns) are the unit tables'.
LEVEL_COLUMNS = ["平台", "接收", "受理", "直接答复率", "转派", "应办结", "按时办结率", "办结", "有效评价", "满意率"]


def _per_platform(events: QuerySet[Event], **counts: Any) -> dict[int, dict[str, Any]]:
    rows = events.values(platform=F("ticket__received_by")).annotate(**counts)
    return {row["platform"]: dict(row) for row in rows}


def _excluded_by_platform(period: Period) -> dict[int, int]:
    """Ratings taken out by an upheld appeal in the period (Art. 25), at the platform that received the ticket."""
    numbers = [item.url.strip("/").rsplit("/", 1)[-1] for items in sources.excluded_by_unit(period).values()
               for item in items]
    out: dict[int, int] = defaultdict(int)
    for platform in Ticket.objects.filter(number__in=numbers).values_list("received_by", flat=True):
        out[platform] += 1
    return dict(out)


def platform_figures(period: Period, platforms: Collection[int] | None = None) -> dict[int, Figures]:
    """Each receiving platform's Figures for the period, keyed by platform id (of every platform, or of
    `platforms`: a county's month reads only its own tickets); platforms with nothing are absent.

    Pushed sub-centre tickets (Art. 7) reach the city platform through its exchange, a channel without a desk, so
    they count at the root (I79)."""
    out: dict[int, Figures] = defaultdict(Figures)

    def events(*actions: str) -> QuerySet[Event]:
        found = events_in(period, *actions)
        return found if platforms is None else found.filter(ticket__received_by__in=platforms)

    for pk, intake in intake_by(period, "received_by").items():
        if platforms is not None and pk not in platforms:
            continue
        f = out[pk]
        f.received, f.accepted, f.declined = intake.received, intake.accepted, intake.declined
        f.answered_directly = intake.answered_directly
    replies = events(Action.REPLY).annotate(late=late_of())
    for pk, row in _per_platform(replies, n=Count("id"), n_late=Count("id", filter=Q(late=True))).items():
        out[pk].replies_due, out[pk].replied_on_time = row["n"], row["n"] - row["n_late"]
    overdue = events(Action.MARK_OVERDUE).filter(unreplied_overdue_q(period))
    for pk, row in _per_platform(overdue, n=Count("id")).items():
        out[pk].replies_due += row["n"]
    handled = events(Action.DISPATCH, Action.REVIEW_REPLY)
    for pk, row in _per_platform(handled, dispatched=Count("id", filter=Q(action=Action.DISPATCH)),
                                 resolved=Count("id", filter=Q(action=Action.REVIEW_REPLY,
                                                               data__approved=True))).items():
        out[pk].dispatched, out[pk].resolved = row["dispatched"], row["resolved"]
    weight = settings.STATS_BASIC_SATISFIED_WEIGHT
    for pk, fu in follow_ups_by_platform(period, platforms).items():
        set_follow_ups(out[pk], fu, weight)
    for pk, n in _excluded_by_platform(period).items():
        if platforms is None or pk in platforms:
            out[pk].excluded_by_appeal = n
    root = Platform.objects.get(parent__isnull=True).pk
    if platforms is None or root in platforms:
        for sub in sources.sub_centres_by_unit(period).values():
            add_sub_centre(out[root], sub, weight)
    for f in out.values():
        f.overdue = f.replies_due - f.replied_on_time
    return dict(out)


def _row_of(root: Platform, platforms: Collection[Platform]) -> dict[int, int]:
    """Each platform of `root`'s subtree mapped to the row it counts in: the root's own row for itself, else the
    root's child above it (a township in its county's row)."""
    parent = {p.pk: p.parent_id for p in platforms}
    out: dict[int, int] = {}
    for pk in parent:
        node: int | None = pk
        while node is not None and node != root.pk and parent.get(node) != root.pk:
            node = parent.get(node)
        if node is not None:
            out[pk] = node
    return out


def level_table(period: Period, root: Platform) -> dict[str, Any]:
    """The per-level table of `root`'s month: its own row (tickets received at `root` itself) and one row per
    platform directly below it with its subtree, then the total, which is the rows' sum (each ticket once)."""
    platforms = list(Platform.objects.filter(pk__in=root.subtree_ids()))
    row_of = _row_of(root, platforms)
    sums: dict[int, Figures] = defaultdict(Figures)
    for pk, f in platform_figures(period, None if root.is_root else set(row_of)).items():
        if pk in row_of:
            sums[row_of[pk]].add(f)
    rows, total = [], Figures()
    for p in sorted((p for p in platforms if row_of.get(p.pk) == p.pk), key=lambda p: (p.pk != root.pk, p.code)):
        f = sums.get(p.pk, Figures())
        total.add(f)
        rows.append({"code": p.code, "name": p.name if p.pk != root.pk else f"{p.name}（本级）", "kind": p.kind,
                     "counts": f.counts(), "rates": f.rates()})
    return {"rows": rows, "total": {"counts": total.counts(), "rates": total.rates()}}


def level_cells(row: dict[str, Any]) -> list[str]:
    """One row of the table as the page and the bulletin print it (LEVEL_COLUMNS after the name)."""
    c, r = row["counts"], row["rates"]
    return [str(c["received"]), str(c["accepted"]), show(r["direct_answer_rate"]), str(c["dispatched"]),
            str(c["replies_due"]), show(r["reply_on_time_rate"]), str(c["resolved"]), str(c["follow_ups"]),
            show(r["satisfaction_rate"])]
