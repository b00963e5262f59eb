"""Units' appeals against a dissatisfied rating (Art. 25), one function per transition: `file_appeal` by the lead
unit within its window, `review_appeal` by the hotline. Each moves the appeal by compare-and-swap on its state and
writes one sealed ticket Event (`appeal`, `review_appeal`) in the same transaction; the ticket's status is not
touched, and the rating is never edited: an upheld appeal only marks it excluded from the assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.directory.choices import REVIEW_ROLES, UNIT_ROLES
from hotline.followups import freeze
from hotline.followups.models import Appeal, AppealEvidence
from hotline.lib.errors import ConcurrentChange, Conflict, Forbidden, InvalidInput
from hotline.tickets.attachments import check_upload
from hotline.tickets.choices import (
    DISSATISFIED_LEVELS,
    Action,
    AppealGround,
    AppealState,
    EvidenceKind,
    Status,
)
from hotline.tickets.models import Event, FollowUp, Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

ARTICLE = "第二十五条"
MAX_EVIDENCE_FILES = 10


@dataclass(frozen=True)
class Evidence:
    """One uploaded file and what it proves."""

    upload: UploadedFile
    kind: str = EvidenceKind.OTHER


def lead_unit_id(ticket: Ticket) -> int | None:
    """The unit answerable for a rating: the ticket's lead unit, for a merged requester the original's (并单)."""
    if ticket.status == Status.MERGED and ticket.merged_into is not None:
        return ticket.merged_into.lead_unit_id
    return ticket.lead_unit_id


def appealable(follow_up: FollowUp, now: dt.datetime) -> bool:
    """Whether the lead unit may still appeal this rating: dissatisfied, not appealed, inside its window."""
    return (follow_up.satisfaction in DISSATISFIED_LEVELS and follow_up.appeal_due is not None
            and now < follow_up.appeal_due and not Appeal.objects.filter(follow_up=follow_up).exists())


def _event(ticket: Ticket, action: str, by: Staff, *, at: dt.datetime, reason: str, data: dict[str, Any]) -> Event:
    # An appeal is a record beside the ticket (DESIGN §3): its events log it without moving the ticket's status.
    return Event.objects.create(ticket=ticket, action=action, from_status=ticket.status, to_status=ticket.status,
                                actor=by, actor_unit=by.unit, at=at, reason=reason, article=ARTICLE, data=data)


def _check_filing(follow_up: FollowUp, by: Staff, now: dt.datetime) -> None:
    if by is None or not by.is_active or by.role not in UNIT_ROLES:
        raise Forbidden("只有承办单位可以申诉", code="role_not_allowed")
    if by.unit_id is None or by.unit_id != lead_unit_id(follow_up.ticket):
        raise Forbidden("只有牵头承办单位可以对回访评价申诉", code="not_lead_unit")
    if follow_up.satisfaction not in DISSATISFIED_LEVELS:
        raise Conflict("只能对不满意的回访评价申诉（第二十五条）", code="not_dissatisfied")
    if Appeal.objects.filter(follow_up=follow_up).exists():
        raise Conflict("该回访评价已申诉过，每条评价只能申诉一次", code="already_appealed")
    if follow_up.appeal_due is None or now >= follow_up.appeal_due:
        raise Conflict("已超过申诉期限", code="appeal_window_closed")


def _checked_evidence(evidence: Sequence[Evidence]) -> list[tuple[Evidence, Any]]:
    if len(evidence) > MAX_EVIDENCE_FILES:
        raise InvalidInput(f"证据文件最多{MAX_EVIDENCE_FILES}个", field="evidence", code="too_many_files")
    for item in evidence:
        if item.kind not in EvidenceKind.values:
            raise InvalidInput("证据类型不正确", field="evidence", code="invalid_evidence_kind")
    if not any(item.kind == EvidenceKind.CONTACT_PROOF for item in evidence):
        # Art. 25: "提供相关依据（含与服务对象沟通联系证明）".
        raise InvalidInput("请上传与服务对象沟通联系的证明（第二十五条）", field="evidence",
                           code="contact_proof_required")
    return [(item, check_upload(item.upload, field="evidence")) for item in evidence]


def file_appeal(follow_up: FollowUp, *, by: Staff, ground: str, statement: str,
                evidence: Sequence[Evidence]) -> Appeal:
    """申诉: the lead unit contests one dissatisfied rating on a ground of Art. 25, within the window, with a
    statement and evidence of which at least one file proves contact with the requester."""
    now = timezone.now()
    _check_filing(follow_up, by, now)
    if ground not in AppealGround.values:
        raise InvalidInput("请选择第二十五条规定的申诉理由", field="ground", code="invalid_ground")
    statement = (statement or "").strip()
    if not statement:
        raise InvalidInput("请填写申诉说明", field="statement", code="required")
    if len(statement) > 5000:
        raise InvalidInput("申诉说明不能超过5000字", field="statement", code="too_long")
    files = _checked_evidence(evidence)
    ticket = follow_up.ticket
    unit = by.unit
    assert unit is not None  # checked: the lead unit's staff
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(ticket=ticket, follow_up=follow_up, unit=unit, ground=ground,
                                           statement=statement, filed_by=by, filed_at=now)
            for item, checked in files:
                row = AppealEvidence(appeal=appeal, kind=item.kind, original_name=checked.name,
                                     content_type=checked.content_type, size=len(checked.content), uploaded_at=now)
                row.file.save(f"{ticket.number}{checked.extension}", ContentFile(checked.content), save=False)
                row.save()
            _event(ticket, Action.APPEAL, by, at=now, reason=statement,
                   data={"appeal": appeal.pk, "follow_up": follow_up.pk, "ground": ground,
                         "evidence": len(files), "due": follow_up.appeal_due.isoformat()
                         if follow_up.appeal_due else None})
    except IntegrityError as exc:
        # Two filings of one rating at once: the one-appeal-per-rating constraint lets one win.
        raise Conflict("该回访评价已申诉过，每条评价只能申诉一次", code="already_appealed") from exc
    return appeal


def _month(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_TZ).date().replace(day=1)


def counts_in(follow_up: FollowUp, decided_at: dt.datetime) -> dt.date:
    """The month an upheld appeal counts in: the rating's own, unless the statistics closed that month before the
    decision; a closed month is frozen, so the exclusion counts in the first month still open from the decision's."""
    rating_month = _month(follow_up.at)
    if freeze.first_open_month(rating_month, decided_at) == rating_month:
        return rating_month
    return freeze.first_open_month(_month(decided_at), decided_at)


def review_appeal(appeal: Appeal, *, by: Staff, approve: bool, note: str) -> Appeal:
    """审核申诉: uphold (the rating no longer counts as dissatisfied in the assessment) or reject, with a reason."""
    if by is None or not by.is_active or by.role not in REVIEW_ROLES:
        raise Forbidden("当前角色无权审核申诉", code="role_not_allowed")
    if not isinstance(approve, bool):
        raise InvalidInput("请选择申诉是否成立", field="approve", code="required")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请填写审核理由", field="note", code="required")
    if appeal.state != AppealState.PENDING:
        raise Conflict("该申诉已审核", code="appeal_decided")
    now = timezone.now()
    state = AppealState.UPHELD if approve else AppealState.REJECTED
    month = counts_in(appeal.follow_up, now) if approve else None
    with transaction.atomic():
        changed = Appeal.objects.filter(pk=appeal.pk, state=AppealState.PENDING).update(
            state=state, reviewer=by, decided_at=now, decision_note=note, counts_in=month)
        if changed != 1:
            # Another reviewer decided it between our read and this write.
            raise ConcurrentChange("该申诉已被他人审核，请刷新后查看")
        if approve:
            FollowUp.objects.filter(pk=appeal.follow_up_id).update(excluded_from_assessment=True)
        _event(appeal.ticket, Action.REVIEW_APPEAL, by, at=now, reason=note,
               data={"appeal": appeal.pk, "follow_up": appeal.follow_up_id, "upheld": approve,
                     "counts_in": month.isoformat() if month else None})
    appeal.state, appeal.reviewer, appeal.decided_at, appeal.decision_note, appeal.counts_in = (
        state, by, now, note, month)
    return appeal

