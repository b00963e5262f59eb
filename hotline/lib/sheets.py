"""Small XLSX helpers over openpyxl for imports with a Chinese header row and for exports (rosters, deputies)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from hotline.lib.errors import InvalidInput

MAX_ROWS = 5000


def read_rows(stream: IO[bytes], headers: Mapping[str, str], required: Sequence[str]) -> Iterator[
        tuple[int, dict[str, Any]]]:
    """(row number, {field: value}) for every non-empty row of the first sheet; `headers` maps Chinese column
    titles to field names. Dates and datetimes are kept as such; other cells become stripped text."""
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a file that is not xlsx
        raise InvalidInput("无法读取 Excel 文件，请上传 .xlsx 格式", field="file", code="bad_file") from exc
    rows = book.worksheets[0].iter_rows(values_only=True)
    names = [headers.get(str(h or "").strip()) for h in (next(rows, None) or ())]
    missing = [title for title, name in headers.items() if name in required and name not in names]
    if missing:
        raise InvalidInput(f"表头须包含：{'、'.join(missing)}", field="file", code="bad_header")
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise InvalidInput(f"单次导入不能超过{MAX_ROWS}行", field="file", code="too_many_rows")
        row = {name: _cell(value) for name, value in zip(names, values, strict=False) if name}
        if any(value not in ("", None) for value in row.values()):
            yield number, row


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet with a header row, as the bytes of an .xlsx file."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append([_plain(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    # Excel keeps no time zones: write local wall-clock time.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value
