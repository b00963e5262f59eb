"""Supervision and coordination: statuses, transition tables and every closed list of values (STYLE 2, 9)."""

from __future__ import annotations

from django.db import models


class Trigger(models.TextChoices):
    """The eight matters of Art. 24 that start a supervision case (第二十四条第一项 to 第二十四条第八项)."""

    OVERDUE = "overdue", "逾期未办结"
    HOTSPOT = "hotspot", "集中投诉举报的热点、难点"
    DISSATISFIED_AFTER_REWORK = "dissatisfied_after_rework", "重办后仍不满意（承办单位原因）"
    ASSIGNED = "assigned", "市委、市政府交办"
    MEDIA = "media", "新闻媒体曝光"
    IMPACT = "impact", "影响恶劣、影响社会安定团结"
    ASSESSMENT_LOSS = "assessment_loss", "工作失误导致省考核扣分"
    OTHER = "other", "其他需要督办"


# The item of Art. 24 each trigger cites, and the evidence each needs beside its tickets: (field, label) pairs.
TRIGGER_ARTICLES: dict[str, str] = {
    Trigger.OVERDUE: "第二十四条第一项", Trigger.HOTSPOT: "第二十四条第二项",
    Trigger.DISSATISFIED_AFTER_REWORK: "第二十四条第三项", Trigger.ASSIGNED: "第二十四条第四项",
    Trigger.MEDIA: "第二十四条第五项", Trigger.IMPACT: "第二十四条第六项",
    Trigger.ASSESSMENT_LOSS: "第二十四条第七项", Trigger.OTHER: "第二十四条第八项",
}
EVIDENCE: dict[str, tuple[tuple[str, str], ...]] = {
    Trigger.ASSIGNED: (("document_number", "交办文号"),),
    Trigger.MEDIA: (("media_name", "媒体名称"), ("media_link", "报道链接")),
    Trigger.IMPACT: (("description", "影响情况说明"),),
    Trigger.ASSESSMENT_LOSS: (("deduction_notice", "扣分通报文号"),),
    Trigger.OTHER: (("description", "督办理由"),),
}
EVIDENCE_FIELDS = frozenset(name for fields in EVIDENCE.values() for name, _label in fields)
# Opened by a sweep from the tickets themselves (Art. 24(1)-(3)); the rest are opened by a supervisor.
AUTOMATIC_TRIGGERS = (Trigger.OVERDUE, Trigger.HOTSPOT, Trigger.DISSATISFIED_AFTER_REWORK)


class Method(models.TextChoices):
    """How the case is supervised (Art. 24: 系统督办, 电话催办, 现场督办, 发函督办, 召开督办会议)."""

    SYSTEM = "system", "系统督办"
    PHONE = "phone", "电话催办"
    ONSITE = "onsite", "现场督办"
    LETTER = "letter", "发函督办"
    MEETING = "meeting", "召开督办会议"


class CaseStatus(models.TextChoices):
    """Where a case stands; only `hotline.supervision.cases` writes it."""

    OPEN = "open", "督办中"
    ANSWERED = "answered", "已反馈待审"
    CLOSED = "closed", "已办结"
    ESCALATED = "escalated", "已呈报督查室"


CASE_BADGES: dict[str, str] = {
    CaseStatus.OPEN: "primary", CaseStatus.ANSWERED: "info", CaseStatus.CLOSED: "success",
    CaseStatus.ESCALATED: "danger",
}
LIVE_STATUSES = frozenset({CaseStatus.OPEN, CaseStatus.ANSWERED, CaseStatus.ESCALATED})


class CaseAction(models.TextChoices):
    """Every action in a case's log; each function of `cases` writes exactly one."""

    OPEN = "open", "启动督办"
    JOIN = "join", "并入工单"
    URGE = "urge", "催办"
    REPLY = "reply", "单位反馈"
    ACCEPT = "accept", "督办办结"
    SEND_BACK = "send_back", "退回重新办理"
    REQUEST_EXTENSION = "request_extension", "申请延期"
    REVIEW_EXTENSION = "review_extension", "审核延期"
    ESCALATE = "escalate", "呈报市政府督查室"
    # Coordination (Art. 19) writes into the same sealed log, on its own chain.
    FLAG = "flag", "列入疑难工单池"
    MEETING = "meeting", "召开协调会议"
    DECIDE = "decide", "协调确定承办单位"
    UNDETERMINED = "undetermined", "协调未果，提请市政府领导督办"


C = CaseStatus
# Action -> {from status: to status}. `cases._move` checks it; escalation happens once (第二十四条).
CASE_TRANSITIONS: dict[str, dict[str, str]] = {
    CaseAction.JOIN: {C.OPEN: C.OPEN, C.ANSWERED: C.ANSWERED},
    CaseAction.URGE: {C.OPEN: C.OPEN, C.ESCALATED: C.ESCALATED},
    CaseAction.REPLY: {C.OPEN: C.ANSWERED, C.ESCALATED: C.ESCALATED},
    CaseAction.ACCEPT: {C.ANSWERED: C.CLOSED, C.ESCALATED: C.CLOSED},
    CaseAction.SEND_BACK: {C.ANSWERED: C.OPEN},
    CaseAction.REQUEST_EXTENSION: {C.OPEN: C.OPEN},
    CaseAction.REVIEW_EXTENSION: {C.OPEN: C.OPEN, C.ANSWERED: C.ANSWERED},
    CaseAction.ESCALATE: {C.OPEN: C.ESCALATED, C.ANSWERED: C.ESCALATED},
}


class UrgeMethod(models.TextChoices):
    PHONE = "phone", "电话"
    SMS = "sms", "短信"
    ONSITE = "onsite", "现场"
    NOTICE = "notice", "催办通知书"


class Colour(models.TextChoices):
    """Warning colours of a running clock (WAVE2 §1, after SQ): blue near, yellow on the due day, red overdue."""

    NONE = "", "正常"
    BLUE = "blue", "蓝色预警"
    YELLOW = "yellow", "黄色预警"
    RED = "red", "红色预警"


COLOUR_BADGES: dict[str, str] = {Colour.NONE: "secondary", Colour.BLUE: "primary", Colour.YELLOW: "warning",
                                 Colour.RED: "danger"}


class ProposalState(models.TextChoices):
    """An automatic trigger fired: the case it opened, or a proposal waiting in the supervisor's queue."""

    PROPOSED = "proposed", "待确认"
    OPENED = "opened", "已立案"
    DISMISSED = "dismissed", "不予督办"


class CoordinationStatus(models.TextChoices):
    """A difficult matter (Art. 19): in the pool, decided (owner fixed) or escalated to a city leader."""

    POOL = "pool", "待协调"
    DECIDED = "decided", "已明确承办单位"
    UNDETERMINED = "undetermined", "已提请市政府领导督办"


class FlagSource(models.TextChoices):
    AUTO = "auto", "系统标记"
    MANUAL = "manual", "人工列入"
