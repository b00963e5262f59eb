"""The NPC deputies' channel (Art. 18): the registry imported from XLSX with terms and encrypted phones, the ledger
(工作台账: 受理, 办理, 反馈, 回访, 督办) with its XLSX export, the quarterly report per deputy and per level, and the
explanation for requests that would meddle in a court case or a bidding process."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hotline.channels.models import Deputy, DeputyLevel, DeputyTicket
from hotline.deadlines.calendar import LOCAL_TZ
from hotline.directory.choices import Role
from hotline.directory.models import Staff
from hotline.lib.errors import Forbidden, InvalidInput
from hotline.lib.privacy import is_valid_phone, mask_phone
from hotline.lib.sheets import read_rows, workbook
from hotline.tickets.choices import DISSATISFIED_LEVELS, Satisfaction, Status
from hotline.vault.keys import phone_lookup_hash

# Art. 18: "不得利用12345热线干涉具体司法案件或者招标投标等经济活动"; told with Art. 10(2)'s legal routes.
MEDDLING_EXPLANATION = (
    "根据《邵阳市12345政务服务便民热线运行管理办法》第十八条，人大代表不得利用12345热线干涉具体司法案件或者"
    "招标投标等经济活动；依第十条第二项，已经或应当通过诉讼、仲裁、行政复议等法律途径解决的事项不予受理。"
    "涉及案件的，请依法向人民法院或检察机关反映；涉及招标投标的，可依法向招标人提出异议或向行政监督部门投诉。"
)
MEDDLING_CUES = {"court": ("法院", "案件", "判决", "审理", "开庭", "执行案", "诉讼"),
                 "bidding": ("招标", "投标", "中标", "评标", "标书")}
LEVEL_NAMES = {label: value for value, label in DeputyLevel.choices} | {"乡": DeputyLevel.TOWNSHIP,
                                                                         "县级": DeputyLevel.COUNTY,
                                                                         "市级": DeputyLevel.CITY,
                                                                         "省级": DeputyLevel.PROVINCIAL}
HEADERS = {"姓名": "name", "层级": "level", "选区/代表团": "delegation", "选区": "delegation", "代表团": "delegation",
           "任期开始": "term_start", "任期届满": "term_end", "联系电话": "phone", "其他电话": "other_phone"}
SUPERVISION_ACTIONS = ("supervise", "urge")  # the supervision app's events, counted as 督办 (Art. 24)


def meddling(content: str) -> str:
    """`court` or `bidding` when a deputy's request names a court case or a bidding process, else ''."""
    for kind, cues in MEDDLING_CUES.items():
        if any(cue in (content or "") for cue in cues):
            return kind
    return ""


def serving(day: dt.date | None = None) -> Q:
    """Deputies recognised at intake: active and within their term (Art. 18; an ended term is not recognised)."""
    day = day or timezone.localdate()
    return (Q(is_active=True) & (Q(term_start__isnull=True) | Q(term_start__lte=day))
            & (Q(term_end__isnull=True) | Q(term_end__gte=day)))


# ---------------------------------------------------------------- the registry


@dataclass
class ImportResult:
    """What an import did: deputies created and updated, and rows refused with the reason."""

    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _date(value: Any, title: str) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).replace("/", "-").replace(".", "-"))
    except ValueError as exc:
        raise ValueError(f"“{title}”须为日期，如 2022-01-01") from exc


def _row(cells: dict[str, Any]) -> dict[str, Any]:
    name = str(cells.get("name") or "").strip()
    if not name:
        raise ValueError("缺少姓名")
    level = LEVEL_NAMES.get(str(cells.get("level") or "").strip())
    if level is None:
        raise ValueError("层级须为 全国、省、市、县、乡镇 之一")
    phone = str(cells.get("phone") or "").strip()
    if not is_valid_phone(phone):
        raise ValueError("联系电话不正确")
    other = str(cells.get("other_phone") or "").strip()
    if other and not is_valid_phone(other):
        raise ValueError("其他电话不正确")
    start, end = _date(cells.get("term_start"), "任期开始"), _date(cells.get("term_end"), "任期届满")
    if start and end and end < start:
        raise ValueError("任期届满不能早于任期开始")
    return {"name": name, "level": level, "delegation": str(cells.get("delegation") or "").strip(), "phone": phone,
            "other_phone": other, "term_start": start, "term_end": end}


def save_deputy(data: dict[str, Any]) -> tuple[Deputy, bool]:
    """Create or update the deputy registered under this phone; phones are kept encrypted, hashed and masked."""
    digest = phone_lookup_hash(data["phone"])
    deputy = Deputy.objects.filter(phone_hash=digest).first()
    created = deputy is None
    deputy = deputy or Deputy()
    for name in ("name", "level", "delegation", "term_start", "term_end", "phone", "other_phone"):
        setattr(deputy, name, data.get(name) or ("" if name in ("phone", "other_phone", "delegation") else None))
    deputy.phone_hash, deputy.phone_masked = digest, mask_phone(data["phone"])
    deputy.other_phone_hash = phone_lookup_hash(data.get("other_phone") or "")
    deputy.is_active = True
    deputy.save()
    return deputy, created


def import_registry(stream: IO[bytes], *, by: Staff) -> ImportResult:
    """Load the deputies' registry from XLSX (姓名, 层级, 选区/代表团, 任期开始, 任期届满, 联系电话, 其他电话);
    good rows are saved, bad rows reported with their row number (Art. 18: 人大代表基本信息库)."""
    if by.role != Role.MANAGER:
        raise Forbidden("只有热线管理员可以导入人大代表信息", code="role_not_allowed")
    result = ImportResult()
    with transaction.atomic():
        for number, cells in read_rows(stream, HEADERS, required=("name", "level", "phone")):
            try:
                _deputy, created = save_deputy(_row(cells))
            except ValueError as exc:
                result.rejected.append((number, str(exc)))
                continue
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result


# ---------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class LedgerFilter:
    """The ledger's filters: deputy, level, Beijing dates of intake (both ends included), status."""

    deputy: int | None = None
    level: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""


def ledger(f: LedgerFilter = LedgerFilter()) -> QuerySet[DeputyTicket]:
    """Ledger entries, newest first, with what each column reads."""
    qs = DeputyTicket.objects.select_related("deputy", "ticket__lead_unit").annotate(
        supervisions=Count("ticket__events", filter=Q(ticket__events__action__in=SUPERVISION_ACTIONS)))
    if f.deputy:
        qs = qs.filter(deputy_id=f.deputy)
    if f.level:
        if f.level not in DeputyLevel.values:
            raise InvalidInput("层级不正确", field="level", code="invalid_level")
        qs = qs.filter(deputy__level=f.level)
    if f.status:
        if f.status not in Status.values:
            raise InvalidInput("状态不正确", field="status", code="invalid_status")
        qs = qs.filter(ticket__status=f.status)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise InvalidInput("起始日期不能晚于截止日期", field="date_from", code="invalid_date_range")
    if f.date_from:
        qs = qs.filter(ticket__created_at__gte=dt.datetime.combine(f.date_from, dt.time(0), tzinfo=LOCAL_TZ))
    if f.date_to:
        end = dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL_TZ)
        qs = qs.filter(ticket__created_at__lt=end)
    return qs.order_by("-ticket__created_at", "-pk")


@dataclass(frozen=True)
class LedgerRow:
    """One line of the ledger: 受理, 办理, 反馈, 回访, 督办."""

    number: str
    deputy: str
    level: str
    delegation: str
    accepted_at: dt.datetime
    matter: str
    status: str
    handling: str
    replied_at: dt.datetime | None
    follow_up: str
    supervisions: int


def rows(entries: Iterable[DeputyTicket]) -> list[LedgerRow]:
    """The ledger's lines; a declined request shows its Art. 10 reason as its handling."""
    out = []
    for entry in entries:
        t, d = entry.ticket, entry.deputy
        follow = t.follow_ups.order_by("-at").first()
        if t.status == Status.DECLINED:
            handling = f"不予受理（{t.get_decline_reason_display()}）"
        else:
            handling = f"{t.lead_unit.name if t.lead_unit else '未转派'}" + (" 已签收" if t.signed_at else "")
        out.append(LedgerRow(
            number=t.number, deputy=d.name, level=d.get_level_display(), delegation=d.delegation,
            accepted_at=t.created_at, matter=(t.title or t.content)[:100], status=t.get_status_display(),
            handling=handling, replied_at=t.replied_at,
            follow_up=Satisfaction(follow.satisfaction).label if follow and follow.satisfaction else "",
            supervisions=getattr(entry, "supervisions", 0)))
    return out


LEDGER_HEADER = ["工单编号", "代表", "层级", "选区/代表团", "受理时间", "诉求", "状态", "办理", "反馈时间", "回访",
                 "督办次数"]


def ledger_xlsx(entries: Iterable[DeputyTicket]) -> bytes:
    """The ledger as an XLSX file (no phones: the ledger is about matters, not numbers)."""
    return workbook("人大代表工作台账", LEDGER_HEADER, (
        [r.number, r.deputy, r.level, r.delegation, r.accepted_at, r.matter, r.status, r.handling, r.replied_at,
         r.follow_up, r.supervisions] for r in rows(entries)))


# ---------------------------------------------------------------- the quarterly report


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter."""
    if quarter not in (1, 2, 3, 4):
        raise InvalidInput("季度须为 1-4", field="quarter", code="invalid_quarter")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
    return start, end


@dataclass
class Tally:
    """Counts for one deputy or one level in a quarter."""

    label: str
    total: int = 0
    declined: int = 0
    done: int = 0
    open: int = 0
    satisfied: int = 0
    dissatisfied: int = 0


def quarterly(year: int, quarter: int) -> tuple[list[Tally], list[Tally]]:
    """Per deputy and per level: requests taken in the quarter, declined, done (resolved or closed), still open,
    and follow-up ratings (XT practice: quarterly analysis of the deputies' channel, WAVE2 §5)."""
    start, end = quarter_bounds(year, quarter)
    entries = ledger(LedgerFilter(date_from=start, date_to=end)).prefetch_related("ticket__follow_ups")
    per_deputy: dict[int, Tally] = {}
    per_level: dict[str, Tally] = {value: Tally(label) for value, label in DeputyLevel.choices}
    for entry in entries:
        d, t = entry.deputy, entry.ticket
        rating = Counter(f.satisfaction for f in t.follow_ups.all() if f.satisfaction)
        for tally in (per_deputy.setdefault(d.pk, Tally(f"{d.name}（{d.get_level_display()}）")), per_level[d.level]):
            tally.total += 1
            tally.declined += t.status == Status.DECLINED
            tally.done += t.status in (Status.RESOLVED, Status.CLOSED)
            tally.open += t.status not in (Status.RESOLVED, Status.CLOSED, Status.DECLINED, Status.MERGED,
                                           Status.HANDED_OFF, Status.ANSWERED)
            tally.dissatisfied += bool(set(rating) & DISSATISFIED_LEVELS)
            tally.satisfied += bool(rating) and not set(rating) & DISSATISFIED_LEVELS
    return sorted(per_deputy.values(), key=lambda x: -x.total), list(per_level.values())
