"""Units' appeals against dissatisfied ratings (Art. 25) with their evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.directory.models import Unit
from hotline.tickets.choices import AppealGround, AppealState, EvidenceKind
from hotline.tickets.models import FollowUp, Ticket

Staff = settings.AUTH_USER_MODEL


class Appeal(models.Model):
    """A lead unit's appeal against one dissatisfied rating (Art. 25): ground, statement, evidence, the decision.

    The rating itself is never edited; an upheld appeal sets `FollowUp.excluded_from_assessment`, counted in the
    month `counts_in` (the rating's month, or the first open one when the statistics had closed it; `freeze`)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="appeals")
    # One appeal per rating (Art. 25 gives one review, not a second round).
    follow_up = models.OneToOneField(FollowUp, on_delete=models.PROTECT, related_name="appeal",
                                     verbose_name="被申诉的回访记录")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="申诉单位")
    ground = models.CharField("申诉理由", max_length=16, choices=AppealGround.choices)
    statement = models.TextField("申诉说明")
    filed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="申诉人")
    filed_at = models.DateTimeField("申诉时间")
    state = models.CharField("状态", max_length=10, choices=AppealState.choices, default=AppealState.PENDING)
    reviewer = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="审核人")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)
    counts_in = models.DateField("计入考核月份", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申诉"
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["state", "filed_at"]), models.Index(fields=["unit", "filed_at"])]
        constraints = [models.CheckConstraint(condition=Q(state__in=AppealState.values), name="appeal_state_valid")]

    def __str__(self) -> str:
        return f"{self.ticket_id} 申诉 {self.get_state_display()}"


class AppealEvidence(models.Model):
    """One evidence file of an appeal; at least one proves contact with the requester (Art. 25 含沟通联系证明)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("类型", max_length=16, choices=EvidenceKind.choices)
    file = models.FileField(upload_to="appeals/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "申诉证据"

