"""Demo supervision and coordination (Art. 19, 24): cases in every state, opened by each automatic trigger and by
hand, replayed through the real functions at past moments like the tickets, so every screen has something to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import time_machine
from django.test import override_settings

from hotline.directory.models import Staff, Topic, Unit
from hotline.supervision import cases, coordination, sweeps, triggers
from hotline.tickets import workflow
from hotline.tickets.models import Ticket


class _Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def at(self, days_ago: float, call: Callable[[], Any]) -> Any:
        with time_machine.travel(self.now - dt.timedelta(days=days_ago), tick=False):
            return call()


def _ticket(clock: _Clock, staff: dict[str, Staff], unit: Unit, topic: Topic | None, days_ago: float,
            content: str, *, sign: bool = True) -> Ticket:
    def make() -> Ticket:
        ticket = workflow.create_ticket(by=staff["operator"], channel="phone", request_type="complaint",
                                        content=content, address="邵阳市双清区", topic=topic,
                                        requester={"name": "市民", "phone": "13907391234"})
        workflow.dispatch(ticket, by=staff["dispatcher"], lead_unit=unit)
        return workflow.sign(ticket, by=staff[f"h-{unit.code}"]) if sign else ticket

    return clock.at(days_ago, make)


def _finish(clock: _Clock, staff: dict[str, Staff], ticket: Ticket, days_ago: float) -> None:
    handler = staff[f"h-{ticket.lead_unit.code}"] if ticket.lead_unit else staff["operator"]

    def done() -> None:
        workflow.reply(ticket, by=handler, handler_name="经办人", handled_at=clock.now - dt.timedelta(days=days_ago),
                       process="现场核查并整改", result="问题已解决", contact_note="电话告知服务对象", contacted=True)
        workflow.review_reply(ticket, by=staff["reviewer"], approve=True)

    clock.at(days_ago, done)


def build(staff: dict[str, Staff], units: dict[str, Unit], topics: dict[str, Topic], *, now: dt.datetime) -> None:
    """Six cases (automatic overdue → escalated, dissatisfied after rework → closed, hotspot → open by the
    supervisor, media → answered after an extension, assigned → open and red, other → proposal dismissed) and three
    difficult matters (decided with 推诿, undetermined → trigger-(4) case, waiting in the pool)."""
    clock = _Clock(now)
    boss = staff["supervisor"]
    cgzf, zjj, gas = units["cgzf"], units["zjj"], units["gas"]
    topic = next(iter(topics.values()), None)

    # Art. 24(1): an overdue ticket; the sweep opens a system case, the supervisor urges, then escalates.
    late = _ticket(clock, staff, cgzf, topic, 26, "宝庆路人行道破损严重，多次反映未修复")
    with override_settings(SUPERVISION_AUTO_MODE="open"):
        clock.at(17, lambda: sweeps.supervise_one_overdue())
    case = late.supervision_cases.get()
    clock.at(16, lambda: cases.urge(case, by=boss, method="phone", person_reached="城管执法局王科长",
                                    promise="三个工作日内修复"))
    escalate_at = case.current_due + dt.timedelta(hours=2)  # after the due, whatever holidays lie between
    if escalate_at < now:
        clock.at((now - escalate_at) / dt.timedelta(days=1), lambda: cases.escalate(
            case, by=boss, note="经系统督办、电话催办仍未解决，呈报市政府督查室"))

    # Art. 24(3): dissatisfied again after rework through the unit's fault; the unit answers, the case is closed.
    again = _ticket(clock, staff, zjj, topic, 24, "小区二次供水水压不足，住户无法正常用水")
    _finish(clock, staff, again, 22)
    # Dissatisfied through the unit's fault: back to the unit for rework in the same step (Art. 17).
    clock.at(21, lambda: workflow.follow_up(again, by=staff["followup"], reached=True, satisfaction="2", solved=False,
                                           unit_contacted=False, fault="unit", note="承办单位未联系服务对象"))
    _finish(clock, staff, again, 18)
    clock.at(17, lambda: workflow.follow_up(again, by=staff["followup"], reached=True, satisfaction="1", solved=False,
                                           unit_contacted=True, unit_contact_method="phone", fault="unit",
                                           note="重办后仍未解决"))
    with override_settings(SUPERVISION_AUTO_MODE="open"):
        clock.at(17, lambda: sweeps.supervise_one_dissatisfied())
    case = again.supervision_cases.get()
    clock.at(15, lambda: cases.reply(case, by=staff["h-zjj"], actions_taken="约谈物业并更换加压泵",
                                     result="水压恢复正常，服务对象认可", evidence="现场照片、检测记录"))
    # The unit's rework is replied and approved before the supervisor closes the case (Art. 24: all its tickets done).
    _finish(clock, staff, again, 14.5)
    clock.at(14, lambda: cases.accept(case, by=boss, note="整改到位，同意办结"))

    # Art. 24(2): the hotspot the channels built is proposed by the sweep; the supervisor opens it by meeting.
    clock.at(0.01, lambda: sweeps.supervise_one_hotspot())
    spots = [group[0].pk for group in triggers.proposals() if group[0].rule == "hotspot"]
    if spots:
        clock.at(0.005, lambda: triggers.open_proposal(spots[0], by=boss, method="meeting",
                                                       units=[units["shuangqing"]]))

    # Art. 24(5), by hand: media exposure; the unit asks for and gets an extension, then answers.
    media = _ticket(clock, staff, cgzf, topic, 6, "夜市占道经营堵塞消防通道")
    case = clock.at(5, lambda: cases.open_case(
        by=boss, trigger="media", method="onsite", tickets=[media], title="媒体曝光：夜市占道经营堵塞消防通道",
        evidence={"media_name": "邵阳日报", "media_link": "https://www.shaoyangnews.net/"}))
    clock.at(4, lambda: cases.request_extension(case, by=staff["h-cgzf"], working_days=5, reason="涉及多部门联合整治"))
    clock.at(3.9, lambda: cases.review_extension(case, by=boss, approve=True))
    clock.at(1, lambda: cases.reply(case, by=staff["h-cgzf"], actions_taken="联合执法清理占道摊点",
                                    result="消防通道已畅通", evidence="执法记录"))

    # Art. 24(4), by hand: assigned by the city government, by letter; overdue, red on every desk.
    assigned = _ticket(clock, staff, gas, topic, 20, "老旧小区燃气管道锈蚀存在安全隐患")
    case = clock.at(16, lambda: cases.open_case(
        by=boss, trigger="assigned", method="letter", tickets=[assigned], title="市政府交办：老旧小区燃气管道隐患",
        evidence={"document_number": "邵政督交〔2026〕8号"}))
    clock.at(2, lambda: cases.urge(case, by=boss, method="notice", person_reached="燃气总公司李经理",
                                   promise="本周内完成排查"))

    # Art. 19: three difficult matters.
    shared = _ticket(clock, staff, cgzf, topic, 10, "河道边违章搭建，城管与住建互相推诿", sign=False)
    clock.at(9.9, lambda: workflow.request_return(shared, by=staff["h-cgzf"], kind="desk", reason="不属本单位职责",
                                                  basis="违建认定属住建部门"))
    clock.at(9.8, lambda: workflow.review_return(shared, by=staff["reviewer"], approve=True))
    coord = clock.at(9.7, lambda: coordination.flag(shared, by=boss, reason="职责交叉，单位互相退回"))
    minutes = "经协调，河道违建由城管执法局牵头拆除"
    clock.at(8, lambda: coordination.record_meeting(coord, by=boss, meeting_at=now - dt.timedelta(days=8),
                                                    units_present=[cgzf, zjj], minutes=minutes))
    clock.at(7.9, lambda: coordination.decide(coord, by=boss, lead_unit=cgzf, assisting_units=[zjj],
                                              basis="市政府办公室职责分工通知", update_catalogue=False))
    unclear = _ticket(clock, staff, zjj, topic, 8, "开发商跑路，小区配套设施无人移交")
    coord = clock.at(7, lambda: coordination.flag(unclear, by=boss, reason="责任主体不明"))
    clock.at(6, lambda: coordination.undetermined(coord, by=boss, leader="分管副市长", note="多次协调无法确定"))
    waiting = _ticket(clock, staff, zjj, topic, 3, "公共绿地被改为停车场，多部门均称不归本单位管")
    clock.at(2, lambda: coordination.flag(waiting, by=boss, reason="职责不明，待召开协调会"))
