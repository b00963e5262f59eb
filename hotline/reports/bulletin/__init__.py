"""The monthly bulletin (月度通报, Art. 26) in three formats from one closed month: DOCX (editable), PDF, XLSX annex."""

from __future__ import annotations

from hotline.reports.bulletin import docx_writer, pdf_writer, xlsx_writer
from hotline.reports.bulletin.content import Block, blocks, platform_blocks, title
from hotline.reports.models import MonthClose

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _content(close: MonthClose) -> list[Block]:
    # The city's bulletin, or a county sub-centre's own (Art. 26, 30).
    return blocks(close) if close.is_city else platform_blocks(close)


def _xlsx(close: MonthClose) -> bytes:
    if close.is_city:
        return xlsx_writer.render(close.snapshot, title(close))
    return xlsx_writer.render_levels(close.snapshot, title(close))


def render(close: MonthClose, fmt: str) -> bytes:
    """One format of the month's bulletin, rendered from its snapshot."""
    if fmt == "xlsx":
        return _xlsx(close)
    content = _content(close)
    return docx_writer.render(content) if fmt == "docx" else pdf_writer.render(content, title(close))


def render_all(close: MonthClose) -> dict[str, bytes]:
    """Every format, for keeping with a published month."""
    content = _content(close)
    return {"docx": docx_writer.render(content), "pdf": pdf_writer.render(content, title(close)),
            "xlsx": _xlsx(close)}


def filename(close: MonthClose, fmt: str) -> str:
    place = "" if close.is_city else f"{close.platform.name}-"
    return f"{place}12345热线月度通报-{close.year}年{close.month:02d}月.{fmt}"
