"""The bulletin's content (Art. 26), once, as blocks that the DOCX and PDF writers both lay out.

Sections follow the published bulletins collected in WAVE2 §6 (HD, XY, LYG, YC, SC, YL): overview; intake by
channel, type, topic and county with 环比 and 同比; unit tables per group with rank; red and black lists; hot
matters; supervision and difficult matters; typical cases chosen by the manager; units that were late, named.
No requester's personal data is in any block (Art. 23): only counts, unit names, the manager's own text and the
chosen cases' words with names, phones and ID numbers masked (`reports.cases`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hotline.reports import cases
from hotline.reports.indicators import GROUPS, show
from hotline.reports.levels import LEVEL_COLUMNS, level_cells
from hotline.reports.models import MonthClose

UNIT_COLUMNS = ["排名", "单位", "转派件数", "按时签收率", "按时办结率", "超期件数", "满意率", "解决率", "得分"]
DIMENSION_TITLES = {"channel": "来源渠道", "request_type": "诉求类型", "topic": "事项分类", "region": "区县"}


@dataclass
class Block:
    """A heading (`h1`, `h2`), a paragraph (`p`), a table (`table`: header and rows) or a chart (`image`)."""

    kind: str
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    image: bytes = b""


def change(now: float, before: float) -> str:
    """The change on a base as a signed percentage; "—" without a base."""
    if not before:
        return "—"
    return f"{100.0 * (now - before) / before:+.1f}%"


def _typical_cases(close: MonthClose) -> list[Block]:
    """The tickets the manager chose, each with number, topic, lead unit, request and outcome, masked (Art. 23, 26),
    then the manager's free comments."""
    out: list[Block] = []
    for i, stored in enumerate(close.typical_tickets or []):
        c = cases.case(stored)
        out.append(Block("p", f"案例{i + 1}：工单{c['number']}，{c['topic']}，承办单位：{c['lead_unit']}。"))
        out.append(Block("p", f"诉求：{c['summary']}"))
        out.append(Block("p", f"办理结果：{c['outcome']}"))
        if c["comment"]:
            out.append(Block("p", f"点评：{c['comment']}"))
    comments = [part.strip() for part in close.typical_cases.split("\n\n") if part.strip()]
    if close.typical_tickets:
        out += [Block("p", text) for text in comments]
    else:  # months reviewed before cases were chosen by number: the manager's paragraphs are the cases
        out += [Block("p", f"案例{i + 1}：{text}") for i, text in enumerate(comments)]
    return out or [Block("p", "本月未选取典型案例。")]


def title(close: MonthClose) -> str:
    place = "" if close.is_city else close.platform.name
    return f"{close.year}年{close.month}月{place}12345政务服务便民热线工作通报"


def _overview(snap: dict[str, Any]) -> str:
    c, r = snap["city"]["counts"], snap["city"]["rates"]
    return (f"本月热线共接收诉求{c['received']}件，环比{change(c['received'], snap['received_last_month'])}，"
            f"同比{change(c['received'], snap['received_last_year'])}；其中受理{c['accepted']}件，不予受理"
            f"{c['declined']}件，直接答复{c['answered_directly']}件（直接答复率{show(r['direct_answer_rate'])}），"
            f"转派承办单位{c['dispatched']}件（按时转派率{show(r['dispatch_on_time_rate'])}）。承办单位按时签收率"
            f"{show(r['sign_on_time_rate'])}，应办结{c['replies_due']}件，按时办结率{show(r['reply_on_time_rate'])}，"
            f"超期{c['overdue']}件；退回成立{c['returns_approved']}件，批准延期{c['extensions_approved']}件。"
            f"回访{c['follow_up_calls']}次，有效评价{c['follow_ups']}件，满意率{show(r['satisfaction_rate'])}，"
            f"解决率{show(r['solve_rate'])}，发回重办{c['reworks']}件。")


def _intake_table(snap: dict[str, Any], dim: str) -> Block:
    now, last, year = snap["intake"][dim], snap["intake_last_month"][dim], snap["intake_last_year"][dim]
    rows = [[label, str(n), str(last.get(label, 0)), change(n, last.get(label, 0)), str(year.get(label, 0)),
             change(n, year.get(label, 0))] for label, n in sorted(now.items(), key=lambda kv: -kv[1])]
    return Block("table", header=[DIMENSION_TITLES[dim], "本月", "上月", "环比", "去年同月", "同比"], rows=rows)


def unit_row(row: dict[str, Any]) -> list[str]:
    c, r = row["counts"], row["rates"]
    return [str(row["rank"]) if row["rank"] else "—", row["name"], str(c["dispatched"]),
            show(r["sign_on_time_rate"]), show(r["reply_on_time_rate"]), str(c["overdue"]),
            show(r["satisfaction_rate"]), show(r["solve_rate"]),
            f"{row['score']:.2f}" if row["score"] is not None else "—"]


def group_rows(snap: dict[str, Any], group: str) -> list[dict[str, Any]]:
    """A group's units, ranked first by rank, unranked after them by name."""
    members = [row for row in snap["units"] if row["group"] == group]
    return sorted(members, key=lambda row: (row["rank"] is None, row["rank"] or 0, row["code"]))


def _charts(snap: dict[str, Any]) -> list[Block]:
    # matplotlib takes a second to load: only a bulletin being rendered pays for it, not every process start.
    from hotline.reports.bulletin import charts

    channel = snap["intake"]["channel"]
    last = snap["intake_last_month"]["channel"]
    labels = sorted(set(channel) | set(last))
    trend = snap["trend"]
    return [
        Block("image", text="图1 各渠道受理量（本月与上月）",
              image=charts.bars("各渠道受理量", labels, {"本月": [channel.get(k, 0) for k in labels],
                                                          "上月": [last.get(k, 0) for k in labels]})),
        Block("image", text="图2 近12个月受理量与满意率",
              image=charts.trend("近12个月受理量与满意率", [t["month"][2:] for t in trend],
                                 [t["received"] for t in trend], [t["satisfaction_rate"] for t in trend])),
        Block("image", text="图3 诉求类型构成",
              image=charts.composition("诉求类型构成", snap["intake"]["request_type"])),
    ]


def blocks(close: MonthClose) -> list[Block]:
    """The whole bulletin, in order."""
    snap = close.snapshot
    out = [Block("h1", title(close)), Block("p", f"{close.title_number}"), Block("h2", "一、总体情况"),
           Block("p", _overview(snap)), Block("h2", "二、受理情况")]
    for dim in ("channel", "request_type", "topic", "region"):
        out += [Block("p", f"按{DIMENSION_TITLES[dim]}："), _intake_table(snap, dim)]
    if snap["declines"]:
        out.append(Block("p", "不予受理原因（第十条）：" + "；".join(f"{k}{v}件" for k, v in snap["declines"].items())))
    out += _charts(snap)
    out += _levels(snap)
    out.append(Block("h2", "三、承办单位办理情况"))
    for group, label in GROUPS.items():
        rows = [unit_row(row) for row in group_rows(snap, group)]
        out += [Block("p", f"（{label}）"), Block("table", header=UNIT_COLUMNS, rows=rows or [["—"] * 9])]
    out.append(Block("p", "注：分母为0的指标显示为“—”，不计100%；无任何可计分指标的单位不参与排名，列于表末。"))
    out.append(Block("h2", "四、红黑榜"))
    for group, label in GROUPS.items():
        members = group_rows(snap, group)
        red = "、".join(f"{r['name']}（第{r['rank']}名）" for r in members if r["list"] == "red") or "无"
        black = "、".join(f"{r['name']}（第{r['rank']}名）" for r in members if r["list"] == "black") or "无"
        out += [Block("p", f"{label}红榜：{red}"), Block("p", f"{label}黑榜：{black}")]
    out.append(Block("h2", "五、本月热点事项"))
    hot = [[str(i + 1), h["topic"], str(h["count"]), change(h["count"], h["last_month"])]
           for i, h in enumerate(snap["hot"])]
    out.append(Block("table", header=["序号", "事项", "本月件数", "环比"], rows=hot or [["—", "本月无", "0", "—"]]))
    out.append(Block("h2", "六、督办及疑难事项"))
    c = snap["city"]["counts"]
    out.append(Block("p", f"本月督办{c['supervision_cases']}件，应办结{c['supervision_due']}件，按期办结"
                          f"{c['supervision_on_time']}件（督办按期办结率"
                          f"{show(snap['city']['rates']['supervision_on_time_rate'])}）。"))
    if close.difficult_matters:
        out += [Block("p", part) for part in close.difficult_matters.split("\n\n") if part.strip()]
    out.append(Block("h2", "七、典型案例"))
    out += _typical_cases(close)
    out.append(Block("h2", "八、超期办理单位通报"))
    late = sorted((row for row in snap["units"] if row["counts"]["overdue"]), key=lambda row: -row["counts"]["overdue"])
    out.append(Block("p", "、".join(f"{row['name']}（超期{row['counts']['overdue']}件）" for row in late) + "。"
                     if late else "本月无超期办理单位。"))
    out.append(Block("p", "附件：各承办单位指标明细表（XLSX）。"))
    return out


def _levels(snap: dict[str, Any]) -> list[Block]:
    """Art. 26, 30: the month by the platform that received each ticket, counted once there, the total the sum."""
    table = snap.get("levels")
    if not table:  # a month frozen before the table existed
        return []
    rows = [[row["name"], *level_cells(row)] for row in table["rows"]]
    rows.append(["合计", *level_cells(table["total"])])
    return [Block("p", "按受理平台（每件工单计入受理它的平台一次）："),
            Block("table", header=LEVEL_COLUMNS, rows=rows)]


def _platform_overview(snap: dict[str, Any]) -> str:
    c, r = snap["total"]["counts"], snap["total"]["rates"]
    return (f"本月本平台及下级平台共接收诉求{c['received']}件，"
            f"环比{change(c['received'], snap['received_last_month'])}，"
            f"同比{change(c['received'], snap['received_last_year'])}；其中受理{c['accepted']}件，不予受理"
            f"{c['declined']}件，直接答复{c['answered_directly']}件（直接答复率{show(r['direct_answer_rate'])}），"
            f"转派{c['dispatched']}件。应办结{c['replies_due']}件，按时办结率{show(r['reply_on_time_rate'])}，"
            f"超期{c['overdue']}件，办结{c['resolved']}件；有效评价{c['follow_ups']}件，"
            f"满意率{show(r['satisfaction_rate'])}。")


def platform_blocks(close: MonthClose) -> list[Block]:
    """A county sub-centre's own bulletin (Art. 26, 30): the tickets its platforms received, each counted once."""
    snap = close.snapshot
    out = [Block("h1", title(close)), Block("p", f"{close.title_number}"), Block("h2", "一、总体情况"),
           Block("p", _platform_overview(snap)), Block("h2", "二、受理情况")]
    for dim in ("channel", "request_type", "topic"):
        out += [Block("p", f"按{DIMENSION_TITLES[dim]}："), _intake_table(snap, dim)]
    if snap["declines"]:
        out.append(Block("p", "不予受理原因（第十条）：" + "；".join(f"{k}{v}件" for k, v in snap["declines"].items())))
    out.append(Block("h2", "三、各平台受理及办理情况"))
    out += _levels(snap)
    out.append(Block("h2", "四、本月热点事项"))
    hot = [[str(i + 1), h["topic"], str(h["count"]), change(h["count"], h["last_month"])]
           for i, h in enumerate(snap["hot"])]
    out.append(Block("table", header=["序号", "事项", "本月件数", "环比"], rows=hot or [["—", "本月无", "0", "—"]]))
    if close.difficult_matters:
        out.append(Block("h2", "五、疑难事项"))
        out += [Block("p", part) for part in close.difficult_matters.split("\n\n") if part.strip()]
    out.append(Block("h2", "六、典型案例" if close.difficult_matters else "五、典型案例"))
    out += _typical_cases(close)
    out.append(Block("p", "注：分母为0的指标显示为“—”，不计100%。附件：各平台指标明细表（XLSX）。"))
    return out
