"""The one intake service (Art. 9-12, 18): every channel registers a contact here, and every acceptance rule applies
the same way, whichever door it came through — the call desk, the hotline desk form, the JSON API, the citizen
portal, the WeChat/app/SMS gateways, 110 transfers and Open311.

The rules, in order:
- Art. 18: a contact from a registered NPC deputy's number is entered in the deputies' ledger; a deputy's phone call
  is the deputy channel.
- Art. 10.4: earlier tickets that may be the same matter are looked for; the best proposed one is recorded with the
  contact (the desk's operator sees the candidates before deciding and may merge or decline; other channels leave
  the decision to the dispatcher, who sees it on the ticket).
- Art. 12.2: an emergency topic goes to its unit (emergency management, health, public security): dispatched at once
  when the desk user may dispatch, otherwise proposed to the dispatcher as the suggested unit.
Then the workflow registers the contact as accepted (`create_ticket`) or declined (`register_declined`) and carries
out the desk's decision, all in one transaction: nothing half-written on failure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from hotline.channels.acceptance import script
from hotline.channels.deputies import MEDDLING_EXPLANATION, meddling
from hotline.channels.desk import deputy_for, emergency_unit, record_deputy_ticket
from hotline.directory.models import Staff, Unit
from hotline.duty.slots import current_slot
from hotline.intake.repeats import find_repeats
from hotline.intake.routing.history import keep_tokens
from hotline.lib.errors import Forbidden, InvalidInput, NotFound
from hotline.tickets import workflow
from hotline.tickets.access import access_ticket
from hotline.tickets.choices import Channel, DeclineReason, Status
from hotline.tickets.models import Ticket
from hotline.tickets.workflow.intake import Contact

ACTIONS = ("transfer", "answer", "consult", "decline", "merge", "hand_off")


@dataclass(frozen=True)
class Decision:
    """What the desk decided while the requester was on the line (Art. 10-12); `transfer` when nobody decided."""

    action: str = "transfer"
    lead_unit: Unit | None = None  # transfer: dispatch at once to this unit (dispatchers only)
    answer_text: str = ""
    knowledge_article: str = ""  # answer: the knowledge-base article it came from (its id)
    consult_unit: Unit | None = None
    decline_reason: str = ""
    decline_explanation: str = ""  # empty: the standard script for the reason is told
    merge_into: str = ""  # merge, or a repeat declined with its original named: the original's number
    hand_off_line: str = ""
    hand_off_summary: str = ""


def take(contact: Contact, *, by: Staff | None, decision: Decision | None = None) -> Ticket:
    """Register one contact through every acceptance rule and carry out the decision; returns its ticket."""
    decision = decision or Decision()
    if decision.action not in ACTIONS:
        raise InvalidInput("受理方式不正确", field="action", code="invalid_action")
    phone = str((contact.requester or {}).get("phone") or "")
    deputy = deputy_for(phone)
    if deputy is not None and contact.channel == Channel.PHONE:
        contact = replace(contact, channel=Channel.DEPUTY)  # Art. 18: a deputy's call is the deputy channel
    emergency = emergency_unit(contact.topic)
    slot = current_slot() if by is not None and contact.channel == Channel.PHONE else None
    if slot is not None:
        contact = replace(contact, channel=Channel.LEADER_DAY)  # Art. 8: a call taken while a leader answers
    facts = _facts(contact, phone, deputy_id=deputy.pk if deputy else None, emergency=emergency)
    if slot is not None:
        facts["duty_slot"] = slot.pk
    if deputy is not None and meddling(contact.content):
        facts["deputy_meddling"] = meddling(contact.content)  # Art. 18: a court case or a bidding process
        if decision.action == "decline" and decision.decline_reason == DeclineReason.LEGAL_ROUTE:
            decision = replace(decision, decline_explanation=decision.decline_explanation or MEDDLING_EXPLANATION)
    with transaction.atomic():
        if decision.action == "decline":
            ticket = _decline(contact, by=by, decision=decision, facts=facts)
        else:
            ticket = workflow.create_ticket(
                by=by, channel=contact.channel, request_type=contact.request_type, content=contact.content,
                address=contact.address, topic=contact.topic, region=contact.region, requester=contact.requester,
                title=contact.title, is_confidential=contact.is_confidential, is_complex=contact.is_complex,
                suggested_unit=emergency, data=facts, upper_due=contact.upper_due, upper_flag=contact.upper_flag,
            )
            keep_tokens(ticket)  # segmented once, here; dispatch suggestions and training read the words
            _carry_out(ticket, by=by, decision=decision, emergency=emergency)
        if deputy is not None:
            record_deputy_ticket(deputy, ticket)
        if slot is not None:
            # The slot's board follows the ticket to the end (Art. 8); its clocks stay Art. 14's.
            Ticket.objects.filter(pk=ticket.pk).update(origin_slot=slot)
            ticket.origin_slot = slot
    return ticket


def take_call(*, by: Staff, data: dict[str, Any]) -> Ticket:
    """A call from the call desk: its form's cleaned data, the contact and the operator's decision in one."""
    contact = Contact(
        channel=data["channel"], request_type=data["request_type"], content=data["content"],
        address=data.get("address", ""), topic=data.get("topic"), region=data.get("region"),
        requester={"name": data.get("name", ""), "phone": data.get("phone", ""),
                   "id_number": data.get("id_number", "")},
        is_confidential=bool(data.get("is_confidential")), is_complex=bool(data.get("is_complex")),
    )
    decision = Decision(**{name: data.get(name) or default for name, default in _DECISION_DEFAULTS.items()})
    return take(contact, by=by, decision=decision)


_DECISION_DEFAULTS: dict[str, Any] = {
    "action": "transfer", "lead_unit": None, "answer_text": "", "knowledge_article": "", "consult_unit": None,
    "decline_reason": "", "decline_explanation": "", "merge_into": "", "hand_off_line": "", "hand_off_summary": "",
}


def _facts(contact: Contact, phone: str, *, deputy_id: int | None, emergency: Unit | None) -> dict[str, Any]:
    """What the rules found, recorded on the contact's first event."""
    facts: dict[str, Any] = {}
    if deputy_id is not None:
        facts["deputy"] = deputy_id
    if emergency is not None:
        facts["emergency_unit"] = emergency.code
    proposed = [c for c in find_repeats(content=contact.content, phone=phone, address=contact.address,
                                        region=contact.region) if c.proposed]
    if proposed:
        facts["repeat_of"] = {"number": proposed[0].ticket.number, "score": proposed[0].score,
                              "reasons": proposed[0].reasons}
    return facts


def _decline(contact: Contact, *, by: Staff | None, decision: Decision, facts: dict[str, Any]) -> Ticket:
    if by is None:
        raise Forbidden("只有热线工作人员可以不予受理", code="role_not_allowed")
    reason = decision.decline_reason
    if reason not in DeclineReason.values:
        raise InvalidInput("请选择第十条规定的不予受理原因（1-10）", field="decline_reason", code="invalid_reason_code")
    explanation = decision.decline_explanation.strip() or script(reason).full_text
    if reason == DeclineReason.REPEATED and decision.merge_into.strip():
        # Art. 10.4: declined as a repeat, with the original ticket named so the requester can follow it.
        original = _ticket_by_number(decision.merge_into, by)
        explanation += f"原工单编号：{original.number}（{Status(original.status).label}）。"
    return workflow.register_declined(by=by, contact=contact, reason_code=reason, explanation=explanation,
                                      data=facts)


def _carry_out(ticket: Ticket, *, by: Staff | None, decision: Decision, emergency: Unit | None) -> None:
    action = decision.action
    if by is None:
        return  # a channel without staff: the ticket waits in the dispatch queue, its 2-hour clock running
    if action == "answer":
        _answer(ticket, by=by, text=decision.answer_text, article_id=decision.knowledge_article)
    elif action == "consult":
        workflow.consult(ticket, by=by, unit=_required_unit(decision.consult_unit, "consult_unit"))
    elif action == "merge":
        workflow.merge(ticket, by=by, into=_ticket_by_number(decision.merge_into, by), note="来电并单")
    elif action == "hand_off":
        summary = decision.hand_off_summary.strip() or ticket.content[:200]
        workflow.hand_off(ticket, by=by, line=decision.hand_off_line, summary=summary)
    else:
        _transfer(ticket, by=by, lead_unit=decision.lead_unit, emergency=emergency)


def _required_unit(unit: Unit | None, field: str) -> Unit:
    if unit is None:
        raise InvalidInput("请选择承办单位", field=field, code="required")
    return unit


def _answer(ticket: Ticket, *, by: Staff, text: str, article_id: str) -> None:
    """Answer on the spot; from a knowledge-base article, the two are linked and the article's use counted
    (Art. 12.1, 22)."""
    if not article_id:
        workflow.answer(ticket, by=by, text=text)
        return
    from hotline.knowledge.models import Article
    from hotline.knowledge.services import answer_from_article

    article = Article.objects.filter(pk=article_id).first() if article_id.isdigit() else None
    if article is None:
        raise InvalidInput("所引用的知识库文章不存在", field="answer_text", code="unknown_article")
    answer_from_article(ticket, article, by=by, text=text)


def _ticket_by_number(number: str, by: Staff) -> Ticket:
    """The original a repeat names, within what the desk user may see; typed by hand, so a miss is bad input."""
    try:
        return access_ticket(by, (number or "").strip())
    except NotFound as exc:
        raise InvalidInput(f"工单 {number} 不存在", field="merge_into", code="unknown_ticket") from exc


def _transfer(ticket: Ticket, *, by: Staff, lead_unit: Unit | None, emergency: Unit | None) -> None:
    """Dispatch at once when the desk user may dispatch: to the chosen unit, or an emergency topic's unit
    (Art. 12.2); otherwise the ticket waits in the dispatch queue with its 2-hour clock running (Art. 13)."""
    if lead_unit is not None:
        if by.role not in workflow.DISPATCH_ROLES:
            raise Forbidden("只有派单员可以直接转派；请留空承办单位，工单将进入待派单队列", code="role_not_allowed")
        workflow.dispatch(ticket, by=by, lead_unit=lead_unit, note="来电受理直接转派")
        return
    if emergency is not None and by.role in workflow.DISPATCH_ROLES:
        workflow.dispatch(ticket, by=by, lead_unit=emergency, note="紧急事项，按第十二条第二项转报")
