"""The bulletin's annex as XLSX (openpyxl): every unit's counts, rates, score and rank, the city and the groups,
with a native bar chart of the units' on-time reply rates."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from hotline.reports.indicators import GROUPS, RATE_LABELS, Figures

COUNT_LABELS: dict[str, str] = {
    "received": "接收", "accepted": "受理", "declined": "不予受理", "answered_directly": "直接答复",
    "dispatched": "转派", "dispatch_due": "应转派", "dispatched_on_time": "按时转派", "signs_due": "应签收",
    "signed_on_time": "按时签收", "deemed_signed": "视为签收", "returns_requested": "申请退回",
    "returns_reviewed": "退回已审核", "returns_approved": "退回成立", "extensions_requested": "申请延期",
    "extensions_approved": "批准延期", "replies_due": "应办结", "replied_on_time": "按时办结", "overdue": "超期",
    "replies_rejected": "办结审核不通过", "resolved": "办结", "follow_up_calls": "回访次数", "follow_ups": "有效评价",
    "satisfied": "满意（加权）", "basic_satisfied": "基本满意", "dissatisfied": "不满意",
    "excluded_by_appeal": "申诉成立",
    "not_contacted": "未联系服务对象", "solved": "已解决", "solved_asked": "解决情况有效回访", "reworks": "重办",
    "supervision_cases": "督办件数", "supervision_due": "督办应办结", "supervision_on_time": "督办按期办结",
    "kb_requests_due": "知识库应更新", "kb_requests_on_time": "知识库按时更新", "kb_articles": "知识条目",
    "kb_stale": "过期条目", "rosters_required": "应报值班表", "rosters_on_time": "按时报送值班表",
}
COUNT_KEYS = [f.name for f in Figures.__dataclass_fields__.values()]


def _bold(ws: Any) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"


def _value(rate: float | None) -> Any:
    return "—" if rate is None else rate


def render(snapshot: dict[str, Any], title: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "各单位指标"
    rates = list(RATE_LABELS)
    ws.append(["单位", "分组", "排名", "得分", "榜单", *(RATE_LABELS[k] + "%" for k in rates),
               *(COUNT_LABELS.get(k, k) for k in COUNT_KEYS)])
    for row in snapshot["units"]:
        listing = {"red": "红榜", "black": "黑榜"}.get(row["list"], "")
        ws.append([row["name"], GROUPS[row["group"]], row["rank"] or "—", _value(row["score"]), listing,
                   *(_value(row["rates"][k]) for k in rates), *(row["counts"][k] for k in COUNT_KEYS)])
    _bold(ws)
    summary = wb.create_sheet("全市及分组")
    summary.append(["范围", *(RATE_LABELS[k] + "%" for k in rates), *(COUNT_LABELS.get(k, k) for k in COUNT_KEYS)])
    scopes = [("全市", snapshot["city"])] + [(GROUPS[g], v) for g, v in snapshot["groups"].items()]
    for name, block in scopes:
        summary.append([name, *(_value(block["rates"][k]) for k in rates), *(block["counts"][k] for k in COUNT_KEYS)])
    _bold(summary)
    if snapshot.get("levels"):
        _levels_sheet(wb.create_sheet("各受理平台"), snapshot["levels"])
    n = len(snapshot["units"])
    if n:
        chart = BarChart()
        chart.title, chart.y_axis.title = "各单位按时办结率", "%"
        column = 6 + rates.index("reply_on_time_rate")
        chart.add_data(Reference(ws, min_col=column, min_row=1, max_row=n + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
        chart.width, chart.height = 24, 10
        summary.add_chart(chart, f"A{len(scopes) + 3}")
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _levels_sheet(ws: Any, table: dict[str, Any]) -> None:
    """Every platform's row (Art. 26, 30: tickets counted once where received) and their total."""
    rates = list(RATE_LABELS)
    ws.append(["受理平台", *(RATE_LABELS[k] + "%" for k in rates), *(COUNT_LABELS.get(k, k) for k in COUNT_KEYS)])
    for name, block in [*((row["name"], row) for row in table["rows"]), ("合计", table["total"])]:
        ws.append([name, *(_value(block["rates"][k]) for k in rates), *(block["counts"][k] for k in COUNT_KEYS)])
    _bold(ws)


def render_levels(snapshot: dict[str, Any], title: str = "") -> bytes:
    """A county sub-centre's annex: its platforms' rows and total."""
    wb = Workbook()
    ws = wb.active
    ws.title = "各受理平台"
    _levels_sheet(ws, snapshot["levels"])
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
