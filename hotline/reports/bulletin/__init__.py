"""The monthly bulletin (月度通报, Art. 26) in three formats from one closed month: DOCX (editable), PDF, XLSX annex."""

from __future__ import annotations

from hotline.reports.bulletin import docx_writer, pdf_writer, xlsx_writer
from hotline.reports.bulletin.content import blocks, title
from hotline.reports.models import MonthClose

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def render(close: MonthClose, fmt: str) -> bytes:
    """One format of the month's bulletin, rendered from its snapshot."""
    if fmt == "xlsx":
        return xlsx_writer.render(close.snapshot, title(close))
    content = blocks(close)
    return docx_writer.render(content) if fmt == "docx" else pdf_writer.render(content, title(close))


def render_all(close: MonthClose) -> dict[str, bytes]:
    """Every format, for keeping with a published month."""
    content = blocks(close)
    return {"docx": docx_writer.render(content), "pdf": pdf_writer.render(content, title(close)),
            "xlsx": xlsx_writer.render(close.snapshot, title(close))}


def filename(close: MonthClose, fmt: str) -> str:
    return f"12345热线月度通报-{close.year}年{close.month:02d}月.{fmt}"
