"""Import a city's existing knowledge from Excel or Markdown, with a report of rejected rows; export the whole base.

Both formats carry the same fields. Excel: a header row naming the columns below (extra columns are ignored, so an
export can be imported again). Markdown: each article starts with a `#` or `##` heading (its title); lines right
under it of the form `键：值` carry the fields; the rest is the answer.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from openpyxl import Workbook, load_workbook

from hotline.directory.choices import UnitKind
from hotline.directory.models import Topic, Unit
from hotline.knowledge import workflow
from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article
from hotline.knowledge.services import with_use_counts
from hotline.lib.errors import DomainError, InvalidInput

if TYPE_CHECKING:
    from hotline.directory.models import Staff

# Column header → field; several spellings are accepted because cities' spreadsheets differ.
HEADERS: dict[str, str] = {
    "标题": "title", "问题": "title", "常见问法": "questions", "问法": "questions", "答复口径": "answer",
    "答复": "answer", "答案": "answer", "事项分类": "topic", "分类": "topic", "维护单位": "owner_unit",
    "单位": "owner_unit", "适用区县": "region", "区县": "region", "生效日期": "valid_from", "失效日期": "valid_to",
    "复核日期": "review_due", "依据文件": "source_document", "依据": "source_document",
}
EXPORT_COLUMNS = ["编号", "标题", "常见问法", "答复口径", "事项分类", "维护单位", "适用区县", "生效日期", "失效日期",
                  "复核日期", "依据文件", "状态", "版本", "应急答疑清单", "引用次数", "有误反馈", "更新时间"]
MAX_ROWS = 20000


@dataclass
class Rejected:
    """One row that was not imported, and why (in Chinese, for the person who sent the file)."""

    row: int
    title: str
    reason: str


@dataclass
class ImportReport:
    """What an import did: the articles created and the rows rejected."""

    created: list[Article] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


# ---------------------------------------------------------------- reading


def excel_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {field: text}) for every non-empty row of the first sheet."""
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a file that is not xlsx
        raise InvalidInput("无法读取 Excel 文件，请上传 .xlsx 格式", field="file", code="bad_file") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = [HEADERS.get(str(h or "").strip()) for h in header]
    if "title" not in names or "answer" not in names:
        raise InvalidInput("表头须包含“标题”和“答复口径”两列", field="file", code="bad_header")
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise InvalidInput(f"单次导入不能超过{MAX_ROWS}行", field="file", code="too_many_rows")
        row = {name: _cell(value) for name, value in zip(names, values, strict=False) if name}
        if any(row.values()):
            yield number, row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_HEADING = re.compile(r"^#{1,2}\s+(.+?)\s*$")
_META = re.compile(r"^([\u4e00-\u9fff]{2,4})[：:]\s*(.*)$")


def markdown_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {field: text}) for every heading-led section of a Markdown file."""
    current: dict[str, Any] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        heading = _HEADING.match(line)
        if heading:
            if current is not None:
                yield _finish(current)
            current = {"_line": number, "title": heading.group(1), "_body": [], "_in_meta": True}
            continue
        if current is None:
            continue
        meta = _META.match(line.strip()) if current["_in_meta"] else None
        if meta and meta.group(1) in HEADERS:
            current[HEADERS[meta.group(1)]] = meta.group(2)
        elif line.strip() or current["_body"]:
            current["_in_meta"] = False
            current["_body"].append(line)
    if current is not None:
        yield _finish(current)


def _finish(section: dict[str, Any]) -> tuple[int, dict[str, str]]:
    row = {k: v for k, v in section.items() if not k.startswith("_")}
    row.setdefault("answer", "\n".join(section["_body"]).strip())
    return section["_line"], row


# ---------------------------------------------------------------- checking and creating


def _find_unit(text: str) -> Unit | None:
    return Unit.objects.filter(Q(code=text) | Q(name=text)).first() if text else None


def _resolve(row: dict[str, str], default_unit: Unit | None) -> dict[str, Any]:
    """Turn a row's texts into workflow fields; raises InvalidInput with the reason."""
    data: dict[str, Any] = {k: row.get(k, "") for k in ("title", "questions", "answer", "source_document")}
    # Question forms come one per line, or on one line separated by semicolons as spreadsheets tend to have them.
    data["questions"] = re.sub(r"[；;]", "\n", data["questions"])
    if not data["title"]:
        raise InvalidInput("缺少标题", field="title")
    if not data["answer"]:
        raise InvalidInput("缺少答复口径", field="answer")
    unit = _find_unit(row.get("owner_unit", "")) if row.get("owner_unit") else default_unit
    if unit is None:
        raise InvalidInput(f"维护单位“{row.get('owner_unit', '')}”不存在" if row.get("owner_unit")
                           else "未写明维护单位", field="owner_unit")
    data["owner_unit"] = unit
    if row.get("topic"):
        topic = Topic.objects.filter(Q(code=row["topic"]) | Q(name=row["topic"])).first()
        if topic is None:
            raise InvalidInput(f"事项分类“{row['topic']}”不存在", field="topic")
        data["topic"] = topic
    if row.get("region"):
        region = _find_unit(row["region"])
        if region is None or region.kind != UnitKind.COUNTY:
            raise InvalidInput(f"适用区县“{row['region']}”不是县市区", field="region")
        data["region"] = region
    for name, label in (("valid_from", "生效日期"), ("valid_to", "失效日期"), ("review_due", "复核日期")):
        if row.get(name):
            try:
                data[name] = dt.date.fromisoformat(row[name].replace("/", "-")[:10])
            except ValueError:
                raise InvalidInput(f"{label}“{row[name]}”不是有效日期（如 2026-01-31）", field=name) from None
    return data


def import_rows(rows: Iterator[tuple[int, dict[str, str]]], *, by: Staff, default_unit: Unit | None = None,
                emergency_event: str = "", expires_at: dt.datetime | None = None) -> ImportReport:
    """Create a draft per good row (or publish at once as an 答疑清单); report every rejected row and why."""
    report = ImportReport()
    if emergency_event and expires_at is None:
        raise InvalidInput("应急答疑清单须设定自动失效时间", field="expires_at", code="expiry_required")
    seen: set[tuple[int, str]] = set()
    for number, row in rows:
        title = row.get("title", "")
        try:
            data = _resolve(row, default_unit)
            key = (data["owner_unit"].pk, data["title"])
            if key in seen or Article.objects.filter(owner_unit=data["owner_unit"], title=data["title"]).exclude(
                    state=ArticleState.WITHDRAWN).exists():
                raise InvalidInput("同一维护单位已有同名文章", field="title", code="duplicate")
            with transaction.atomic():
                if emergency_event:
                    data.update(is_emergency=True, emergency_event=emergency_event, expires_at=expires_at)
                article = workflow.create(by=by, **data)
                if emergency_event:
                    workflow.publish_emergency(article, by=by, note=f"应急答疑清单：{emergency_event}")
            seen.add(key)
            report.created.append(article)
        except DomainError as exc:
            report.rejected.append(Rejected(row=number, title=title, reason=exc.message))
    return report


def import_file(name: str, content: bytes, *, by: Staff, default_unit: Unit | None = None,
                emergency_event: str = "", expires_at: dt.datetime | None = None) -> ImportReport:
    """Import an uploaded `.xlsx` or `.md` file by its extension."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        rows = excel_rows(io.BytesIO(content))
    elif lower.endswith((".md", ".markdown", ".txt")):
        try:
            rows = markdown_rows(content.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise InvalidInput("Markdown 文件须为 UTF-8 编码", field="file", code="bad_encoding") from exc
    else:
        raise InvalidInput("只支持 .xlsx 或 .md 文件", field="file", code="bad_file_type")
    return import_rows(rows, by=by, default_unit=default_unit, emergency_event=emergency_event,
                       expires_at=expires_at)


# ---------------------------------------------------------------- export


def export_workbook() -> bytes:
    """The whole knowledge base, every state, as one Excel sheet that `import_file` reads back."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("知识库")
    sheet.append(EXPORT_COLUMNS)
    qs = with_use_counts(Article.objects.select_related("topic", "owner_unit", "region").order_by("id"))
    for a in qs.iterator(chunk_size=2000):
        sheet.append([
            a.pk, a.title, a.questions, a.answer, a.topic.code if a.topic else "", a.owner_unit.name,
            a.region.name if a.region else "", a.valid_from, a.valid_to, a.review_due, a.source_document,
            a.get_state_display(), a.version, "是" if a.is_emergency else "", a.use_count,  # type: ignore[attr-defined]
            a.wrong_count, a.updated_at.replace(tzinfo=None),  # type: ignore[attr-defined]
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
