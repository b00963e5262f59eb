"""Unit assessment (考评, Art. 27): a rule set as data scored over a month's figures and evidence.

- a rate item scores `clamp(W − k·max(0, T − r), 0, W)`; a unit without the rate (denominator 0) is not scored on
  it, and its other rate items are scaled up to the full rate weight, so a unit is never given 100 % it did not earn;
  a unit with no rate at all is not ranked;
- a deduction takes `points` per occurrence up to `cap`; a bonus adds the same way;
- the three groups of Art. 27 are the deductions' `section`: 知识库管理, 办理质量, 上级考评.

The default rule set follows the published schemes collected in WAVE2 §7 (LYG's 按时办结率 line
max(0, 20 − (95 − r)), ZGE's 响应/解决/满意 weights, SD's knowledge-base item, BB's grade bands); the city's own
考评实施办法 was not found, so every number is data a manager edits in the admin.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q

from hotline.deadlines.policy import Clock
from hotline.reports import sources
from hotline.reports.facts import Period, unit_events
from hotline.reports.indicators import Figures
from hotline.reports.models import AssessmentEntry, RuleSet
from hotline.reports.sources import Evidence
from hotline.tickets.choices import Action
from hotline.tickets.models import Event

KB, QUALITY, HIGHER, BONUS = "知识库管理", "办理质量", "上级考评", "加分"

DEFAULT_ITEMS: list[dict[str, Any]] = [
    {"key": "sign_on_time", "kind": "rate", "label": "按时签收率", "rate": "sign_on_time_rate", "weight": 10,
     "target": 100, "k": 0.5},
    {"key": "reply_on_time", "kind": "rate", "label": "按时办结率", "rate": "reply_on_time_rate", "weight": 20,
     "target": 95, "k": 1},
    {"key": "satisfaction", "kind": "rate", "label": "满意率", "rate": "satisfaction_rate", "weight": 35,
     "target": 95, "k": 1},
    {"key": "solve", "kind": "rate", "label": "解决率", "rate": "solve_rate", "weight": 15, "target": 90, "k": 1},
    {"key": "kb_update", "kind": "rate", "label": "知识库更新及时率", "rate": "kb_update_on_time_rate",
     "weight": 10, "target": 100, "k": 0.5},
    {"key": "supervision", "kind": "rate", "label": "督办按期办结率", "rate": "supervision_on_time_rate",
     "weight": 10, "target": 100, "k": 0.5},
    {"key": "kb_stale", "kind": "deduction", "section": KB, "label": "知识库条目超过复核日期未更新", "points": 0.2,
     "cap": 2},
    {"key": "kb_request_late", "kind": "deduction", "section": KB, "label": "热线提醒更新的信息未按时提供",
     "points": 0.5, "cap": 3},
    {"key": "kb_missing", "kind": "deduction", "section": KB, "label": "常用政策或办事流程未及时上传（录入）",
     "points": 0.5, "cap": 3},
    {"key": "kb_no_emergency_script", "kind": "deduction", "section": KB,
     "label": "突发事件答复口径未及时提供（录入）", "points": 2, "cap": 4},
    {"key": "roster_missing", "kind": "deduction", "section": KB, "label": "未按时提供24小时值班表", "points": 2,
     "cap": 2},
    {"key": "late_without_extension", "kind": "deduction", "section": QUALITY, "label": "超期且未申请延期",
     "points": 0.5, "cap": 5},
    {"key": "not_contacted", "kind": "deduction", "section": QUALITY, "label": "未及时联系服务对象",
     "points": 0.5, "cap": 5},
    {"key": "false_closure", "kind": "deduction", "section": QUALITY,
     "label": "虚假结案或答非所问（审核退回、回访发回重办）", "points": 1, "cap": 5},
    {"key": "shirking", "kind": "deduction", "section": QUALITY, "label": "推诿导致多次转派", "points": 2, "cap": 6},
    {"key": "non_cooperation", "kind": "deduction", "section": QUALITY, "label": "协调或现场督办不积极配合",
     "points": 2, "cap": 6},
    {"key": "upper_late", "kind": "deduction", "section": HIGHER, "label": "国办工单、领导批示件未按时按质完成",
     "points": 2, "cap": 10},
    {"key": "upper_criticism", "kind": "deduction", "section": HIGHER,
     "label": "被国家、省平台或市政府点名通报（录入）", "points": 5, "cap": 10},
    {"key": "bonus", "kind": "bonus", "section": BONUS, "label": "表扬、创新做法等加分（录入）", "points": 1, "cap": 3},
]
GRADES = ((90, "优秀"), (80, "良好"), (60, "合格"), (float("-inf"), "不合格"))  # BB


def rate_points(weight: float, k: float, target: float, rate: float) -> float:
    """`clamp(W − k·max(0, T − r), 0, W)`: full marks at or above the target, never below zero."""
    return max(0.0, min(weight, weight - k * max(0.0, target - rate)))


def capped(points: float, count: int, cap: float) -> float:
    """Points per occurrence, no more than the cap in a month."""
    return min(cap, points * count)


def grade(score: float) -> str:
    return next(label for floor, label in GRADES if score >= floor)


@dataclass
class Line:
    """One line of a score sheet: an item, its value, the points it gave or took, and the evidence."""

    key: str
    label: str
    section: str
    value: str
    points: float
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Sheet:
    """A unit's monthly score sheet."""

    score: float | None  # None: no rate item could be scored, so the unit is not ranked
    lines: list[Line]
    rule_set: str

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "grade": grade(self.score) if self.score is not None else "",
                "rule_set": self.rule_set, "lines": [asdict(line) for line in self.lines]}


def active_rule_set(year: int) -> RuleSet:
    """The year's newest active rule set; the default one is created for a year that has none."""
    found = RuleSet.objects.filter(year=year, is_active=True).order_by("-version").first()
    if found is not None:
        return found
    return RuleSet.objects.create(year=year, version=1, name="默认考评规则", items=DEFAULT_ITEMS,
                                  basis="按 WAVE2 第七节所列连云港、准格尔、山东某市、蚌埠公开方案拟定的默认值，"
                                        "可在管理后台修改。")


def _ev(events: Iterable[Mapping[str, Any]], label: str) -> list[Evidence]:
    return [Evidence("event", str(e["id"]), f"{label}：工单{e['ticket__number']}",
                     f"/tickets/{e['ticket__number']}/#event-{e['id']}") for e in events]


def _event_evidence(period: Period, *actions: str, q: Q, label: str) -> dict[int | None, list[Evidence]]:
    out: dict[int | None, list[Evidence]] = defaultdict(list)
    for row in unit_events(period, *actions).filter(q).values("id", "unit", "ticket__number").order_by("at", "id"):
        out[row["unit"]].extend(_ev([row], label))
    return out


def evidence_by_unit(period: Period) -> dict[int | None, dict[str, list[Evidence]]]:
    """Each raw unit's occurrences per deduction item in the period, as evidence rows (events, records)."""
    low, high = period.bounds
    extended = Event.objects.filter(ticket=OuterRef("ticket"), action=Action.REVIEW_EXTENSION, data__approved=True,
                                    at__lt=OuterRef("at"))
    replied = Event.objects.filter(ticket=OuterRef("ticket"), action=Action.REPLY, at__gte=low, at__lt=high)
    out: dict[int | None, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))

    def put(key: str, found: Mapping[Any, list[Evidence]]) -> None:
        for unit, items in found.items():
            out[unit][key].extend(items)

    late_reply = Q(action=Action.REPLY, data__late=True) & ~Q(Exists(extended))
    unreplied = (Q(action=Action.MARK_OVERDUE, data__clock__in=[Clock.HANDLING.value, Clock.REWORK.value])
                 & ~Q(Exists(replied)) & ~Q(Exists(extended)))
    put("late_without_extension", _event_evidence(period, Action.REPLY, Action.MARK_OVERDUE,
                                                  q=late_reply | unreplied, label="超期未申请延期"))
    put("not_contacted", _event_evidence(period, Action.FOLLOW_UP, q=Q(data__reached=True,
                                                                        data__unit_contacted=False),
                                         label="回访称承办单位未联系"))
    put("false_closure", _event_evidence(period, Action.REVIEW_REPLY, Action.REWORK,
                                         q=Q(action=Action.REWORK) | Q(data__approved=False),
                                         label="办结审核不通过或发回重办"))
    # Art. 27 上级考评: an order the upper platform marked 国办 or 领导批示 replied late, or overdue and unreplied.
    overdue = Q(action=Action.MARK_OVERDUE, data__clock__in=[Clock.HANDLING.value, Clock.REWORK.value])
    upper = ~Q(ticket__upper_flag="") & (Q(action=Action.REPLY, data__late=True) | (overdue & ~Q(Exists(replied))))
    put("upper_late", _event_evidence(period, Action.REPLY, Action.MARK_OVERDUE, q=upper,
                                      label="国办工单或领导批示件超期"))
    put("shirking", sources.findings_by_unit(period, sources.SHIRKING))
    put("non_cooperation", sources.findings_by_unit(period, sources.NON_COOPERATION))
    return out


def entry_evidence(period: Period) -> dict[int, dict[str, list[Evidence]]]:
    """Items the hotline entered for the month, each occurrence with its evidence."""
    out: dict[int, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for e in AssessmentEntry.objects.filter(month=period.start).order_by("id"):
        for _ in range(e.count):
            out[e.unit_id][e.item].append(Evidence("entry", str(e.pk), f"{e.note}（证据：{e.evidence}）",
                                                   f"/admin/reports/assessmententry/{e.pk}/change/"))
    return out


def derived_counts(figures: Figures) -> dict[str, int]:
    """Deduction counts read straight from the figures, for items without event evidence."""
    return {"kb_stale": figures.kb_stale, "kb_request_late": figures.kb_requests_due - figures.kb_requests_on_time,
            "roster_missing": figures.rosters_required - figures.rosters_on_time}


def score(items: list[dict[str, Any]], figures: Figures, evidence: Mapping[str, list[Evidence]],
          rule_set: str = "") -> Sheet:
    """A unit's score sheet: every rate item, deduction and bonus with its points and evidence."""
    rates = figures.rates()
    lines, gained, weight_all, weight_scored = [], 0.0, 0.0, 0.0
    for item in (i for i in items if i["kind"] == "rate"):
        weight_all += item["weight"]
        r = rates.get(item["rate"])
        if r is None:
            lines.append(Line(item["key"], item["label"], "指标", "—", 0.0))
            continue
        points = rate_points(item["weight"], item["k"], item["target"], r)
        weight_scored += item["weight"]
        gained += points
        lines.append(Line(item["key"], item["label"], "指标", f"{r:.2f}%", round(points, 2)))
    # Without any rate the unit has no score and no rank, but its deductions are still listed with their evidence.
    total = gained * weight_all / weight_scored if weight_scored else 0.0
    if 0 < weight_scored < weight_all:
        lines.append(Line("scaled", "无数据指标按比例折算", "指标", f"×{weight_all / weight_scored:.3f}",
                          round(total - gained, 2)))
    counts = derived_counts(figures)
    for item in (i for i in items if i["kind"] in ("deduction", "bonus")):
        found = evidence.get(item["key"], [])
        n = len(found) or max(0, counts.get(item["key"], 0))
        if not n:
            continue
        points = capped(item["points"], n, item["cap"])
        sign = 1 if item["kind"] == "bonus" else -1
        total += sign * points
        lines.append(Line(item["key"], item["label"], item.get("section", ""), f"{n}次", round(sign * points, 2),
                          [asdict(e) for e in found]))
    return Sheet(round(total, 2) if weight_scored else None, lines, rule_set)


def rank(scores: Mapping[Any, float | None]) -> dict[Any, int]:
    """Competition ranking (1, 2, 2, 4): ties share a rank; units without a score are absent."""
    scored = {key: value for key, value in scores.items() if value is not None}
    return {key: 1 + sum(1 for other in scored.values() if other > value) for key, value in scored.items()}


def red_and_black(ranks: Mapping[Any, int], size: int) -> tuple[list[Any], list[Any]]:
    """The top `size` (red) and bottom `size` (black) of one group, ties sharing a place; a unit is on one list."""
    red = sorted((key for key, r in ranks.items() if r <= size), key=lambda key: ranks[key])
    from_bottom = {key: 1 + sum(1 for other in ranks.values() if other > r) for key, r in ranks.items()}
    black = sorted((key for key, r in from_bottom.items() if r <= size and key not in red),
                   key=lambda key: -ranks[key])
    return red, black
