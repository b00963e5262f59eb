"""Demo duty data (Art. 8, 18, 20, 27): a leader day last month with calls taken in it, unit heads' rotations, 24-hour
rosters (one late, one refused for a gap) and the deputies' terms, one of them ended."""

from __future__ import annotations

import contextlib
import datetime as dt

import time_machine

from hotline.channels import desk, intake
from hotline.channels.models import Deputy
from hotline.deadlines.calendar import LOCAL_TZ
from hotline.directory.choices import DutyKind
from hotline.directory.models import Staff, Unit
from hotline.duty import rosters, slots
from hotline.lib.errors import InvalidInput
from hotline.tickets import workflow

LEADER_CALLS = [
    ("13807391101", "help", "城南公园旁的排水沟堵塞，下雨就漫到路面，希望尽快疏通"),
    ("13807391102", "consultation", "请问老旧小区加装电梯有没有补贴，怎么申请"),
    ("13807391103", "complaint", "宝庆路夜市油烟很大，反映多次没有改善"),
]
ROTATIONS = [("cgzf", "市城管执法局副局长", "周立新", -9), ("water", "市自来水公司副总经理", "唐海燕", 5)]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL_TZ)


def _month_start(moment: dt.datetime, months: int = 0) -> dt.date:
    day = moment.astimezone(LOCAL_TZ).date().replace(day=1)
    for _ in range(abs(months)):
        day = (day + dt.timedelta(days=32)).replace(day=1) if months > 0 else (day - dt.timedelta(days=1)).replace(
            day=1)
    return day


def build(staff: dict[str, Staff], units: dict[str, Unit], *, now: dt.datetime) -> None:
    """Slots, the leader day's calls, rosters and deputies' terms; everything dated before `now`."""
    _leader_day(staff, units, now=now)
    _rotations(staff, units, now=now)
    _rosters(staff, units, now=now)
    _deputies()


def _leader_day(staff: dict[str, Staff], units: dict[str, Unit], *, now: dt.datetime) -> None:
    day = (now.astimezone(LOCAL_TZ) - dt.timedelta(days=24)).date()
    while day.weekday() != 3:  # a Thursday in the past month
        day -= dt.timedelta(days=1)
    with time_machine.travel(_at(day, 8), tick=False):
        slot = slots.create_slot(slots.SlotInput(
            kind=DutyKind.LEADER_DAY, starts_at=_at(day, 9), ends_at=_at(day, 11, 30), person="张明",
            office="副市长", scope="城市管理、供水供气、老旧小区改造"), by=staff["manager"])
    for minute, (phone, request_type, content) in zip((12, 41, 97), LEADER_CALLS, strict=True):
        with time_machine.travel(slot.starts_at + dt.timedelta(minutes=minute), tick=False):
            ticket = intake.take_call(by=staff["dispatcher"], data={
                "channel": "phone", "request_type": request_type, "content": content, "phone": phone,
                "region": units["daxiang"], "action": "transfer", "lead_unit": units["cgzf"]})
        with time_machine.travel(slot.ends_at + dt.timedelta(hours=1), tick=False):
            workflow.sign(ticket, by=staff[f"h-{units['cgzf'].code}"])
        if minute == 12:
            with time_machine.travel(slot.starts_at + dt.timedelta(days=2), tick=False):
                workflow.reply(ticket, by=staff["h-cgzf"], handler_name="城管执法局 李工",
                               handled_at=slot.starts_at + dt.timedelta(days=1), process="组织疏通排水沟并清运淤泥",
                               result="排水沟已疏通", contact_note="电话告知来电人", contacted=True)
                workflow.review_reply(ticket, by=staff["reviewer"], approve=True)


def _rotations(staff: dict[str, Staff], units: dict[str, Unit], *, now: dt.datetime) -> None:
    for code, office, person, days in ROTATIONS:
        day = (now.astimezone(LOCAL_TZ) + dt.timedelta(days=days)).date()
        with time_machine.travel(min(now, _at(day, 8)) - dt.timedelta(days=1), tick=False):
            slots.create_slot(slots.SlotInput(
                kind=DutyKind.UNIT_ROTATION, starts_at=_at(day, 15), ends_at=_at(day, 17), person=person,
                office=office, unit=units[code], scope="本单位职责范围内的疑难工单和来电"), by=staff["manager"])


def _rosters(staff: dict[str, Staff], units: dict[str, Unit], *, now: dt.datetime) -> None:
    """This month's rosters: on time for most 24-hour units, late for one, refused for a gap for another."""
    month = _month_start(now)
    due = rosters.due_at(month)
    people = [("值班员甲", "13907390101"), ("值班员乙", "13907390102"), ("值班员丙", "13907390103")]
    for index, code in enumerate(("gas", "water", "power", "cgzf", "yjj")):
        start, end = rosters.month_bounds(month)
        shifts, cursor, turn = [], start, index
        while cursor < end:
            step = min(cursor + dt.timedelta(hours=8), end)
            name, phone = people[turn % 3]
            shifts.append(rosters.Shift(start=cursor, end=step, person=f"{units[code].name[:4]}{name}", phone=phone))
            cursor, turn = step, turn + 1
        sent = due - dt.timedelta(days=3) if code != "cgzf" else due + dt.timedelta(hours=10)  # cgzf: late (26th)
        by = staff[f"h-{units[code].code}"]
        if code == "yjj":  # first sent with the night of the 3rd uncovered: refused, then corrected
            hole = (_at(month + dt.timedelta(days=2), 2), _at(month + dt.timedelta(days=2), 8))
            gappy = [s for s in shifts if s.end <= hole[0] or s.start >= hole[1]]
            # Refused and recorded for the assessment (Art. 27).
            with time_machine.travel(sent - dt.timedelta(days=1), tick=False), contextlib.suppress(InvalidInput):
                rosters.submit(by=by, unit=units[code], month=month, shifts=gappy)
        with time_machine.travel(sent, tick=False):
            rosters.submit(by=by, unit=units[code], month=month, shifts=shifts)


def _deputies() -> None:
    """Terms for the registered deputies, a township deputy, and one whose term has ended (no longer recognised)."""
    Deputy.objects.filter(term_start__isnull=True).update(term_start=dt.date(2022, 1, 1), term_end=dt.date(2027, 1, 31))
    desk.register_deputy(name="李桂兰", delegation="两市塘街道", level="township", phone="13807390004",
                         term_start=dt.date(2021, 10, 1), term_end=dt.date(2026, 9, 30))
    desk.register_deputy(name="曾志华", delegation="廉桥镇", level="township", phone="13807390005",
                         term_start=dt.date(2021, 10, 1), term_end=dt.date(2031, 9, 30))
