"""Supervision cases (督办件) with their tickets, units, urges, replies and extensions; automatic-trigger records;
difficult matters and their coordination (Art. 19, 24, 27); and the one sealed, append-only log they all write."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q

from hotline.directory.models import Unit
from hotline.supervision.choices import (
    CaseAction,
    CaseStatus,
    CoordinationStatus,
    FlagSource,
    Method,
    ProposalState,
    Trigger,
    UrgeMethod,
)
from hotline.tickets.choices import ReviewState
from hotline.tickets.models import Ticket
from hotline.vault.keys import keyring

Staff = settings.AUTH_USER_MODEL


class CaseCounter(models.Model):
    """The last case number given out in a year: 督办〔2026〕第N号."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class SupervisionCase(models.Model):
    """A supervision case (督办件): the matter, its trigger and evidence, the method, target units and its clock."""

    number = models.CharField("督办编号", max_length=32, unique=True)
    title = models.CharField("督办事项", max_length=200)
    trigger = models.CharField("督办情形", max_length=32, choices=Trigger.choices)
    evidence = models.JSONField("依据材料", default=dict, blank=True)
    method = models.CharField("督办方式", max_length=16, choices=Method.choices)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # Bumped by every action; the compare-and-swap checks it so two writers cannot both win (STYLE 2).
    version = models.PositiveIntegerField(default=0)
    automatic = models.BooleanField("系统自动发起", default=False)
    tickets = models.ManyToManyField(Ticket, verbose_name="工单", related_name="supervision_cases")
    units = models.ManyToManyField(Unit, verbose_name="督办对象", related_name="supervision_cases")
    opened_by = models.ForeignKey(Staff, verbose_name="发起人", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField("发起时间")
    due_days = models.PositiveSmallIntegerField("办理时限(工作日)")
    due_at = models.DateTimeField("办理时限")
    extended_due_at = models.DateTimeField("延期后时限", null=True, blank=True)
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    escalated_at = models.DateTimeField("呈报时间", null=True, blank=True)
    escalated_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    escalation_note = models.TextField("呈报说明", blank=True)
    due_estimated = models.BooleanField("时限按未发布年度估算", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "督办件"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(trigger__in=Trigger.values), name="case_trigger_valid"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="case_method_valid"),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def current_due(self) -> Any:
        """The due that counts now: the approved extension's, else the first (Art. 24)."""
        return self.extended_due_at or self.due_at


class UrgeAttempt(models.Model):
    """One urge (催办): how, when, whom it reached and what they promised."""

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="urges")
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("催办时间")
    method = models.CharField("方式", max_length=16, choices=UrgeMethod.choices)
    unit = models.ForeignKey(Unit, verbose_name="催办单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    person_reached = models.CharField("联系人", max_length=100)
    promise = models.TextField("承诺事项", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "催办记录"


class CaseReply(models.Model):
    """A target unit's answer to the case: what was done, the result, the evidence; and the supervisor's verdict."""

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    actions_taken = models.TextField("办理措施")
    result = models.TextField("办理结果")
    evidence = models.TextField("佐证材料", blank=True)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    state = models.CharField("审核结果", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办反馈"


class CaseExtension(models.Model):
    """The one extension a complex case may get, ≤10 working days, asked before the due and reviewed (Art. 24)."""

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    working_days = models.PositiveSmallIntegerField("延期工作日")
    reason = models.TextField("延期理由")
    old_due = models.DateTimeField()
    new_due = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    state = models.CharField("审核结果", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    reviewed_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办延期申请"


class TriggerRecord(models.Model):
    """An automatic trigger that fired for a ticket: unique per rule and ticket, so it fires exactly once."""

    rule = models.CharField("触发规则", max_length=32, choices=Trigger.choices)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    group = models.CharField("批次", max_length=200, blank=True, help_text="热点的标识：同批工单一并立案")
    state = models.CharField("状态", max_length=16, choices=ProposalState.choices)
    case = models.ForeignKey(SupervisionCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fired_at = models.DateTimeField("触发时间")
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "自动督办触发记录"
        constraints = [models.UniqueConstraint(fields=["rule", "ticket"], name="one_trigger_per_rule_and_ticket")]


class Coordination(models.Model):
    """A difficult matter (疑难事项, Art. 19) in the pool, its meeting and the decision that fixes its owner."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="coordination")
    status = models.CharField("状态", max_length=16, choices=CoordinationStatus.choices,
                              default=CoordinationStatus.POOL)
    version = models.PositiveIntegerField(default=0)
    source = models.CharField("来源", max_length=8, choices=FlagSource.choices)
    flag_reason = models.CharField("列入原因", max_length=200)
    flagged_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField("列入时间")
    meeting_at = models.DateTimeField("会议时间", null=True, blank=True)
    units_present = models.ManyToManyField(Unit, verbose_name="参会单位", related_name="+", blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    assisting_units = models.ManyToManyField(Unit, verbose_name="会同单位", related_name="+", blank=True)
    basis = models.TextField("依据", blank=True)
    catalogue_changed = models.BooleanField("已更新派单目录", default=False)
    leader = models.CharField("提请督办的市政府领导", max_length=100, blank=True)
    case = models.ForeignKey(SupervisionCase, verbose_name="督办件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "疑难事项协调"
        constraints = [models.CheckConstraint(condition=Q(status__in=CoordinationStatus.values),
                                              name="coordination_status_valid")]


class Shirk(models.Model):
    """推诿 (Art. 27): a unit returned a ticket that coordination then found to be its own."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="+")
    coordination = models.ForeignKey(Coordination, on_delete=models.PROTECT, related_name="shirks")
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "推诿记录"
        constraints = [models.UniqueConstraint(fields=["unit", "coordination"], name="one_shirk_per_decision")]


PURPOSE = "supervision-chain/v1"


class CaseEvent(models.Model):
    """One append-only line of a case's or a coordination's log, sealed into its own MAC chain like ticket events."""

    case = models.ForeignKey(SupervisionCase, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    coordination = models.ForeignKey(Coordination, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="events")
    action = models.CharField("动作", max_length=24, choices=CaseAction.choices)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    actor = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")
    reason = models.TextField("说明", blank=True)
    article = models.CharField("依据条款", max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    seq = models.PositiveIntegerField(editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "督办事件"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "at"])]
        constraints = [
            models.CheckConstraint(condition=Q(case__isnull=False) ^ Q(coordination__isnull=False),
                                   name="event_has_one_subject"),
            models.UniqueConstraint(fields=["case", "seq"], name="one_case_event_per_position"),
            models.UniqueConstraint(fields=["coordination", "seq"], name="one_coordination_event_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id or self.coordination_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once, chained after the subject's last event; the subject's row lock orders two writers."""
        if self.pk is not None and not self._state.adding:
            raise TypeError("督办事件只能追加，不能修改")
        with transaction.atomic():
            if self.case_id:
                list(SupervisionCase.objects.select_for_update().filter(pk=self.case_id or 0).values_list("pk"))
                last = CaseEvent.objects.filter(case_id=self.case_id).order_by("-seq").first()
            else:
                list(Coordination.objects.select_for_update().filter(pk=self.coordination_id or 0).values_list("pk"))
                last = CaseEvent.objects.filter(coordination_id=self.coordination_id or 0).order_by("-seq").first()
            self.seq = (last.seq + 1) if last else 1
            self.prev_hash = last.hash if last else ""
            self.hash = self.mac()
            super().save(*args, **kwargs)

    def canonical(self) -> bytes:
        """The exact bytes the MAC covers: the row as sorted JSON with the previous link."""
        body = {
            "case": self.case_id, "coordination": self.coordination_id, "seq": self.seq, "prev": self.prev_hash,
            "action": str(self.action), "from": str(self.from_status), "to": str(self.to_status),
            "actor": self.actor_id, "actor_unit": self.actor_unit_id,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "reason": self.reason, "article": self.article, "data": json.loads(json.dumps(self.data or {})),
        }
        return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def mac(self) -> str:
        return hmac.new(keyring().derive(PURPOSE), self.canonical(), hashlib.sha256).hexdigest()


def chain_intact(events: list[CaseEvent]) -> bool:
    """Whether a subject's events, in order, still carry their MACs and links (an edit or removal shows)."""
    prev = ""
    for number, event in enumerate(events, start=1):
        if event.seq != number or event.prev_hash != prev or not hmac.compare_digest(event.hash, event.mac()):
            return False
        prev = event.hash
    return True
