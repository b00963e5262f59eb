"""The bulletin as PDF (reportlab) in the built-in CID font STSong-Light: Chinese renders with no font file and
no network, on any reader."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hotline.reports.bulletin.content import Block

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
STYLES = {
    "h1": ParagraphStyle("h1", fontName=FONT, fontSize=17, leading=24, alignment=1, spaceAfter=8, wordWrap="CJK"),
    "h2": ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4, wordWrap="CJK"),
    "p": ParagraphStyle("p", fontName=FONT, fontSize=10.5, leading=17, firstLineIndent=21, wordWrap="CJK"),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11, wordWrap="CJK"),
    "caption": ParagraphStyle("caption", fontName=FONT, fontSize=9, leading=12, alignment=1, wordWrap="CJK"),
}


def _table(block: Block) -> Table:
    data = [[Paragraph(escape(text), STYLES["cell"]) for text in row] for row in [block.header, *block.rows]]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def render(blocks: list[Block], title: str = "") -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=title, author="12345政务服务便民热线")
    story: list[Flowable] = []
    for block in blocks:
        if block.kind in ("h1", "h2", "p"):
            story.append(Paragraph(escape(block.text), STYLES[block.kind]))
        elif block.kind == "table":
            story += [_table(block), Spacer(1, 6)]
        elif block.kind == "image":
            image = Image(io.BytesIO(block.image), width=15 * cm, height=7.5 * cm, kind="proportional")
            story += [image, Paragraph(escape(block.text), STYLES["caption"]), Spacer(1, 6)]
    doc.build(story)
    return out.getvalue()
