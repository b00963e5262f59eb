"""Every action form of the ticket page: its form, the workflow call it makes, and who sees it when.

`allowed` only decides which forms the page offers; the workflow function checks role, unit and status again
and is the authority (STYLE 1, 7). `perform` is one workflow call: no status is written here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django import forms

from hotline.directory.models import Staff
from hotline.lib.errors import InvalidInput, NotFound
from hotline.tickets import workflow
from hotline.tickets.access import access_ticket
from hotline.tickets.choices import TRANSITIONS, Action, ReviewState, Status
from hotline.tickets.models import Ticket
from hotline.web import forms as web_forms

Perform = Callable[[Ticket, Staff, Any], object]
Allowed = Callable[[Staff, Ticket], bool]


@dataclass(frozen=True)
class TicketAction:
    """One verb of `/tickets/<number>/<verb>/`."""

    verb: str
    label: str
    form: type[forms.Form]
    perform: Perform
    allowed: Allowed
    button: str = "primary"
    hint: str = ""


def _status_allows(action: str, ticket: Ticket) -> bool:
    return ticket.status in TRANSITIONS[action]


def _roles(action: str, roles: Collection[str]) -> Allowed:
    return lambda user, ticket: user.role in roles and _status_allows(action, ticket)


def _lead_unit(action: str) -> Allowed:
    return lambda user, ticket: (user.role in workflow.UNIT_ROLES and user.unit_id is not None
                                 and user.unit_id == ticket.lead_unit_id and _status_allows(action, ticket))


def _and(first: Allowed, condition: Callable[[Ticket], bool]) -> Allowed:
    return lambda user, ticket: first(user, ticket) and condition(ticket)


def _pending(related: str) -> Callable[[Ticket], bool]:
    return lambda ticket: getattr(ticket, related).filter(state=ReviewState.PENDING).exists()


def _extension_unused(ticket: Ticket) -> bool:
    return not ticket.extension_count and not ticket.extension_requests.exclude(state=ReviewState.REJECTED).exists()


def _rework_due(ticket: Ticket) -> bool:
    latest = ticket.follow_ups.order_by("-at", "-id").first()
    return latest is not None and latest.unit_at_fault


def _can_arrive(user: Staff, ticket: Ticket) -> bool:
    return (user.role in workflow.UNIT_ROLES and ticket.arrival_due is not None and ticket.arrived_at is None
            and _status_allows(Action.ARRIVE, ticket)
            and user.unit_id is not None
            and ticket.assignments.filter(is_active=True, unit_id=user.unit_id).exists())


def _can_answer_consultation(user: Staff, ticket: Ticket) -> bool:
    return (user.role in workflow.UNIT_ROLES and user.unit_id is not None and user.unit_id == ticket.consult_unit_id
            and _status_allows(Action.CONSULT_REPLY, ticket) and workflow.consultation_answered(ticket) is None)


def _holds(user: Staff, ticket: Ticket) -> bool:
    """The user's desk is the platform holding the ticket (Art. 30)."""
    return user.role in workflow.DISPATCH_ROLES and user.platform_id == ticket.platform_id


def _can_hand_down(user: Staff, ticket: Ticket) -> bool:
    return (_holds(user, ticket) and _status_allows(Action.HAND_DOWN, ticket)
            and ticket.platform.children.exists())


def _can_pass_up(user: Staff, ticket: Ticket) -> bool:
    return _holds(user, ticket) and _status_allows(Action.PASS_UP, ticket) and ticket.platform.parent_id is not None


def _can_sign_transfer(user: Staff, ticket: Ticket) -> bool:
    return _holds(user, ticket) and _status_allows(Action.PLATFORM_SIGN, ticket)


def _can_contact(user: Staff, ticket: Ticket) -> bool:
    if user.is_hotline:
        return _roles(Action.CONTACT_ATTEMPT, workflow.INTAKE_ROLES | workflow.FOLLOWUP_ROLES)(user, ticket)
    return _lead_unit(Action.CONTACT_ATTEMPT)(user, ticket)


# ---------------------------------------------------------------- the workflow calls


def _merge(ticket: Ticket, user: Staff, form: Any) -> object:
    try:
        into = access_ticket(user, form.cleaned_data["into"].strip())
    except NotFound as exc:
        # The target is typed by hand: an unknown number is a mistake in the form, not a missing page.
        raise InvalidInput("并入的工单不存在", field="into", code="merge_target_not_found") from exc
    return workflow.merge(ticket, by=user, into=into, note=form.cleaned_data["note"])


def _dispatch(ticket: Ticket, user: Staff, form: Any) -> object:
    data = form.cleaned_data
    return workflow.dispatch(ticket, by=user, lead_unit=data["lead_unit"],
                             assisting_units=list(data["assisting_units"]), note=data["note"])


def _request_return(ticket: Ticket, user: Staff, form: Any) -> object:
    data = form.cleaned_data
    return workflow.request_return(ticket, by=user, kind=data["kind"], reason=data["reason"], basis=data["basis"],
                                   suggested_unit=data["suggested_unit"], photos=data["photos"])


def _reply(ticket: Ticket, user: Staff, form: Any) -> object:
    return workflow.reply(ticket, by=user, **form.cleaned_data)


def _follow_up(ticket: Ticket, user: Staff, form: Any) -> object:
    return workflow.follow_up(ticket, by=user, **form.cleaned_data)


def _review(func: Callable[..., object]) -> Perform:
    return lambda ticket, user, form: func(ticket, by=user, approve=form.approve, note=form.cleaned_data["note"])


def _fields(func: Callable[..., object]) -> Perform:
    """A workflow call whose keyword arguments are exactly the form's fields."""
    return lambda ticket, user, form: func(ticket, by=user, **form.cleaned_data)


F = web_forms
A = Action
_INTAKE, _DISPATCH = workflow.INTAKE_ROLES, workflow.DISPATCH_ROLES
_REVIEW, _FOLLOWUP = workflow.REVIEW_ROLES, workflow.FOLLOWUP_ROLES

ACTIONS: dict[str, TicketAction] = {a.verb: a for a in (
    TicketAction("dispatch", "转派承办单位", F.DispatchForm, _dispatch, _roles(A.DISPATCH, _DISPATCH),
                 hint="2小时内转派（第十三条）；多个单位时确定一个牵头单位（第十二条）"),
    TicketAction("platform_sign", "签收（平台移交）", F.EmptyForm,
                 lambda t, u, f: workflow.sign_transfer(t, by=u), _can_sign_transfer,
                 hint="1个工作日内签收，签收后本平台2小时内转派（第十三条、第三十条）"),
    TicketAction("hand_down", "下派分中心", F.HandDownForm, _fields(workflow.hand_down), _can_hand_down, "info",
                 "属区县事项的，整件下派区县分中心，由其签收后转派本级单位；办结反馈回到本平台审核、回访（第三十条）"),
    TicketAction("pass_up", "上交上级平台", F.PassUpForm, _fields(workflow.pass_up), _can_pass_up, "secondary",
                 "属市直部门办理的事项，说明理由后上交市中心，由其签收并转派（第三十条）"),
    TicketAction("answer", "直接答复", F.AnswerForm, _fields(workflow.answer), _roles(A.ANSWER, _INTAKE), "success",
                 "可依据知识库直接答复的，当场办结（第十二条第一项）"),
    TicketAction("consult", "咨询相关单位", F.ConsultForm, _fields(workflow.consult), _roles(A.CONSULT, _INTAKE),
                 "info", "经服务对象同意，24小时内答复（第十二条第一项）"),
    TicketAction("consult_reply", "答复热线咨询", F.ConsultReplyForm, _fields(workflow.answer_consultation),
                 _can_answer_consultation, "info", "热线须在咨询后24小时内答复服务对象，请尽快答复（第十二条第一项）"),
    TicketAction("decline", "不予受理", F.DeclineForm, _fields(workflow.decline), _roles(A.DECLINE, _INTAKE),
                 "secondary", "须选择第十条规定的原因并告知服务对象"),
    TicketAction("merge", "并单", F.MergeForm, _merge, _roles(A.MERGE, _INTAKE), "secondary",
                 "同一事项重复来电并入原工单，仍单独回访"),
    TicketAction("hand_off", "联动转出", F.HandOffForm, _fields(workflow.hand_off), _roles(A.HAND_OFF, _INTAKE),
                 "danger", "紧急事项转110、119、120、122（第七条）"),
    TicketAction("sign", "签收", F.EmptyForm, lambda t, u, f: workflow.sign(t, by=u), _lead_unit(A.SIGN),
                 hint="1个工作日内签收，签收后开始计算办理时限（第十三条、第十四条）"),
    TicketAction("arrive", "记录到场处置", F.ArrivalForm, _fields(workflow.record_arrival), _can_arrive, "warning",
                 "油烟、噪音等扰民事项1小时内到场处置（第二十条）"),
    TicketAction("reply", "办结反馈", F.ReplyForm, _reply, _lead_unit(A.REPLY), "success",
                 "写明办理机构或人员、时间、过程、结果及联系服务对象情况（第十五条）"),
    TicketAction("request_extension", "申请延期", F.ExtensionForm, _fields(workflow.request_extension),
                 _and(_lead_unit(A.REQUEST_EXTENSION), _extension_unused), "warning",
                 "时限届满前申请，原则上只能延期1次、不超过10个工作日（第十四条）"),
    TicketAction("return", "申请退回", F.ReturnForm, _request_return,
                 _and(_lead_unit(A.REQUEST_RETURN), lambda t: not t.rework_count), "danger",
                 "签收当日退回，或现场核实后2个工作日内退回并提出建议承办单位（第十三条）"),
    TicketAction("contact_attempt", "联系服务对象", F.ContactAttemptForm, _fields(workflow.record_contact_attempt),
                 _can_contact, "secondary", "联系不上的咨询类工单，24小时内至少联系3次（第十四条第二项）"),
    TicketAction("review_return", "审核退回", F.ReviewForm, _review(workflow.review_return),
                 _roles(A.REVIEW_RETURN, _REVIEW), hint="通过则回到待派单，不通过则原单位继续办理（第十三条）"),
    TicketAction("review_extension", "审核延期", F.ReviewForm, _review(workflow.review_extension),
                 _and(_roles(A.REVIEW_EXTENSION, _REVIEW), _pending("extension_requests")),
                 hint="通过后办理时限顺延并告知服务对象（第十四条）"),
    TicketAction("review_reply", "审核办结", F.ReviewForm, _review(workflow.review_reply),
                 _roles(A.REVIEW_REPLY, _REVIEW), hint="不通过的退回承办单位继续办理（第十六条）"),
    TicketAction("follow_up", "回访", F.FollowUpForm, _follow_up, _roles(A.FOLLOW_UP, _FOLLOWUP),
                 hint="满意或非承办单位原因不满意的归档；承办单位原因不满意的发回重办（第十七条）"),
    TicketAction("rework", "发回重办", F.ReworkForm, _fields(workflow.rework),
                 _and(_roles(A.REWORK, _FOLLOWUP | _REVIEW), _rework_due), "danger", "重办时限5个工作日（第十七条）"),
)}


def initial_for(action: TicketAction, ticket: Ticket) -> dict[str, Any]:
    """Sensible defaults: the suggested unit from an approved return, else the topic's catalogue unit."""
    if action.verb == "dispatch":
        unit = ticket.suggested_unit or (ticket.topic.default_unit if ticket.topic else None)
        return {"lead_unit": unit} if unit else {}
    if action.verb == "answer":
        # After consulting, the unit's answer is what the operator tells the requester (Art. 12(1)).
        answered = workflow.consultation_answered(ticket)
        return {"text": answered.text} if answered else {}
    return {}


def available(user: Staff, ticket: Ticket) -> list[TicketAction]:
    """The actions the page offers `user` on `ticket` now."""
    if ticket.status == Status.MERGED:
        # The one thing left on a merged ticket: its requester's own follow-up once the original is resolved.
        return [ACTIONS["follow_up"]] if (user.role in _FOLLOWUP and workflow.merged_follow_up_due(ticket)) else []
    if ticket.status in (Status.CLOSED, Status.DECLINED, Status.ANSWERED, Status.HANDED_OFF):
        return []
    return [action for action in ACTIONS.values() if action.allowed(user, ticket)]
