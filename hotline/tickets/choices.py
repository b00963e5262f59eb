"""Ticket statuses, the transition table and every closed list of values, with Chinese labels (STYLE 2, 9)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    """Where a ticket stands (DESIGN §3); only `tickets.workflow` writes it."""

    PENDING_DISPATCH = "pending_dispatch", "待派单"
    CONSULTING = "consulting", "咨询中"
    ANSWERED = "answered", "已直接答复"
    DECLINED = "declined", "不予受理"
    DISPATCHED = "dispatched", "待签收"
    # Handed down to a county sub-centre, or passed up to the city, until the receiving platform signs (Art. 30).
    TRANSFERRING = "transferring", "待平台签收"
    RETURN_REQUESTED = "return_requested", "退回待审"
    IN_PROGRESS = "in_progress", "办理中"
    REPLIED = "replied", "办结待审"
    RESOLVED = "resolved", "已办结"
    CLOSED = "closed", "已归档"
    MERGED = "merged", "已并单"
    HANDED_OFF = "handed_off", "已联动转出"


# Bootstrap 5 badge classes per status, the one mapping the screens use.
STATUS_BADGES: dict[str, str] = {
    Status.PENDING_DISPATCH: "warning",
    Status.CONSULTING: "info",
    Status.ANSWERED: "success",
    Status.DECLINED: "secondary",
    Status.DISPATCHED: "warning",
    Status.TRANSFERRING: "warning",
    Status.RETURN_REQUESTED: "danger",
    Status.IN_PROGRESS: "primary",
    Status.REPLIED: "info",
    Status.RESOLVED: "success",
    Status.CLOSED: "dark",
    Status.MERGED: "secondary",
    Status.HANDED_OFF: "secondary",
}

OPEN_STATUSES = frozenset({
    Status.PENDING_DISPATCH, Status.CONSULTING, Status.DISPATCHED, Status.RETURN_REQUESTED, Status.IN_PROGRESS,
    Status.REPLIED, Status.TRANSFERRING,
})


class Action(models.TextChoices):
    """Every action recorded in the event log; each workflow function writes exactly one."""

    ACCEPT = "accept", "受理"
    DECLINE = "decline", "不予受理"
    ANSWER = "answer", "直接答复"
    CONSULT = "consult", "咨询单位"
    CONSULT_REPLY = "consult_reply", "单位答复咨询"
    DISPATCH = "dispatch", "转派"
    SIGN = "sign", "签收"
    DEEM_SIGNED = "deem_signed", "视为签收"
    REQUEST_RETURN = "request_return", "申请退回"
    REVIEW_RETURN = "review_return", "审核退回"
    REQUEST_EXTENSION = "request_extension", "申请延期"
    REVIEW_EXTENSION = "review_extension", "审核延期"
    REPLY = "reply", "办结反馈"
    REVIEW_REPLY = "review_reply", "审核办结"
    FOLLOW_UP = "follow_up", "回访"
    REWORK = "rework", "发回重办"
    MERGE = "merge", "并单"
    HAND_OFF = "hand_off", "联动转出"
    CONTACT_ATTEMPT = "contact_attempt", "联系服务对象"
    ARRIVE = "arrive", "到场处置"
    MARK_OVERDUE = "mark_overdue", "超时"
    WARN = "warn", "临期提醒"
    # Units' appeals against a dissatisfied rating (Art. 25): records of hotline.followups, logged here.
    APPEAL = "appeal", "申诉"
    REVIEW_APPEAL = "review_appeal", "审核申诉"
    REDISPATCH = "redispatch", "协调改派"
    # A lower platform's status report on a ticket we sent down (Art. 27): a record of hotline.exchange, logged here.
    LOWER_REPORT = "lower_report", "下级平台回报"
    # Hops between the platforms of one deployment (Art. 30): down to a county sub-centre, up to the city, signed.
    HAND_DOWN = "hand_down", "下派分中心"
    PASS_UP = "pass_up", "上交上级平台"
    PLATFORM_SIGN = "platform_sign", "平台签收"


# Actions a unit's own staff take: such an event is about the acting unit. Every other action about a unit (dispatch,
# deemed signing, reviews, rework, sweeps' alerts, follow-up calls) is taken by the hotline or the system and is about
# the ticket's lead unit at that moment (`Event.about_unit`; statistics, Art. 26, 27).
UNIT_ACTIONS = (Action.SIGN, Action.REQUEST_RETURN, Action.REQUEST_EXTENSION, Action.REPLY, Action.ARRIVE)

S = Status
# The transition table: action -> {from status: possible to statuses}. One helper checks it (workflow._move).
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Action.DECLINE: {S.PENDING_DISPATCH: frozenset({S.DECLINED})},
    Action.ANSWER: {S.PENDING_DISPATCH: frozenset({S.ANSWERED}), S.CONSULTING: frozenset({S.ANSWERED})},
    Action.CONSULT: {S.PENDING_DISPATCH: frozenset({S.CONSULTING})},
    # The consulted unit's answer goes to the operator; the ticket stays consulting until the operator answers.
    Action.CONSULT_REPLY: {S.CONSULTING: frozenset({S.CONSULTING})},
    Action.DISPATCH: {S.PENDING_DISPATCH: frozenset({S.DISPATCHED}), S.CONSULTING: frozenset({S.DISPATCHED})},
    Action.SIGN: {S.DISPATCHED: frozenset({S.IN_PROGRESS})},
    Action.DEEM_SIGNED: {S.DISPATCHED: frozenset({S.IN_PROGRESS})},
    Action.REQUEST_RETURN: {
        S.DISPATCHED: frozenset({S.RETURN_REQUESTED}), S.IN_PROGRESS: frozenset({S.RETURN_REQUESTED}),
    },
    Action.REVIEW_RETURN: {S.RETURN_REQUESTED: frozenset({S.PENDING_DISPATCH, S.DISPATCHED, S.IN_PROGRESS})},
    Action.REQUEST_EXTENSION: {S.IN_PROGRESS: frozenset({S.IN_PROGRESS})},
    Action.REVIEW_EXTENSION: {S.IN_PROGRESS: frozenset({S.IN_PROGRESS}), S.REPLIED: frozenset({S.REPLIED})},
    Action.REPLY: {S.IN_PROGRESS: frozenset({S.REPLIED})},
    Action.REVIEW_REPLY: {S.REPLIED: frozenset({S.RESOLVED, S.IN_PROGRESS})},
    # A merged requester's own follow-up leaves the merged ticket where it is (并单; Art. 17).
    Action.FOLLOW_UP: {S.RESOLVED: frozenset({S.CLOSED, S.RESOLVED}), S.MERGED: frozenset({S.MERGED})},
    Action.REWORK: {S.RESOLVED: frozenset({S.IN_PROGRESS})},
    Action.MERGE: {S.PENDING_DISPATCH: frozenset({S.MERGED}), S.CONSULTING: frozenset({S.MERGED})},
    Action.HAND_OFF: {S.PENDING_DISPATCH: frozenset({S.HANDED_OFF}), S.CONSULTING: frozenset({S.HANDED_OFF})},
    Action.CONTACT_ATTEMPT: {S.CONSULTING: frozenset({S.CONSULTING}), S.IN_PROGRESS: frozenset({S.IN_PROGRESS})},
    Action.ARRIVE: {S.DISPATCHED: frozenset({S.DISPATCHED}), S.IN_PROGRESS: frozenset({S.IN_PROGRESS})},
    # Art. 19: the owner fixed by coordination takes the ticket wherever it stood before reply.
    Action.REDISPATCH: {s: frozenset({S.DISPATCHED}) for s in (S.PENDING_DISPATCH, S.DISPATCHED, S.RETURN_REQUESTED,
                                                                S.IN_PROGRESS)},
    # Art. 30: a platform's desk sends a ticket it holds and has not dispatched to the platform below or above;
    # that platform's desk signs it (or it is deemed signed at the deadline) and it waits there for dispatch.
    Action.HAND_DOWN: {S.PENDING_DISPATCH: frozenset({S.TRANSFERRING})},
    Action.PASS_UP: {S.PENDING_DISPATCH: frozenset({S.TRANSFERRING})},
    Action.PLATFORM_SIGN: {S.TRANSFERRING: frozenset({S.PENDING_DISPATCH})},
}


class Channel(models.TextChoices):
    """Where the contact came from (Art. 2, 7, 8, 18)."""

    PHONE = "phone", "电话"
    WEB = "web", "网站"
    WECHAT = "wechat", "微信"
    APP = "app", "移动应用"
    SMS = "sms", "短信"
    POLICE_110 = "police_110", "110转接"
    DEPUTY = "deputy", "人大代表"
    LEADER_DAY = "leader_day", "领导接听日"
    UPPER = "upper", "上级交办"  # an order sent down by the provincial platform (Art. 27; "上级派发")


class RequestType(models.TextChoices):
    """The kind of request (Art. 9, 14)."""

    CONSULTATION = "consultation", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"


class DeclineReason(models.TextChoices):
    """Art. 10: the ten reasons a request is not accepted."""

    SECRETS = "1", "涉及国家机密、商业机密、个人隐私的事项"
    LEGAL_ROUTE = "2", "已经或应当通过诉讼、仲裁、行政复议等法律途径解决的事项"
    PETITION = "3", "已经信访程序受理、处理或者终结的事项"
    REPEATED = "4", "同一服务对象的同一事项已受理、正在办理或已办结，且无新情况、新理由"
    UNLAWFUL = "5", "违反法律法规、社会公序良俗的事项"
    PARTY_CONGRESS = "6", "属于党委、人大、政协管辖范围的事项"
    MILITARY = "7", "涉及军队、武警职责范围的事项"
    OUT_OF_JURISDICTION = "8", "非热线本级所界定的行政职权管辖范围的事项"
    NUISANCE = "9", "骚扰电话"
    OTHER = "10", "其它不予受理情况"


class UpperFlag(models.TextChoices):
    """Orders the upper platform marks for the assessment's higher-level items (Art. 27 上级考评)."""

    NONE = "", "—"
    STATE_COUNCIL = "state_council", "国办工单"
    LEADER = "leader", "领导批示件"


class EmergencyLine(models.TextChoices):
    """Art. 7: emergency lines a ticket can be handed off to."""

    POLICE = "110", "110 报警服务台"
    FIRE = "119", "119 消防救援"
    AMBULANCE = "120", "120 急救"
    TRAFFIC = "122", "122 交通事故"


class AssignmentRole(models.TextChoices):
    """Art. 12: one lead unit, others assist."""

    LEAD = "lead", "牵头"
    ASSIST = "assist", "会同"


class ReturnKind(models.TextChoices):
    """Art. 13: a desk return on the signing day, or after on-site verification within 2 working days."""

    DESK = "desk", "签收当日退回"
    ONSITE = "onsite", "现场核实后退回"


class ReviewState(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "通过"
    REJECTED = "rejected", "不通过"


class Satisfaction(models.TextChoices):
    """GB/T 39734 five levels."""

    VERY_SATISFIED = "5", "非常满意"
    SATISFIED = "4", "满意"
    NEUTRAL = "3", "基本满意"
    DISSATISFIED = "2", "不满意"
    VERY_DISSATISFIED = "1", "非常不满意"


DISSATISFIED_LEVELS = frozenset({Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED})


# ---------------------------------------------------------------- follow-up records and appeals (Art. 17, 25)


class FollowUpChannel(models.TextChoices):
    """How a follow-up record came in: an agent's call, or the requester's own rating (Art. 17 全面回访)."""

    CALL = "call", "电话回访"
    PORTAL = "portal", "网站评价"
    SMS = "sms", "短信评价"


class Fault(models.TextChoices):
    """Whose fault a dissatisfied rating is; only the unit's own sends the ticket back (Art. 17 主观原因)."""

    UNIT = "unit", "承办单位原因"
    POLICY = "policy", "政策原因"
    REQUESTER = "requester", "服务对象原因"
    OBJECTIVE = "objective", "客观条件限制"


class UnitContactMethod(models.TextChoices):
    """How the unit contacted the requester, as the requester tells it on the follow-up call (Art. 15, 17)."""

    PHONE = "phone", "电话"
    VISIT = "visit", "上门或现场"
    SMS = "sms", "短信或微信"
    OTHER = "other", "其他"


class AppealGround(models.TextChoices):
    """Art. 25: the grounds on which a unit may appeal a dissatisfied rating."""

    LAWFUL_HANDLING = "lawful_handling", "已依法依规办结（调解、执法类），群众仍不满意"
    UNTRUE = "untrue", "服务对象反映情况不属实"
    POLICY = "policy", "政策原因暂时无法解决"
    MALICIOUS = "malicious", "恶意投诉、浪费行政资源（第二十九条）"


class AppealState(models.TextChoices):
    PENDING = "pending", "待审核"
    UPHELD = "upheld", "申诉成立"
    REJECTED = "rejected", "申诉不成立"


class EvidenceKind(models.TextChoices):
    CONTACT_PROOF = "contact_proof", "与服务对象沟通联系证明"
    OTHER = "other", "其他依据"


class AttachmentPurpose(models.TextChoices):
    INTAKE = "intake", "受理材料"
    RETURN_PHOTO = "return_photo", "退回现场图片"
    REPLY = "reply", "办结材料"
    ARRIVAL = "arrival", "到场照片"


class AlertKind(models.TextChoices):
    WARNING = "warning", "临期"
    BREACH = "breach", "超时"
