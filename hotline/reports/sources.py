"""What the statistics read from records other apps keep: supervision cases, appeals, coordination findings, duty
rosters and the follow-up's "solved" answer (Art. 24, 25, 27, 20).

Those records are built in their own apps and may not be installed. Each function here looks its model up by
name, checks the fields it needs, and returns nothing (an empty mapping) when the model or a field is absent, so
the indicators that depend on it show "—" instead of failing. The names read, exactly:

- 解决率: `tickets.FollowUp` — `solved` (bool or null), `at`, `reached`, `ticket`.
- ratings taken out of 满意率: `followups.Appeal` — `follow_up` (FK to tickets.FollowUp), `decision`, `status`
  or `state` equal to "upheld", `counts_in` (the month it counts in, fixed at the decision from the months closed
  by then; `decided_at` without it); without that model, `tickets.FollowUp.excluded_from_assessment` (bool) with
  `at`.
- 督办件数, 督办按期办结率: `supervision.SupervisionCase` — `target_units` (M2M to Unit) or `unit` (FK),
  `opened_at` or `created_at`, `due_at`, `extended_due_at` (optional), `closed_at`.
- 推诿: `supervision.Shirk` — `unit`, `at`, `ticket`; every row is one 推诿 recorded by a coordination decision.
- 不积极配合: `supervision.Finding` — `unit`, `kind` ("non_cooperation"), `at`, `ticket` (optional); supervision
  records no such finding yet, so this item has no evidence until it does (`EXPECTED_MISSING`).
- 值班表按时报送率: `directory.DutyRoster` — `unit`, `month` (date, the first day), `submitted_at`, `due_at`.
- sub-centres' tickets (Art. 7): `exchange.SubCentreTicket` — `unit`, `received_at`, `due_at`, `resolved_at`,
  `satisfaction` ("5"…"1" or ""); received in the month of `received_at`, resolved in the month of `resolved_at`.

Every name above except those in `EXPECTED_MISSING` must resolve (tests/reports/test_sources.py): a misspelt name
would otherwise read as "nothing recorded" and silently spare every unit the deduction.

Months are local calendar months; each record counts in the month of the time named above. A model found under
another name at merge is connected by changing the constants below, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Count, Q

from hotline.reports.facts import Period
from hotline.reports.facts.expressions import lead_unit_at

FOLLOW_UP = "tickets.FollowUp"
APPEAL = "followups.Appeal"
SUPERVISION_CASE = "supervision.SupervisionCase"
SHIRK = "supervision.Shirk"
FINDING = "supervision.Finding"
DUTY_ROSTER = "directory.DutyRoster"
SUB_CENTRE_TICKET = "exchange.SubCentreTicket"

UPHELD = "upheld"
SHIRKING = "shirking"  # 推诿: returned or passed on, and found to be the unit's after all (Art. 27)
NON_COOPERATION = "non_cooperation"  # 不积极配合 at a coordination meeting or on-site supervision (Art. 27)

# The sources read above, with the fields each needs; those not recorded by any app yet are listed apart.
SOURCES: dict[str, tuple[str, ...]] = {
    FOLLOW_UP: ("solved", "at", "reached", "ticket", "excluded_from_assessment"),
    APPEAL: ("follow_up", "state", "decided_at", "counts_in", "unit"),
    SUPERVISION_CASE: ("due_at", "closed_at"),
    SHIRK: ("unit", "at", "ticket"),
    FINDING: ("unit", "kind", "at"),
    DUTY_ROSTER: ("unit", "month", "submitted_at", "due_at"),
}
EXPECTED_MISSING = frozenset({FINDING})


@dataclass(frozen=True)
class Evidence:
    """One record behind a point gained or lost: what it is, and where to see it."""

    kind: str  # ticket | event | appeal | case | finding | roster | article | update_request | entry
    ref: str  # ticket number or record id
    label: str
    url: str = ""


def model(label: str, *fields: str) -> type[models.Model] | None:
    """The installed model `label` when it has every field named, else None (its app is not merged yet)."""
    try:
        found = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    names = {f.name for f in found._meta.get_fields()}
    return found if all(name in names for name in fields) else None


def _field(found: type[models.Model], *candidates: str) -> str | None:
    names = {f.name for f in found._meta.get_fields()}
    return next((name for name in candidates if name in names), None)


def _in(period: Period, field: str) -> Q:
    low, high = period.bounds
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def solved_by_unit(period: Period) -> dict[int | None, tuple[int, int]]:
    """Per unit: (solved, answered) among reached follow-up calls of the period that recorded `solved`."""
    found = model(FOLLOW_UP, "solved", "at", "reached", "ticket")
    if found is None:
        return {}
    rows = (found._default_manager.filter(_in(period, "at"), reached=True, solved__isnull=False).order_by()
            .annotate(unit=lead_unit_at("ticket")).values("unit")
            .annotate(answered=Count("id"), solved=Count("id", filter=Q(solved=True))))
    return {row["unit"]: (row["solved"], row["answered"]) for row in rows}


def excluded_by_unit(period: Period) -> dict[int | None, list[Evidence]]:
    """Per unit: dissatisfied ratings taken out of assessment in the period (Art. 25) — an appeal upheld in the
    period (counting in it), or a follow-up of the period flagged `excluded_from_assessment` — each once, as
    evidence."""
    out: dict[int | None, dict[int, Evidence]] = defaultdict(dict)
    appeal = model(APPEAL, "follow_up", "decided_at")
    decision = _field(appeal, "decision", "status", "state") if appeal else None
    if appeal is not None and decision is not None:
        # The month an appeal counts in was fixed at its decision from the months closed then (`counts_in`): the
        # rating's own while open, else the first open one; a closed month's snapshot therefore never changes.
        month = Q(counts_in=period.start) if _field(appeal, "counts_in") else _in(period, "decided_at")
        rows = (appeal._default_manager.filter(month, **{decision: UPHELD}).order_by()
                .annotate(rated_unit=models.F("unit"), rated_at=models.F("follow_up__at"))
                .values("pk", "rated_unit", "follow_up_id", "follow_up__ticket__number"))
        for row in rows:
            number = row["follow_up__ticket__number"]
            out[row["rated_unit"]][row["follow_up_id"]] = Evidence(
                "appeal", str(row["pk"]), f"申诉成立（工单{number}）", f"/tickets/{number}/")
    flagged = model(FOLLOW_UP, "excluded_from_assessment", "at")
    if flagged is not None and appeal is None:
        rows = (flagged._default_manager.filter(_in(period, "at"), excluded_from_assessment=True).order_by()
                .annotate(unit=lead_unit_at("ticket")).values("pk", "unit", "ticket__number"))
        for row in rows:
            number = row["ticket__number"]
            out[row["unit"]][row["pk"]] = Evidence("appeal", str(row["pk"]), f"不计入考核的回访（工单{number}）",
                                                   f"/tickets/{number}/")
    return {unit: list(items.values()) for unit, items in out.items()}


@dataclass(frozen=True)
class CaseCounts:
    """A unit's supervision cases in a period (Art. 24)."""

    opened: int = 0
    due: int = 0  # closed in the period, or due in the period and not closed by its end
    on_time: int = 0  # of `due`, closed by the (extended) due time


def _case_units(found: type[models.Model]) -> str | None:
    return _field(found, "target_units", "unit", "units")


def supervision_by_unit(period: Period) -> dict[int, CaseCounts]:
    """Cases opened, due and closed on time per target unit; empty without the supervision app."""
    found = model(SUPERVISION_CASE, "due_at", "closed_at")
    if found is None:
        return {}
    units, opened = _case_units(found), _field(found, "opened_at", "created_at")
    if units is None or opened is None:
        return {}
    extended = _field(found, "extended_due_at")
    low, high = period.bounds
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"opened": 0, "due": 0, "on_time": 0})
    cases = found._default_manager.filter(
        _in(period, opened) | _in(period, "closed_at") | (_in(period, "due_at") & Q(closed_at__isnull=True))
        | (Q(closed_at__gte=high) & _in(period, "due_at"))).values("pk", opened, "due_at", "closed_at",
                                                                    *([extended] if extended else []), units)
    for case in cases:
        unit = case[units]
        if unit is None:
            continue
        due = (case.get(extended) if extended else None) or case["due_at"]
        closed = case["closed_at"]
        if low <= case[opened] < high:
            counts[unit]["opened"] += 1
        if (closed is not None and low <= closed < high) or (due is not None and low <= due < high
                                                                and (closed is None or closed >= high)):
            counts[unit]["due"] += 1
            if closed is not None and low <= closed < high and (due is None or closed <= due):
                counts[unit]["on_time"] += 1
    return {unit: CaseCounts(**c) for unit, c in counts.items()}


def findings_by_unit(period: Period, kind: str) -> dict[int, list[Evidence]]:
    """推诿 recorded by coordination (`Shirk`), or non-cooperation recorded by supervision, in the period, per unit,
    as evidence."""
    if kind == SHIRKING:
        found, kind_filter = model(SHIRK, "unit", "at"), Q()
    else:
        found, kind_filter = model(FINDING, "unit", "kind", "at"), Q(kind=kind)
    if found is None:
        return {}
    has_ticket = _field(found, "ticket") is not None
    values = ["pk", "unit_id", *(["ticket__number"] if has_ticket else [])]
    out: dict[int, list[Evidence]] = defaultdict(list)
    label = "推诿" if kind == SHIRKING else "不积极配合"
    for row in found._default_manager.filter(_in(period, "at"), kind_filter).order_by("at", "pk").values(*values):
        number = row.get("ticket__number") or ""
        text = f"{label}（工单{number}）" if number else label
        out[row["unit_id"]].append(Evidence("finding", str(row["pk"]), text, f"/tickets/{number}/" if number else ""))
    return dict(out)


@dataclass(frozen=True)
class RosterCounts:
    """A 24-hour unit's rosters required for a month and those sent on time (Art. 20, 27)."""

    required: int = 0
    on_time: int = 0


def rosters_by_unit(month: dt.date, units: Iterable[Any]) -> dict[int, RosterCounts]:
    """For each 24-hour unit: its roster for `month` required, and on time when submitted by its due time.
    Empty without the roster model: then 值班表按时报送率 is not shown at all."""
    found = model(DUTY_ROSTER, "unit", "month", "submitted_at", "due_at")
    if found is None:
        return {}
    rows = {r["unit_id"]: r for r in found._default_manager.filter(month=month).values("unit_id", "submitted_at",
                                                                                      "due_at")}
    out = {}
    for unit in units:
        row = rows.get(unit.pk)
        on_time = bool(row and row["submitted_at"] and (row["due_at"] is None or row["submitted_at"] <= row["due_at"]))
        out[unit.pk] = RosterCounts(required=1, on_time=int(on_time))
    return out


@dataclass(frozen=True)
class SubCentreCounts:
    """A unit's tickets taken and handled by its own hotline sub-centre in a period, as pushed (Art. 7)."""

    received: int = 0
    resolved: int = 0
    resolved_on_time: int = 0  # resolved by its deadline; one without a deadline is not judged late
    rated: dict[str, int] | None = None  # satisfaction level -> count, of those resolved in the period


def sub_centres_by_unit(period: Period) -> dict[int, SubCentreCounts]:
    """Per unit: its sub-centre's tickets received and resolved in the period; empty without the exchange app."""
    found = model(SUB_CENTRE_TICKET, "unit", "received_at", "due_at", "resolved_at", "satisfaction")
    if found is None:
        return {}
    manager = found._default_manager
    received = {r["unit"]: r["n"] for r in manager.filter(_in(period, "received_at")).order_by().values("unit")
                .annotate(n=Count("id"))}
    resolved = manager.filter(_in(period, "resolved_at")).order_by()
    done = {r["unit"]: (r["n"], r["ok"]) for r in resolved.values("unit").annotate(
        n=Count("id"), ok=Count("id", filter=Q(due_at__isnull=True) | Q(resolved_at__lte=models.F("due_at"))))}
    rated: dict[int, dict[str, int]] = defaultdict(dict)
    for r in resolved.exclude(satisfaction="").values("unit", "satisfaction").annotate(n=Count("id")):
        rated[r["unit"]][r["satisfaction"]] = r["n"]
    return {unit: SubCentreCounts(received.get(unit, 0), *done.get(unit, (0, 0)), rated.get(unit) or None)
            for unit in set(received) | set(done)}
