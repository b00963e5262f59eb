"""Month close (Art. 26): compute a month's figures and scores, freeze them, review, publish.

A closed month is read from its snapshot, never recomputed: appeals upheld and corrections made later count in
the month they happen. A frozen or reviewed month may be closed again (recomputed) before publication; a published
month never changes. An open month's statistics are computed on request from the events (`month_figures`).

Each platform closes its own month (Art. 26, 30): the city platform's is the city-wide bulletin, with every unit
and a per-level table; a county sub-centre's covers the tickets its platforms received (`build_platform_snapshot`).
`platform=None` everywhere means the city platform, so the city's callers are unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from hotline.directory.choices import Role
from hotline.directory.models import Platform, Staff, Topic, Unit, root_platform_id
from hotline.lib.errors import Conflict, Forbidden, InvalidInput, NotFound
from hotline.reports import assessment, cases, levels
from hotline.reports.bulletin import render_all
from hotline.reports.facts import Dimension, Period, declines_by_reason, events_in, received_by_day
from hotline.reports.indicators import (
    GROUP_OF_KIND,
    GROUPS,
    Figures,
    assessed_unit_ids,
    city_figures,
    roll_up,
    unit_figures,
)
from hotline.reports.models import MonthClose, MonthState
from hotline.reports.sources import Evidence
from hotline.tickets.choices import Action, Channel, DeclineReason, RequestType

DIMENSIONS: tuple[Dimension, ...] = ("channel", "request_type", "topic", "region")


def parse_month(text: str) -> tuple[int, int]:
    """"2026-03" as (2026, 3); anything else is refused in Chinese."""
    try:
        day = dt.datetime.strptime(text, "%Y-%m").date()
    except (TypeError, ValueError):
        raise InvalidInput("月份格式应为 YYYY-MM，如 2026-03", field="month", code="invalid_month") from None
    return day.year, day.month


def check_month(year: int, month: int, *, closable: bool = False) -> Period:
    """The month's period; a month outside 2000-2100, or (to close it) one not yet over, is refused."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise InvalidInput("月份不存在", field="month", code="invalid_month")
    period = Period.month(year, month)
    if closable and period.end >= timezone.localdate():
        raise Conflict("该月尚未结束，不能结账", code="month_not_over")
    return period


def previous(year: int, month: int, back: int = 1) -> tuple[int, int]:
    index = year * 12 + month - 1 - back
    return index // 12, index % 12 + 1


# The ticket columns of each breakdown: one grouped query per month gives all four (and the hot topics).
COLUMNS = {"channel": "ticket__channel", "request_type": "ticket__request_type", "topic": "ticket__topic",
           "region": "ticket__region"}


def _received(period: Period, within: Q | None = None) -> list[dict[str, Any]]:
    """Contacts received in the month (each at its first event) per channel, type, topic and region together;
    `within` limits them to a platform's tickets."""
    first = events_in(period, Action.ACCEPT, Action.DECLINE).filter(from_status="").filter(within or Q())
    return list(first.values(*COLUMNS.values()).annotate(n=Count("id")))


def _intake(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """The month's received counts per channel, type, root topic and county, by label (Art. 26)."""
    topics = {t.pk: t for t in Topic.objects.all()}

    def root(pk: Any) -> str:
        node = topics.get(pk)
        while node is not None and node.parent_id is not None:
            node = topics.get(node.parent_id)
        return node.name if node is not None else "未分类"

    names: dict[str, Any] = {
        "channel": dict(Channel.choices), "request_type": dict(RequestType.choices),
        "region": dict(Unit.objects.values_list("pk", "name")),
    }
    out: dict[str, dict[str, int]] = {}
    for dim in DIMENSIONS:
        counts: dict[str, int] = defaultdict(int)
        for row in rows:
            key = row[COLUMNS[dim]]
            label = root(key) if dim == "topic" else names[dim].get(key, "未填写") if key else "未填写"
            counts[label] += row["n"]
        out[dim] = dict(counts)
    return out


def _by_topic(rows: list[dict[str, Any]]) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for row in rows:
        if row["ticket__topic"]:
            out[row["ticket__topic"]] += row["n"]
    return out


def _hot(now_rows: list[dict[str, Any]], last_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The month's ten most frequent matters (leaf topics), with last month's count beside them."""
    now, before = _by_topic(now_rows), _by_topic(last_rows)
    top = sorted(((n, key) for key, n in now.items()), reverse=True)[:10]
    names = {t.pk: " / ".join(t.path_names()) for t in Topic.objects.filter(pk__in=[k for _, k in top])}
    return [{"topic": names.get(key, ""), "count": n, "last_month": before.get(key, 0)} for n, key in top]


def _units_snapshot(period: Period, raw: dict[int | None, Figures]) -> list[dict[str, Any]]:
    assessed = assessed_unit_ids()
    per_unit = roll_up(raw, assessed)
    rules = assessment.active_rule_set(period.start.year)
    label = str(rules)
    evidence: dict[int, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for source in (assessment.evidence_by_unit(period), assessment.entry_evidence(period)):
        for unit_id, items in source.items():
            if unit_id is not None and unit_id in assessed:
                for key, found in items.items():
                    evidence[assessed[unit_id]][key].extend(found)
    rows: list[dict[str, Any]] = []
    for unit in Unit.objects.filter(kind__in=list(GROUP_OF_KIND), is_active=True).order_by("kind", "code"):
        figures = per_unit.get(unit.pk, Figures())
        sheet = assessment.score(rules.items, figures, evidence.get(unit.pk, {}), label)
        rows.append({"id": unit.pk, "code": unit.code, "name": unit.name, "group": GROUP_OF_KIND[unit.kind],
                     "counts": figures.counts(), "rates": figures.rates(), "sheet": sheet.as_dict(),
                     "score": sheet.score, "rank": None, "list": ""})
    size = settings.STATS_LIST_SIZE
    for group in GROUPS:
        members = {row["code"]: row for row in rows if row["group"] == group}
        ranks = assessment.rank({code: row["score"] for code, row in members.items()})
        red, black = assessment.red_and_black(ranks, size)
        for code, r in ranks.items():
            members[code]["rank"] = r
        for code in red:
            members[code]["list"] = "red"
        for code in black:
            members[code]["list"] = "black"
    return rows


def build_snapshot(year: int, month: int) -> dict[str, Any]:
    """Everything the month's bulletin, score sheets and API read, computed from the events now."""
    period = Period.month(year, month)
    last, last_year = Period.month(*previous(year, month)), Period.month(year - 1, month)
    raw = unit_figures(period)
    city = city_figures(period, raw.values())
    units = _units_snapshot(period, raw)
    groups = {}
    for group in GROUPS:
        total = Figures()
        for row in units:
            if row["group"] == group:
                total.add(Figures(**row["counts"]))
        groups[group] = {"counts": total.counts(), "rates": total.rates()}
    rows, last_rows, year_rows = _received(period), _received(last), _received(last_year)
    return {
        "year": year, "month": month, "computed_at": timezone.now().isoformat(),
        "settings": {"basic_satisfied_weight": settings.STATS_BASIC_SATISFIED_WEIGHT,
                     "appeal_reading": settings.STATS_APPEAL_READING, "list_size": settings.STATS_LIST_SIZE},
        "city": {"counts": city.counts(), "rates": city.rates()},
        "groups": groups,
        "units": units,
        "intake": _intake(rows), "intake_last_month": _intake(last_rows), "intake_last_year": _intake(year_rows),
        "received_last_month": sum(r["n"] for r in last_rows), "received_last_year": sum(r["n"] for r in year_rows),
        "declines": {DeclineReason(code).label if code in DeclineReason.values else "其他": n
                     for code, n in declines_by_reason(period).items()},
        "daily": _daily(period),
        "trend": _trend(year, month, city.rates()["satisfaction_rate"]),
        "hot": _hot(rows, last_rows),
        # Art. 26, 30: the city's month by the platform that received each ticket, the total the rows' sum.
        "levels": levels.level_table(period, _platform(None)),
    }


def _platform(platform: Platform | None) -> Platform:
    return platform if platform is not None else Platform.objects.get(pk=root_platform_id())


def _daily(period: Period, within: Q | None = None) -> dict[str, int]:
    daily: dict[str, int] = defaultdict(int)
    for series in received_by_day(period, "channel", within).values():
        for day, n in series.items():
            daily[day.isoformat()] += n
    return dict(sorted(daily.items()))


def build_platform_snapshot(year: int, month: int, platform: Platform) -> dict[str, Any]:
    """A county sub-centre's month (Art. 26, 30): the tickets its platforms received, each counted once there,
    with the same indicators as the city's per-level rows; its own row and one per platform below it."""
    if platform.is_root:
        return build_snapshot(year, month)
    period = Period.month(year, month)
    last, last_year = Period.month(*previous(year, month)), Period.month(year - 1, month)
    within = Q(ticket__received_by__in=platform.subtree_ids())
    table = levels.level_table(period, platform)
    rows, last_rows, year_rows = (_received(p, within) for p in (period, last, last_year))
    return {
        "year": year, "month": month, "computed_at": timezone.now().isoformat(),
        "platform": {"code": platform.code, "name": platform.name},
        "settings": {"basic_satisfied_weight": settings.STATS_BASIC_SATISFIED_WEIGHT,
                     "appeal_reading": settings.STATS_APPEAL_READING},
        "total": table["total"], "levels": table,
        "intake": _intake(rows), "intake_last_month": _intake(last_rows), "intake_last_year": _intake(year_rows),
        "received_last_month": sum(r["n"] for r in last_rows), "received_last_year": sum(r["n"] for r in year_rows),
        "declines": {DeclineReason(code).label if code in DeclineReason.values else "其他": n
                     for code, n in declines_by_reason(period, within).items()},
        "daily": _daily(period, within),
        "hot": _hot(rows, last_rows),
    }


def _trend(year: int, month: int, satisfaction_now: float | None) -> list[dict[str, Any]]:
    """Received and satisfaction over the twelve months to this one; satisfaction from the closed months'
    snapshots (an earlier month never closed shows none) and this month's own."""
    months = [previous(year, month, back) for back in range(11, -1, -1)]
    # One index-range count per month: cheaper than grouping a year of events by a computed local month.
    received = {(y, m): events_in(Period.month(y, m), Action.ACCEPT, Action.DECLINE).filter(from_status="").count()
                for y, m in months}
    closed = {(c.year, c.month): c.snapshot["city"]["rates"]["satisfaction_rate"]
              for c in MonthClose.city().filter(year__in=(year - 1, year))
              .only("year", "month", "snapshot")}
    closed[(year, month)] = satisfaction_now
    return [{"month": f"{y}-{m:02d}", "received": received.get((y, m), 0), "satisfaction_rate": closed.get((y, m))}
            for y, m in months]


def _require_manager(by: Staff, platform: Platform) -> None:
    # Art. 26, 30: each platform's own manager closes its month; the city's manager the city's, a county's its own.
    if not by.has_role(Role.MANAGER):
        raise Forbidden("只有热线管理员可以结账、审核和发布月度通报", code="manager_only")
    if by.platform_id != platform.pk:
        raise Forbidden("只有本平台的热线管理员可以结账、审核和发布本平台的月度通报", code="other_platform")


def _number(year: int, month: int, platform: Platform) -> int:
    return MonthClose.objects.filter(platform=platform, year=year, month__lt=month).count() + 1


def close_month(year: int, month: int, *, by: Staff, platform: Platform | None = None) -> MonthClose:
    """Compute and freeze the platform's month (the city's by default; again, if it is frozen or reviewed); a
    published month is refused."""
    platform = _platform(platform)
    _require_manager(by, platform)
    check_month(year, month, closable=True)
    snapshot = build_platform_snapshot(year, month, platform)
    now = timezone.now()
    with transaction.atomic():
        existing = (MonthClose.objects.select_for_update().filter(platform=platform, year=year, month=month)
                    .first())
        if existing is not None:
            if existing.state == MonthState.PUBLISHED:
                raise Conflict("该月通报已发布，数据不再变更", code="month_published")
            MonthClose.objects.filter(pk=existing.pk).update(snapshot=snapshot, state=MonthState.FROZEN,
                                                            closed_by=by, closed_at=now, reviewed_by=None,
                                                            reviewed_at=None)
            existing.refresh_from_db()
            return existing
        try:
            return MonthClose.objects.create(platform=platform, year=year, month=month,
                                             number=_number(year, month, platform), snapshot=snapshot,
                                             closed_by=by, closed_at=now)
        except IntegrityError:
            raise Conflict("该月已被他人结账，请刷新", code="concurrent_change") from None


def get_close(year: int, month: int, platform: Platform | None = None) -> MonthClose:
    found = MonthClose.objects.filter(platform=_platform(platform), year=year, month=month).first()
    if found is None:
        raise NotFound("该月尚未结账", code="month_not_closed")
    return found


def _advance(year: int, month: int, *, by: Staff, platform: Platform | None, frm: str, to: str,
             **fields: Any) -> MonthClose:
    platform = _platform(platform)
    _require_manager(by, platform)
    close = get_close(year, month, platform)
    changed = MonthClose.objects.filter(pk=close.pk, state=frm).update(state=to, **fields)
    if changed != 1:
        label = MonthState(close.state).label
        raise Conflict(f"该月当前为“{label}”，不能执行此操作", code="month_state")
    close.refresh_from_db()
    return close


def review_month(year: int, month: int, *, by: Staff, note: str = "", typical_cases: str | None = None,
                 typical_tickets: str | None = None, difficult_matters: str | None = None,
                 platform: Platform | None = None) -> MonthClose:
    """The manager checks the frozen figures, chooses the bulletin's typical cases (ticket numbers, one a line, each
    with an optional comment; `typical_cases` is a free comment on them) and writes the difficult matters."""
    extra: dict[str, Any] = {"review_note": note.strip()}
    if typical_cases is not None:
        extra["typical_cases"] = typical_cases.strip()
    if typical_tickets is not None:
        _require_manager(by, _platform(platform))
        extra["typical_tickets"] = cases.validate(cases.parse(typical_tickets), by=by, year=year, month=month)
    if difficult_matters is not None:
        extra["difficult_matters"] = difficult_matters.strip()
    return _advance(year, month, by=by, platform=platform, frm=MonthState.FROZEN, to=MonthState.REVIEWED,
                    reviewed_by=by, reviewed_at=timezone.now(), **extra)


def publish_month(year: int, month: int, *, by: Staff, platform: Platform | None = None) -> MonthClose:
    """Publish a reviewed month: the bulletin is rendered once and kept with it; nothing changes after."""
    platform = _platform(platform)
    _require_manager(by, platform)
    close = get_close(year, month, platform)
    if close.state != MonthState.REVIEWED:
        raise Conflict(f"该月当前为“{MonthState(close.state).label}”，须先审核再发布", code="month_state")
    files = render_all(close)
    return _advance(year, month, by=by, platform=platform, frm=MonthState.REVIEWED, to=MonthState.PUBLISHED,
                    published_by=by, published_at=timezone.now(), **files)


def frozen_at(month: dt.date) -> dt.datetime | None:
    """When the month (its first day) was closed, whatever its state since; None while open. A month closed again
    before publication is frozen from its latest closing, whose snapshot is the one that counts. The city's month
    only: a county's own close freezes no appeal (Art. 25, 26)."""
    return (MonthClose.city().filter(year=month.year, month=month.month)
            .values_list("closed_at", flat=True).first())


def month_snapshot(year: int, month: int,
                   platform: Platform | None = None) -> tuple[dict[str, Any], MonthClose | None]:
    """A closed month's frozen snapshot, or an open month computed now (with None for its close); the city's
    unless `platform` names a county's."""
    check_month(year, month)
    platform = _platform(platform)
    close = (MonthClose.objects.filter(platform=platform, year=year, month=month).defer("docx", "pdf", "xlsx")
             .first())
    if close is not None:
        return close.snapshot, close
    return build_platform_snapshot(year, month, platform), None
