"""The case page's actions: verb, Chinese label, form, who may see it, and the one call to `cases` (STYLE 8)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from hotline.directory.choices import SUPERVISION_ROLES
from hotline.directory.models import Staff
from hotline.supervision import cases
from hotline.supervision.choices import CaseStatus
from hotline.supervision.forms import ExtensionForm, NoteForm, ReplyForm, ReviewForm, UrgeForm
from hotline.supervision.models import SupervisionCase
from hotline.tickets.choices import ReviewState


@dataclass(frozen=True)
class CaseAction:
    verb: str
    label: str
    form: type[forms.Form]
    supervisor: bool  # True: supervisors' action; False: the target units'
    statuses: tuple[str, ...]
    perform: Callable[[SupervisionCase, Staff, dict[str, Any]], Any]


ACTIONS: dict[str, CaseAction] = {a.verb: a for a in (
    CaseAction("urge", "登记催办", UrgeForm, True, (CaseStatus.OPEN, CaseStatus.ESCALATED),
               lambda c, u, d: cases.urge(c, by=u, method=d["method"], person_reached=d["person_reached"],
                                          promise=d["promise"])),
    CaseAction("reply", "反馈办理情况", ReplyForm, False, (CaseStatus.OPEN, CaseStatus.ESCALATED),
               lambda c, u, d: cases.reply(c, by=u, actions_taken=d["actions_taken"], result=d["result"],
                                           evidence=d["evidence"])),
    CaseAction("extension", "申请延期", ExtensionForm, False, (CaseStatus.OPEN,),
               lambda c, u, d: cases.request_extension(c, by=u, working_days=d["working_days"],
                                                       reason=d["reason"])),
    CaseAction("accept", "审核通过，办结", NoteForm, True, (CaseStatus.ANSWERED, CaseStatus.ESCALATED),
               lambda c, u, d: cases.accept(c, by=u, note=d["note"])),
    CaseAction("send-back", "退回重新办理", NoteForm, True, (CaseStatus.ANSWERED,),
               lambda c, u, d: cases.send_back(c, by=u, note=d["note"])),
    CaseAction("extension-review", "审核延期", ReviewForm, True, (CaseStatus.OPEN, CaseStatus.ANSWERED),
               lambda c, u, d: cases.review_extension(c, by=u, approve=d["approve"], note=d["note"])),
    CaseAction("escalate", "呈报市政府督查室", NoteForm, True, (CaseStatus.OPEN, CaseStatus.ANSWERED),
               lambda c, u, d: cases.escalate(c, by=u, note=d["note"])),
)}


def available(user: Staff, case: SupervisionCase) -> list[CaseAction]:
    """The actions to offer: by role and status; the functions check everything again."""
    supervisor = user.role in SUPERVISION_ROLES
    unit = not user.is_hotline
    pending_ext = case.extensions.filter(state=ReviewState.PENDING).exists()
    out = []
    for action in ACTIONS.values():
        if case.status not in action.statuses or (action.supervisor and not supervisor) or (
                not action.supervisor and not unit):
            continue
        if action.verb == "extension-review" and not pending_ext:
            continue
        if action.verb == "escalate" and case.escalated_at is not None:
            continue
        out.append(action)
    return out
