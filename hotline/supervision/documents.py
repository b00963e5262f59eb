"""The printable papers of a case (Art. 24): the 督办单 (system supervision) or 督办函 (other methods) with number,
matter, article, due and a reply form; and the escalation dossier for the city government's inspection office.
Each as DOCX (python-docx, the format offices edit) and PDF (reportlab, Chinese in the built-in STSong-Light)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from hotline.supervision.choices import TRIGGER_ARTICLES, Method
from hotline.supervision.models import SupervisionCase

KINDS = ("letter", "dossier")
FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf"}


@dataclass(frozen=True)
class Paper:
    """A document as a title and lines of text, rendered alike to DOCX and PDF."""

    title: str
    lines: list[str]


def _when(value: object) -> str:
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M") if value else "—"  # type: ignore[arg-type]


def _due_day(case: SupervisionCase) -> str:
    # 24:00 of the last day is stored as 00:00 of the next; the paper names the last day itself.
    return timezone.localtime(case.current_due - dt.timedelta(microseconds=1)).strftime("%Y年%m月%d日")


def _head(case: SupervisionCase) -> list[str]:
    city = getattr(settings, "CITY_NAME", "邵阳市")
    return [
        f"{city}12345政务服务便民热线", f"编号：{case.number}", f"督办事项：{case.title}",
        f"督办情形：{case.get_trigger_display()}（依据{TRIGGER_ARTICLES[case.trigger]}）",
        f"督办方式：{case.get_method_display()}", f"督办对象：{'、'.join(u.name for u in case.units.all())}",
        f"涉及工单：{'、'.join(case.tickets.values_list('number', flat=True))}",
        f"发起时间：{_when(case.opened_at)}",
        f"办理时限：{_due_day(case)}24时前（{case.due_days}个工作日，第二十四条）",
    ]


def paper(case: SupervisionCase, kind: str) -> Paper:
    """The text of the 督办单/督办函 (`letter`) or the escalation dossier (`dossier`)."""
    if kind == "letter":
        name = "督办单" if case.method == Method.SYSTEM else "督办函"
        evidence = [f"{key}：{value}" for key, value in case.evidence.items()]
        return Paper(f"{getattr(settings, 'CITY_NAME', '邵阳市')}12345热线{name}", _head(case) + evidence + [
            "请于办理时限内办结并反馈。情况复杂的，可在时限届满前申请延期一次，延长不超过10个工作日。",
            "回复单：", "办理措施：", "办理结果：", "佐证材料：", "承办单位（盖章）：        经办人：        日期：",
        ])
    lines = _head(case) + [f"状态：{case.get_status_display()}", f"呈报时间：{_when(case.escalated_at)}",
                           f"呈报说明：{case.escalation_note or '—'}", "督办经过："]
    for event in case.events.select_related("actor").order_by("seq"):
        who = str(event.actor) if event.actor else "系统"
        lines.append(f"{_when(event.at)} {event.get_action_display()} {who} {event.reason}".rstrip())
    for urge in case.urges.order_by("at"):
        lines.append(f"催办：{_when(urge.at)} {urge.get_method_display()} 联系人{urge.person_reached}"
                     f" 承诺：{urge.promise}")
    lines.append("经督办后仍未得到解决，由市行政审批服务局呈报市人民政府督查室督办（第二十四条）。")
    return Paper(f"{getattr(settings, 'CITY_NAME', '邵阳市')}12345热线督办事项呈报材料", lines)


def docx(doc: Paper) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(doc.title, level=1)
    for line in doc.lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(doc: Paper) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=16, leading=24, spaceAfter=12)
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK")
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=doc.title).build(
        [Paragraph(escape(doc.title), title), *(Paragraph(escape(line), body) for line in doc.lines)])
    return out.getvalue()


def render(case: SupervisionCase, kind: str, fmt: str) -> bytes:
    """The document `kind` of `case` in `fmt` (docx or pdf)."""
    doc = paper(case, kind)
    return docx(doc) if fmt == "docx" else pdf(doc)
