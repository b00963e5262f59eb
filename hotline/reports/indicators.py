"""The monthly indicators (Art. 22, 26, 27), defined once: counts per unit from the event facts and the records
beside them, summed into groups, counties and the city, and the rates derived from them.

A rate whose denominator is 0 is None (shown "—", never 100 %), and a unit without it is not ranked on it. Each
formula, with the article it serves, is in docs/statistics.md; the names of the counts are the API's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q

from hotline.deadlines.policy import Clock
from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.knowledge.choices import ArticleState, UpdateRequestState
from hotline.knowledge.models import Article, UpdateRequest
from hotline.reports import sources
from hotline.reports.facts import (
    FollowUpCounts,
    Period,
    events_in,
    follow_ups_by_unit,
    intake_totals,
    unit_events,
    unit_facts,
)
from hotline.reports.facts.expressions import DISPATCH_CLOCK_ACTIONS, late_of
from hotline.tickets.choices import Action, Satisfaction
from hotline.tickets.models import Event

# The three groups ranked apart in the bulletin and the assessment (Art. 27; LYG, SD in WAVE2 §6-7).
GROUPS: dict[str, str] = {"county": "县市区", "city": "市直部门", "utility": "公共事业及部省属单位"}
GROUP_OF_KIND: dict[str, str] = {UnitKind.COUNTY: "county", UnitKind.CITY_DEPARTMENT: "city",
                                 UnitKind.UTILITY: "utility", UnitKind.PROVINCIAL: "utility"}


@dataclass
class Figures:
    """The counts of one unit, group, county or the city in one month; every rate is derived from them."""

    received: int = 0  # city: contacts received; a unit: tickets dispatched to it as lead unit
    accepted: int = 0
    declined: int = 0
    answered_directly: int = 0
    dispatched: int = 0
    dispatch_due: int = 0  # dispatch clocks completed (2 h, Art. 13)
    dispatched_on_time: int = 0
    signs_due: int = 0  # SIGN + DEEM_SIGNED (Art. 13)
    signed_on_time: int = 0  # a deemed signing is late
    deemed_signed: int = 0
    returns_requested: int = 0
    returns_reviewed: int = 0
    returns_approved: int = 0
    extensions_requested: int = 0
    extensions_approved: int = 0
    replies_due: int = 0  # 应办结: replied in the month, or due in it and not replied in it (Art. 14, 15)
    replied_on_time: int = 0
    overdue: int = 0  # 超期件数 = replies_due − replied_on_time
    replies_rejected: int = 0  # REVIEW_REPLY not approved: found false or off-topic at review (Art. 16, 27)
    resolved: int = 0  # REVIEW_REPLY approved (Art. 16)
    follow_up_calls: int = 0
    follow_ups: int = 0  # valid visits: reached and rated (Art. 17)
    satisfied: float = 0.0  # weighted: 非常满意 and 满意 1, 基本满意 the configured weight
    basic_satisfied: int = 0
    dissatisfied: int = 0
    excluded_by_appeal: int = 0
    not_contacted: int = 0  # reached requesters who said the unit never contacted them (Art. 27)
    solved: int = 0
    solved_asked: int = 0
    reworks: int = 0
    supervision_cases: int = 0
    supervision_due: int = 0
    supervision_on_time: int = 0
    kb_requests_due: int = 0
    kb_requests_on_time: int = 0
    kb_articles: int = 0
    kb_stale: int = 0
    rosters_required: int = 0
    rosters_on_time: int = 0
    sub_centre_received: int = 0  # taken by the unit's own hotline sub-centre and pushed to 12345 (Art. 7)
    sub_centre_resolved: int = 0

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def counts(self) -> dict[str, Any]:
        out = asdict(self)
        out["satisfied"] = round(self.satisfied, 2)
        return out

    def rates(self) -> dict[str, float | None]:
        """Every rate in percent with two decimals, None when its denominator is 0."""
        excluded = self.excluded_by_appeal
        if settings.STATS_APPEAL_READING == "not_dissatisfied":
            satisfaction = ratio(self.satisfied + excluded, self.follow_ups)
        else:
            satisfaction = ratio(self.satisfied, self.follow_ups - excluded)
        return {
            "direct_answer_rate": ratio(self.answered_directly, self.accepted),
            "dispatch_on_time_rate": ratio(self.dispatched_on_time, self.dispatch_due),
            "sign_on_time_rate": ratio(self.signed_on_time, self.signs_due),
            "return_rate": ratio(self.returns_approved, self.dispatched),
            "return_upheld_rate": ratio(self.returns_approved, self.returns_reviewed),
            "extension_rate": ratio(self.extensions_approved, self.dispatched),
            "reply_on_time_rate": ratio(self.replied_on_time, self.replies_due),
            "follow_up_rate": ratio(self.follow_up_calls, self.resolved),
            "satisfaction_rate": satisfaction,
            "raw_satisfaction_rate": ratio(self.satisfied, self.follow_ups),
            "solve_rate": ratio(self.solved, self.solved_asked),
            "rework_rate": ratio(self.reworks, self.follow_ups),
            "supervision_on_time_rate": ratio(self.supervision_on_time, self.supervision_due),
            "kb_update_on_time_rate": ratio(self.kb_requests_on_time, self.kb_requests_due),
            "kb_stale_rate": ratio(self.kb_stale, self.kb_articles),
            "roster_on_time_rate": ratio(self.rosters_on_time, self.rosters_required),
        }


RATE_LABELS: dict[str, str] = {
    "direct_answer_rate": "直接答复率", "dispatch_on_time_rate": "按时转派率", "sign_on_time_rate": "按时签收率",
    "return_rate": "退回率", "return_upheld_rate": "退回成立率", "extension_rate": "延期率",
    "reply_on_time_rate": "按时办结率", "follow_up_rate": "回访率", "satisfaction_rate": "满意率",
    "raw_satisfaction_rate": "满意率（未扣申诉）", "solve_rate": "解决率", "rework_rate": "重办率",
    "supervision_on_time_rate": "督办按期办结率", "kb_update_on_time_rate": "知识库更新及时率",
    "kb_stale_rate": "知识库过期率", "roster_on_time_rate": "值班表按时报送率",
}


def ratio(numerator: float, denominator: float) -> float | None:
    """A percentage with two decimals; None (shown "—") when there is nothing to divide by."""
    if denominator <= 0:
        return None
    return round(100.0 * numerator / denominator, 2)


def show(rate: float | None) -> str:
    """A rate as the bulletin prints it."""
    return "—" if rate is None else f"{rate:.2f}%"


def assessed_unit_ids() -> dict[int, int]:
    """Each unit id mapped to the unit assessed for it: itself when it is a county, city department, utility or
    provincial unit; a county's departments and towns roll up to their county (属地, Art. 6)."""
    units = {u.pk: u for u in Unit.objects.all()}
    out = {}
    for pk, unit in units.items():
        node: Unit | None = unit
        while node is not None and node.kind not in GROUP_OF_KIND:
            node = units.get(node.parent_id) if node.parent_id else None
        if node is not None:
            out[pk] = node.pk
    return out


def _per_unit_events(period: Period, *actions: str, q: Q | None = None) -> dict[int | None, int]:
    rows = unit_events(period, *actions).filter(q or Q()).values("unit").annotate(n=Count("id"))
    return {row["unit"]: row["n"] for row in rows}


def unreplied_overdue_q(period: Period) -> Q:
    """MARK_OVERDUE events of a handling or rework deadline that passed in the month (the sweep's) on a ticket with
    no reply in the month: due now and not done, part of 应办结. A ticket replied later in the month is counted
    once, by its late reply."""
    low, high = period.bounds
    replied = Event.objects.filter(ticket=OuterRef("ticket"), action=Action.REPLY, at__gte=low, at__lt=high)
    return Q(data__clock__in=[Clock.HANDLING.value, Clock.REWORK.value]) & ~Q(Exists(replied))


def _unreplied_overdue(period: Period) -> dict[int | None, int]:
    return _per_unit_events(period, Action.MARK_OVERDUE, q=unreplied_overdue_q(period))


def _kb(period: Period) -> tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
    """Update requests due or answered in the month (due, on time), and published articles with those past their
    review date at the month's end (articles, stale), per unit (Art. 22)."""
    low, high = period.bounds
    requests = (UpdateRequest.objects.exclude(state=UpdateRequestState.CANCELLED)
                .filter(Q(due__gte=low, due__lt=high) | Q(done_at__gte=low, done_at__lt=high)).values("unit")
                .annotate(n=Count("id"), ok=Count("id", filter=Q(done_at__isnull=False, done_at__lte=F("due")))))
    articles = (Article.objects.filter(state=ArticleState.PUBLISHED, created_at__lt=high).values("owner_unit")
                .annotate(n=Count("id"), stale=Count("id", filter=Q(review_due__lte=period.end))))
    return ({r["unit"]: (r["n"], r["ok"]) for r in requests},
            {r["owner_unit"]: (r["n"], r["stale"]) for r in articles})


def unit_figures(period: Period) -> dict[int | None, Figures]:
    """Every unit's Figures for the period, keyed by unit id (None: events about no unit)."""
    out: dict[int | None, Figures] = defaultdict(Figures)
    weight = settings.STATS_BASIC_SATISFIED_WEIGHT
    for unit, c in unit_facts(period).items():
        f = out[unit]
        f.received = f.dispatched = c.dispatched
        f.signs_due, f.signed_on_time, f.deemed_signed = c.signed, c.signed - c.signed_late, c.deemed_signed
        f.returns_requested, f.returns_approved = c.returns_requested, c.returns_upheld
        f.extensions_requested, f.extensions_approved = c.extensions_requested, c.extensions_approved
        f.replies_due, f.replied_on_time = c.replied, c.replied - c.replied_late
        f.reworks = c.reworked
    for unit, n in _unreplied_overdue(period).items():
        out[unit].replies_due += n
    reviews = (unit_events(period, Action.REVIEW_RETURN, Action.REVIEW_REPLY).values("unit").annotate(
        returns=Count("id", filter=Q(action=Action.REVIEW_RETURN)),
        resolved=Count("id", filter=Q(action=Action.REVIEW_REPLY, data__approved=True)),
        rejected=Count("id", filter=Q(action=Action.REVIEW_REPLY, data__approved=False))))
    for row in reviews:
        f = out[row["unit"]]
        f.returns_reviewed, f.resolved, f.replies_rejected = row["returns"], row["resolved"], row["rejected"]
    for unit, fu in follow_ups_by_unit(period).items():
        set_follow_ups(out[unit], fu, weight)
    for unit, items in sources.excluded_by_unit(period).items():
        out[unit].excluded_by_appeal = len(items)
    for unit, (solved, asked) in sources.solved_by_unit(period).items():
        out[unit].solved, out[unit].solved_asked = solved, asked
    for case_unit, cases in sources.supervision_by_unit(period).items():
        f = out[case_unit]
        f.supervision_cases, f.supervision_due, f.supervision_on_time = cases.opened, cases.due, cases.on_time
    requests, articles = _kb(period)
    for kb_unit, (due, ok) in requests.items():
        out[kb_unit].kb_requests_due, out[kb_unit].kb_requests_on_time = due, ok
    for kb_unit, (n, stale) in articles.items():
        out[kb_unit].kb_articles, out[kb_unit].kb_stale = n, stale
    roster_units = Unit.objects.filter(responds_24h=True, is_active=True)
    for roster_unit, r in sources.rosters_by_unit(period.start, roster_units).items():
        out[roster_unit].rosters_required, out[roster_unit].rosters_on_time = r.required, r.on_time
    for sub_unit, sub in sources.sub_centres_by_unit(period).items():
        add_sub_centre(out[sub_unit], sub, weight)
    for f in out.values():
        f.overdue = f.replies_due - f.replied_on_time
    return dict(out)


def set_follow_ups(f: Figures, fu: FollowUpCounts, weight: float) -> None:
    """The follow-up counts of `fu` as Figures: calls, rated visits, weighted satisfied (Art. 17, 26)."""
    levels = fu.satisfaction
    f.follow_up_calls = fu.calls
    f.follow_ups = sum(levels.values())
    f.basic_satisfied = levels.get(Satisfaction.NEUTRAL, 0)
    f.satisfied = (levels.get(Satisfaction.VERY_SATISFIED, 0) + levels.get(Satisfaction.SATISFIED, 0)
                   + weight * f.basic_satisfied)
    f.dissatisfied = fu.dissatisfied
    f.not_contacted = fu.reached - fu.unit_contacted


def add_sub_centre(f: Figures, sub: sources.SubCentreCounts, weight: float) -> None:
    """A sub-centre's tickets count under its unit (Art. 7): received, handled against their deadline, and the
    requesters' ratings it pushed, as if dispatched, replied and followed up here."""
    f.sub_centre_received, f.sub_centre_resolved = sub.received, sub.resolved
    f.received += sub.received
    f.replies_due += sub.resolved
    f.replied_on_time += sub.resolved_on_time
    levels = sub.rated or {}
    f.follow_ups += sum(levels.values())
    f.basic_satisfied += levels.get(Satisfaction.NEUTRAL, 0)
    f.satisfied += (levels.get(Satisfaction.VERY_SATISFIED, 0) + levels.get(Satisfaction.SATISFIED, 0)
                    + weight * levels.get(Satisfaction.NEUTRAL, 0))
    f.dissatisfied += levels.get(Satisfaction.DISSATISFIED, 0) + levels.get(Satisfaction.VERY_DISSATISFIED, 0)


def city_figures(period: Period, units: Iterable[Figures]) -> Figures:
    """The city: every unit's counts summed, intake from the intake facts, the dispatch clock from its events."""
    city = Figures()
    for f in units:
        city.add(f)
    intake = intake_totals(period)
    # Contacts 12345 received, and those its sub-centres received and pushed (Art. 7: gathered at the platform).
    city.received, city.accepted = intake.received + city.sub_centre_received, intake.accepted
    city.declined, city.answered_directly = intake.declined, intake.answered_directly
    # The 2-hour dispatch clock (Art. 13): every DISPATCH, and every hop to another platform that ended a desk's
    # dispatch clock instead (Art. 30: handed down or passed up), late as the clock facts judge it.
    dispatches = events_in(period, *DISPATCH_CLOCK_ACTIONS).annotate(late=late_of()).aggregate(
        n=Count("id"), n_late=Count("id", filter=Q(late=True)))
    city.dispatch_due, city.dispatched_on_time = dispatches["n"], dispatches["n"] - dispatches["n_late"]
    return city


def roll_up(figures: dict[int | None, Figures], assessed: dict[int, int]) -> dict[int, Figures]:
    """Per assessed unit: its own figures plus those of its departments and towns."""
    out: dict[int, Figures] = defaultdict(Figures)
    for unit, f in figures.items():
        if unit is not None and unit in assessed:
            out[assessed[unit]].add(f)
    return dict(out)
