"""Leader answering days and unit heads' rotation at the hotline (Art. 8): the calendar, the public notice, the slot
running now (the call desk tags its calls), and the slot's board of tickets for the follow-up report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.directory.choices import DutyKind, Role
from hotline.directory.models import DutySlot, Staff, Unit
from hotline.lib.errors import Forbidden, InvalidInput
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket

MAX_SLOT = dt.timedelta(hours=24)
OPEN = (Status.PENDING_DISPATCH, Status.CONSULTING, Status.DISPATCHED, Status.RETURN_REQUESTED, Status.IN_PROGRESS,
        Status.REPLIED, Status.RESOLVED)
HOTLINE_NUMBER = "12345"


@dataclass(frozen=True)
class SlotInput:
    """What the hotline's manager enters for one slot."""

    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    person: str
    office: str
    scope: str
    unit: Unit | None = None


def _check(data: SlotInput) -> None:
    if data.kind not in DutyKind.values:
        raise InvalidInput("类型须为领导接听日或部门负责人轮值", field="kind", code="invalid_kind")
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise InvalidInput("时间须带时区偏移，如 +08:00", field="starts_at", code="naive_datetime")
    if data.ends_at <= data.starts_at:
        raise InvalidInput("结束时间须晚于开始时间", field="ends_at", code="invalid_hours")
    if data.ends_at - data.starts_at > MAX_SLOT:
        raise InvalidInput("一次接听或轮值不能超过24小时", field="ends_at", code="invalid_hours")
    for name, label in (("person", "接听人"), ("office", "职务"), ("scope", "接听事项范围")):
        if not str(getattr(data, name) or "").strip():
            raise InvalidInput(f"请填写{label}", field=name, code="required")
    if data.kind == DutyKind.UNIT_ROTATION and data.unit is None:
        raise InvalidInput("部门负责人轮值须选择所在单位", field="unit", code="required")


def create_slot(data: SlotInput, *, by: Staff) -> DutySlot:
    """Put a leader's answering day or a unit head's rotation on the calendar, with its notice (Art. 8); one slot at
    a time, so a call is tagged to exactly one."""
    if by.role != Role.MANAGER:
        raise Forbidden("只有热线管理员可以安排领导接听日和轮值", code="role_not_allowed")
    _check(data)
    with transaction.atomic():
        overlapping = DutySlot.objects.select_for_update().filter(starts_at__lt=data.ends_at,
                                                                  ends_at__gt=data.starts_at).first()
        if overlapping is not None:
            raise InvalidInput(f"与已安排的{overlapping.get_kind_display()}（{overlapping.person}）时间重叠",
                               field="starts_at", code="slot_overlap")
        slot = DutySlot(kind=data.kind, starts_at=data.starts_at, ends_at=data.ends_at, person=data.person.strip(),
                        office=data.office.strip(), unit=data.unit, scope=data.scope.strip(), created_by=by,
                        created_at=timezone.now())
        slot.notice = notice_text(slot)
        slot.save()
    return slot


def notice_text(slot: DutySlot) -> str:
    """The public notice: when, who, what about, and the other ways to reach the hotline (practice of GZ, WAVE2 §4)."""
    start, end = slot.starts_at.astimezone(LOCAL_TZ), slot.ends_at.astimezone(LOCAL_TZ)
    weekday = "一二三四五六日"[start.weekday()]
    who = f"{slot.unit.name}{slot.office}" if slot.unit and slot.unit.name not in slot.office else slot.office
    title = "领导接听日" if slot.kind == DutyKind.LEADER_DAY else "部门负责人轮值日"
    return (
        f"12345政务服务便民热线{title}公告\n\n"
        f"{start:%Y年%m月%d日}（星期{weekday}）{start:%H:%M}至{end:%H:%M}，{who}{slot.person}"
        f"将在12345热线接听企业和群众来电，与大家直接交流。\n\n"
        f"接听范围：{slot.scope}\n\n"
        f"来电请拨打{HOTLINE_NUMBER}。不便来电的，也可通过12345网站、微信公众号、移动应用反映诉求；"
        f"接听期间受理的诉求，将按规定时限转交承办单位办理并回访。\n"
    )


def current_slot(at: dt.datetime | None = None) -> DutySlot | None:
    """The slot running at `at` (now by default): the call desk shows it and tags its calls."""
    at = at or timezone.now()
    return (DutySlot.objects.select_related("unit").filter(starts_at__lte=at, ends_at__gt=at)
            .order_by("starts_at").first())


def board(slot: DutySlot) -> QuerySet[Ticket]:
    """The slot's tickets and their progress, open ones first, for the report on that day (Art. 8)."""
    return (Ticket.objects.filter(origin_slot=slot).select_related("lead_unit", "topic")
            .order_by("closed_at", "created_at"))


def board_summary(tickets: list[Ticket]) -> dict[str, int]:
    """How many the slot took, how many are still open, resolved or closed."""
    return {
        "total": len(tickets),
        "open": sum(1 for t in tickets if t.status in OPEN and t.status != Status.RESOLVED),
        "resolved": sum(1 for t in tickets if t.status == Status.RESOLVED),
        "closed": sum(1 for t in tickets if t.status not in OPEN),
    }


def calendar(*, since: dt.datetime | None = None) -> QuerySet[DutySlot]:
    """The slots from `since` (the last 60 days by default), soonest first."""
    since = since or timezone.now() - dt.timedelta(days=60)
    return DutySlot.objects.select_related("unit").filter(ends_at__gte=since).order_by("starts_at")
