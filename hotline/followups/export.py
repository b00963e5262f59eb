"""The appeal ledger as rows for CSV and XLSX (Art. 25): one line per appeal, the rating as given and whether it is
excluded from the assessment. No personal data of the requester is exported (Art. 23)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from openpyxl import Workbook

from hotline.followups.models import Appeal

HEADER = ["工单编号", "申诉单位", "回访渠道", "回访时间", "满意度（原始）", "申诉理由", "申诉说明", "申诉人",
          "申诉时间", "证据文件数", "状态", "审核人", "审核时间", "审核意见", "计入考核月份", "不计入考核"]


def _time(value: object) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""  # type: ignore[arg-type]


def rows(appeals: Iterable[Appeal]) -> Iterator[list[str]]:
    """The header, then one row per appeal."""
    yield HEADER
    for a in appeals:
        fu = a.follow_up
        yield [a.ticket.number, a.unit.name, fu.get_channel_display(), _time(fu.at), fu.get_satisfaction_display(),
               a.get_ground_display(), a.statement, str(a.filed_by), _time(a.filed_at), str(a.evidence.count()),
               a.get_state_display(), str(a.reviewer or ""), _time(a.decided_at), a.decision_note,
               f"{a.counts_in:%Y-%m}" if a.counts_in else "", "是" if fu.excluded_from_assessment else "否"]


def xlsx(appeals: Iterable[Appeal]) -> bytes:
    """The ledger as a one-sheet workbook."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "申诉台账"
    for row in rows(appeals):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
