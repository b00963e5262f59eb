"""The bulletin as DOCX (python-docx), editable before it is sent; Chinese text in 宋体 / 黑体 by East Asian font."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from hotline.reports.bulletin.content import Block


def _east_asian(style_or_run: object, name: str) -> None:
    # Word picks the font of Chinese characters from w:eastAsia, which python-docx does not set by itself.
    element = style_or_run.element  # type: ignore[attr-defined]
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def render(blocks: list[Block]) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "SimSun", Pt(11)
    _east_asian(normal, "宋体")
    for style in ("Heading 1", "Heading 2", "Title"):
        _east_asian(doc.styles[style], "黑体")
    for block in blocks:
        if block.kind == "h1":
            heading = doc.add_heading(block.text, level=0)
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "h2":
            doc.add_heading(block.text, level=1)
        elif block.kind == "p":
            doc.add_paragraph(block.text)
        elif block.kind == "table":
            table = doc.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = text
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        elif block.kind == "image":
            doc.add_picture(io.BytesIO(block.image), width=Cm(15))
            caption = doc.add_paragraph(block.text)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
