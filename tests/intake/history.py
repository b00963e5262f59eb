"""A small ticket history made through the workflow functions, for training and suggestion tests."""

from __future__ import annotations

from django.utils import timezone

from hotline.directory.models import Topic, Unit
from hotline.tickets import workflow
from hotline.tickets.choices import ReturnKind
from hotline.tickets.models import Ticket
from tests.base import PersonaMixin

# Three matters with their own words, each handled by its own unit.
STREETLIGHT = ["小区门口路灯不亮已经一周晚上很黑", "路灯坏了好几天没人修理", "街边路灯一直闪烁不亮请尽快维修",
               "人行道路灯损坏夜间出行不安全", "公园旁路灯不亮存在安全隐患", "路灯线路老化晚上整条街没有照明",
               "路口路灯倒伏需要维修", "小巷路灯不亮老人晚上摔倒"]
HOUSING = ["公租房申请审核进度一直没有消息", "廉租房配租资格怎么审核", "申请公共租赁住房需要什么材料",
           "保障性住房轮候排队太久", "公租房租金补贴发放延迟", "住房保障资格复核结果有异议",
           "公租房分配不公平要求公开名单", "经济适用房申请条件咨询"]
NOISE = ["楼下烧烤店深夜噪音扰民无法入睡", "工地夜间施工噪音很大影响休息", "广场舞音响声音太大噪音扰民",
         "酒吧深夜音乐噪音扰民", "装修电钻噪音中午不停", "夜市摊贩喇叭叫卖噪音扰民严重",
         "KTV深夜唱歌噪音扰民", "商铺门口音箱噪音太大"]


def resolved_through(case: PersonaMixin, content: str, unit: Unit, handler: object, topic: Topic,
                     address: str = "双清区龙须塘街道") -> Ticket:
    """Accepted, dispatched to `unit`, signed and replied: the unit kept it."""
    ticket = workflow.create_ticket(by=case.operator, channel="phone", request_type="complaint", content=content,
                                    address=address, topic=topic)
    workflow.dispatch(ticket, by=case.dispatcher, lead_unit=unit)
    workflow.sign(ticket, by=handler)  # type: ignore[arg-type]
    workflow.reply(ticket, by=handler, handler_name="经办人", handled_at=timezone.now(),  # type: ignore[arg-type]
                   process="已处理", result="已办结", contact_note="已电话联系", contacted=True)
    return ticket


def returned_then_redispatched(case: PersonaMixin, content: str, topic: Topic) -> Ticket:
    """First sent to unit B, returned by B the same day, then sent to unit A, which kept it (第十三条)."""
    ticket = workflow.create_ticket(by=case.operator, channel="phone", request_type="complaint", content=content,
                                    address="双清区龙须塘街道", topic=topic)
    workflow.dispatch(ticket, by=case.dispatcher, lead_unit=case.unit_b)
    workflow.request_return(ticket, by=case.unit_b_handler, kind=ReturnKind.DESK, reason="不属于本单位职责",
                            basis="三定方案", suggested_unit=case.unit_a)
    workflow.review_return(ticket, by=case.reviewer, approve=True)
    workflow.dispatch(ticket, by=case.dispatcher, lead_unit=case.unit_a)
    workflow.sign(ticket, by=case.unit_a_handler)
    workflow.reply(ticket, by=case.unit_a_handler, handler_name="经办人", handled_at=timezone.now(),
                   process="已处理", result="已办结", contact_note="已电话联系", contacted=True)
    return ticket


def make_history(case: PersonaMixin) -> None:
    """24 kept tickets: street lights to unit A (市城管), noise to unit C (区城管), housing to unit B (住建)."""
    topics = {t.code: t for t in Topic.objects.all()}
    for text in STREETLIGHT:
        resolved_through(case, text, case.unit_a, case.unit_a_handler, topics["0101"])
    for text in NOISE:
        resolved_through(case, text, case.unit_c, case.unit_c_handler, topics["0103"])
    for text in HOUSING:
        resolved_through(case, text, case.unit_b, case.unit_b_handler, topics["02"])
