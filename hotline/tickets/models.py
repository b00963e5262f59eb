"""Tickets and the records beside them: assignments, events, returns, extensions, replies, follow-ups, attachments."""

from __future__ import annotations

import datetime as dt
import ipaddress
import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q

from hotline.directory.models import Platform, Topic, Unit, root_platform_id
from hotline.lib.errors import InvalidInput
from hotline.tickets.choices import (
    OPEN_STATUSES,
    UNIT_ACTIONS,
    Action,
    AlertKind,
    AssignmentRole,
    AttachmentPurpose,
    Channel,
    DeclineReason,
    EmergencyLine,
    Fault,
    FollowUpChannel,
    RequestType,
    ReturnKind,
    ReviewState,
    Satisfaction,
    Status,
    UnitContactMethod,
    UpperFlag,
)
from hotline.vault.fields import EncryptedTextField
from hotline.vault.keys import keyring, phone_lookup_hash
from hotline.vault.seal import event_mac, head_mac

Staff = settings.AUTH_USER_MODEL


class Requester(models.Model):
    """The citizen or company behind a contact (服务对象); personal fields are ciphertext at rest (Art. 23)."""

    # Fixed when the object is built, before the first save, so each encrypted value is bound to this row at insert.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = EncryptedTextField("姓名")
    phone = EncryptedTextField("电话")
    # Keyed hash of the normalised phone, derived from `phone` on every save: finds earlier calls without decrypting.
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_number = EncryptedTextField("证件号码")
    address = EncryptedTextField("住址")
    ip = EncryptedTextField("IP地址")
    is_company = models.BooleanField("企业", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务对象"

    def __str__(self) -> str:
        return f"服务对象#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Derive the look-up hash and normalise the IP before the fields are sealed."""
        self.phone_hash = phone_lookup_hash(self.phone)
        if self.ip:
            try:
                self.ip = str(ipaddress.ip_address(self.ip.strip()))
            except ValueError:
                raise InvalidInput("IP地址格式不正确", field="requester.ip", code="invalid_ip") from None
        super().save(*args, **kwargs)

    @classmethod
    def matching_phone(cls, raw: str) -> models.QuerySet[Requester]:
        """Requesters whose phone equals `raw` once normalised (`139 8765 4321` = `13987654321`), by keyed hash."""
        digest = phone_lookup_hash(raw)
        return cls.objects.filter(phone_hash=digest) if digest else cls.objects.none()


class TicketCounter(models.Model):
    """The last number given out on one day; ticket numbers are the date and a daily sequence."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Ticket(models.Model):
    """One contact and everything done about it (工单), with every running clock stored as a column (STYLE 5)."""

    number = models.CharField("工单编号", max_length=20, unique=True)
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices, default=Channel.PHONE)
    request_type = models.CharField("诉求类型", max_length=16, choices=RequestType.choices)
    topic = models.ForeignKey(Topic, verbose_name="事项分类", null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField("标题", max_length=120, blank=True)
    content = models.TextField("诉求内容")
    address = models.CharField("事发地点", max_length=300, blank=True)
    region = models.ForeignKey(Unit, verbose_name="所属区县", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="region_tickets")
    # The words of title and content, and of the address, segmented once at intake and kept: a dispatch suggestion
    # reads them instead of segmenting again (Art. 13: under 5 ms), training too. Empty on tickets from before.
    tokens = models.TextField("分词", blank=True, editable=False)
    address_tokens = models.TextField("地址分词", blank=True, editable=False)
    requester = models.ForeignKey(Requester, verbose_name="服务对象", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="tickets")
    # Art. 23: requested by the requester, or forced by the topic (illegal building, demolition, fumes, noise).
    is_confidential = models.BooleanField("保密", default=False)
    is_complex = models.BooleanField("情况复杂", default=False)
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.PENDING_DISPATCH)
    # Bumped by every transition; the compare-and-swap checks it so two writers cannot both win (STYLE 2).
    version = models.PositiveIntegerField(default=0)
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="lead_tickets")
    suggested_unit = models.ForeignKey(Unit, verbose_name="建议承办单位", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(Staff, verbose_name="受理人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("受理时间")
    # Art. 30: the platform holding the ticket now (its desk dispatches, reviews and calls back) and the one it came
    # in at (statistics count each ticket once, there). A county sub-centre's staff read only their platform's.
    platform = models.ForeignKey(Platform, verbose_name="所在平台",
                                 on_delete=models.PROTECT, related_name="tickets")
    received_by = models.ForeignKey(Platform, verbose_name="受理平台",
                                    on_delete=models.PROTECT, related_name="received_tickets")

    decline_reason = models.CharField("不予受理原因", max_length=4, choices=DeclineReason.choices, blank=True)
    explanation = models.TextField("告知服务对象的说明", blank=True)
    answer = models.TextField("答复内容", blank=True)
    consult_unit = models.ForeignKey(Unit, verbose_name="咨询单位", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    merged_into = models.ForeignKey("self", verbose_name="并入工单", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_tickets")
    # Art. 8: taken while a leader or unit head answered at the hotline; the slot's board follows it to the end.
    origin_slot = models.ForeignKey("directory.DutySlot", verbose_name="接听日/轮值", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="tickets")
    handed_off_to = models.CharField("联动转出", max_length=4, choices=EmergencyLine.choices, blank=True)

    # Clocks (stored deadlines) and the moments that started or stopped them.
    dispatch_due = models.DateTimeField("转派时限", null=True, blank=True)
    consult_due = models.DateTimeField("咨询答复时限", null=True, blank=True)
    dispatched_at = models.DateTimeField("转派时间", null=True, blank=True)
    sign_due = models.DateTimeField("签收时限", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    deemed_signed = models.BooleanField("视为签收", default=False)
    desk_return_due = models.DateTimeField("当日退回时限", null=True, blank=True)
    return_due = models.DateTimeField("现场核实退回时限", null=True, blank=True)
    arrival_due = models.DateTimeField("到场时限", null=True, blank=True)
    # Art. 20: an outage or livelihood ticket at a 24-hour unit is signed at once (接诉即办); stopped by signing.
    response_due = models.DateTimeField("即时响应时限", null=True, blank=True)
    arrived_at = models.DateTimeField("到场时间", null=True, blank=True)
    handling_days = models.PositiveSmallIntegerField("办理时限(工作日)", null=True, blank=True)
    handling_due = models.DateTimeField("办理时限", null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField("延期次数", default=0)
    # An order from the provincial platform (Art. 27): its deadline caps the local handling clock, and its mark
    # (国办, 领导批示) puts a late handling among the assessment's higher-level items.
    upper_due = models.DateTimeField("上级时限", null=True, blank=True)
    upper_flag = models.CharField("上级标记", max_length=16, choices=UpperFlag.choices, blank=True, default="")
    rework_count = models.PositiveSmallIntegerField("重办次数", default=0)
    rework_due = models.DateTimeField("重办时限", null=True, blank=True)
    replied_at = models.DateTimeField("办结反馈时间", null=True, blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    # Art. 17: the hotline's own clock, started by the resolution (审核办结), stopped by the call that closes it.
    follow_up_due = models.DateTimeField("回访时限", null=True, blank=True)
    closed_at = models.DateTimeField("归档时间", null=True, blank=True)
    due_estimated = models.BooleanField("时限按未发布年度估算", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="ticket_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "dispatch_due"]),
            models.Index(fields=["status", "sign_due"]),
            models.Index(fields=["status", "handling_due"]),
            # The follow-up desk's order and the follow-up sweeps read resolved tickets by this deadline.
            models.Index(fields=["status", "follow_up_due"]),
            models.Index(fields=["lead_unit", "status"]),
            models.Index(fields=["created_at"]),
            # A county desk's list and queues read its platform's slice, newest first.
            models.Index(fields=["platform", "-created_at"], name="ticket_platform_newest"),
            # The list filtered by lead unit, newest first, reads one unit's slice in order instead of the table.
            models.Index(fields=["lead_unit", "-created_at"], name="ticket_lead_unit_newest"),
            # The clocks without a (status, due) index above, each over the tickets it runs on, so that the overdue
            # queue and filter read only what is past due (`selectors.overdue_q`), not every ticket in progress.
            models.Index(fields=["rework_due"], name="ticket_rework_running",
                         condition=Q(status=Status.IN_PROGRESS, rework_due__isnull=False)),
            models.Index(fields=["arrival_due"], name="ticket_arrival_running",
                         condition=Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS], arrival_due__isnull=False,
                                     arrived_at__isnull=True)),
            models.Index(fields=["response_due"], name="ticket_response_running",
                         condition=Q(status=Status.DISPATCHED, response_due__isnull=False)),
            # Open work is a few thousand rows of millions: the overdue queue and filter walk only these. It
            # carries what they and a unit's tab counts read (the status, the consulted unit and every clock that
            # `selectors.overdue_q` tests), so both read the index alone: the tab count 95 index blocks where it
            # read 2,900 heap blocks at a million tickets (1.7 ms against 5), the overdue list's 25 newest ids
            # 0.1 ms where it read all 2,435 overdue rows (5.6 ms, `selectors.rows_by_id`).
            models.Index(fields=["created_at"], name="ticket_open_by_created",
                         condition=Q(status__in=sorted(OPEN_STATUSES)),
                         include=["id", "status", "consult_unit", "dispatch_due", "consult_due", "sign_due",
                                  "handling_due", "rework_due", "arrival_due", "arrived_at", "response_due"]),
            # "Recently done" (the unit inbox) reads the last 30 days of resolutions, newest first, testing each
            # against the unit's scope: the columns that test reads (id, consulted unit, status) in the index, so
            # that counting the tab reads the index alone (PostgreSQL's index-only scan), not a heap row each.
            models.Index(fields=["-resolved_at"], name="ticket_done_by_resolved",
                         condition=Q(status__in=[Status.RESOLVED, Status.CLOSED]),
                         include=["id", "consult_unit", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A ticket registered without a platform came in at the city platform and is held there.
        if self.platform_id is None:
            self.platform_id = root_platform_id()
        if self.received_by_id is None:
            self.received_by_id = self.platform_id
        super().save(*args, **kwargs)

    @property
    def current_due(self) -> dt.datetime | None:
        """The deadline that matters now for this status (for lists and countdowns)."""
        dues: dict[str, dt.datetime | None] = {
            Status.PENDING_DISPATCH: self.dispatch_due,
            Status.CONSULTING: self.consult_due,
            Status.DISPATCHED: self.response_due or self.sign_due,  # Art. 20: "at once" comes first
            Status.TRANSFERRING: self.sign_due,  # the receiving platform's signing (Art. 30)
            Status.IN_PROGRESS: self.rework_due or self.handling_due,
        }
        return dues.get(self.status)


class Assignment(models.Model):
    """A unit's part in a ticket: lead or assisting; kept after it ends so the unit can still see what it handled."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("角色", max_length=8, choices=AssignmentRole.choices)
    dispatched_at = models.DateTimeField("转派时间")
    dispatched_by = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField("有效", default=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # When the ticket was closed (归档) while this assignment was active: the unit's part is finished, and the
    # ticket leaves the unit's open work (interpretation 88); the unit stays its handler (`ended_at` stays empty).
    finished_at = models.DateTimeField("办结归档时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "承办分派"
        indexes = [
            models.Index(fields=["unit", "is_active"]),
            # A unit's open work (its inbox tabs) read from the index alone, over the assignments neither ended nor
            # finished: a few thousand rows for the biggest unit however long its history (issue 15).
            models.Index(fields=["unit", "ticket"], condition=Q(is_active=True, finished_at__isnull=True),
                         name="assignment_open_unit_ticket"),
            # Its recently finished work (the inbox's 近期办结 tab): a range of the finish moment.
            models.Index(fields=["unit", "finished_at", "ticket"],
                         condition=Q(is_active=True, finished_at__isnull=False), name="assignment_finished_unit"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "unit"], condition=Q(is_active=True),
                                    name="one_active_assignment_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.unit} {self.role}"

    @classmethod
    def lead_at(cls, ticket_id: int, at: dt.datetime) -> int | None:
        """The ticket's lead unit id at `at`: dispatched at or before it and not ended before it. An assignment ends
        at the same instant as the approved return that ends it, so that review still counts for the returning
        unit; on a re-dispatch the newer assignment wins. The reports' `lead_unit_at` is this rule in SQL."""
        rows = cls.objects.filter(ticket_id=ticket_id, role=AssignmentRole.LEAD, dispatched_at__lte=at).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=at))
        return rows.order_by("-dispatched_at", "-id").values_list("unit_id", flat=True).first()


class UnitTicket(models.Model):
    """A ticket a unit may read: it was dispatched to the unit (lead or assisting, Art. 13, 19) or the hotline
    consulted the unit on it (Art. 12(1)). A unit's list, its API list and its access to a ticket page read this.

    Written by the transition that assigns or consults (`workflow._core._assign`, `consult`) in its transaction,
    never removed: a unit keeps seeing what it handled or answered. One row per unit and ticket however often the
    ticket came back, so a unit's scope is a plain semi-join that PostgreSQL walks newest first and stops after a
    page; an EXISTS over the assignments OR the consultation column could not be joined, and hashed the unit's whole
    history (57,000 tickets for the biggest unit at a million) on every page (issue 15)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    # No index of its own: `unit_ticket_once` begins with the unit.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    since = models.DateTimeField("起始时间")  # the first dispatch or consultation that gave it to the unit

    class Meta:
        verbose_name = verbose_name_plural = "单位可见工单"
        constraints = [models.UniqueConstraint(fields=["unit", "ticket"], name="unit_ticket_once")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.ticket_id}"


class Event(models.Model):
    """One append-only line of a ticket's history: who did what, from which status to which, when and why."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("动作", max_length=24, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=24, blank=True)
    to_status = models.CharField("新状态", max_length=24, blank=True)
    actor = models.ForeignKey(Staff, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_unit = models.ForeignKey(Unit, verbose_name="操作单位", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    at = models.DateTimeField("时间")
    reason = models.TextField("说明", blank=True)
    article = models.CharField("依据条款", max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The unit the event is about (statistics, Art. 26, 27): the acting unit for a unit's own action (UNIT_ACTIONS),
    # otherwise the ticket's lead unit at `at` (None when no unit had it); a merged requester's follow-up call is
    # about the original's lead unit. Written once in save() from the assignment rows, so no report looks it up per
    # event. Derived like an index, it stays outside the seal (`vault.seal.canonical`): chains sealed before it
    # existed verify unchanged. No database constraint: its value is always an `actor_unit` or an assignment's unit,
    # whose own constraints keep that unit, and a check per written event would buy nothing.
    about_unit = models.ForeignKey(Unit, verbose_name="所涉单位", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_constraint=False, db_index=False, editable=False)
    # Tamper evidence (GB/T 22239 level 3 audit): each ticket's events form a chain; `hash` is a keyed MAC of this
    # row's canonical JSON and `prev_hash`, `seq` its position. Set once in save(); triggers refuse UPDATE/DELETE.
    seq = models.PositiveIntegerField("链序号", null=True, editable=False)
    prev_hash = models.CharField("前一事件哈希", max_length=64, blank=True, editable=False)
    hash = models.CharField("事件哈希", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "工单事件"
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"]),
            # Reports read a period's events of some actions (hotline.reports.facts), and one unit's own in a period.
            models.Index(fields=["action", "at"]),
            models.Index(fields=["actor_unit", "action", "at"]),
            # What one unit's events of some actions in a period are, read without the table (evidence, unit pages).
            models.Index(fields=["about_unit", "action", "at"], name="event_about_unit_action_at"),
        ]
        constraints = [
            # Two writers that both took the same chain head would fork the chain; the second fails instead.
            models.UniqueConstraint(fields=["ticket", "seq"], name="one_event_per_chain_position"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once, sealed into the ticket's hash chain in the same transaction; events are never edited."""
        if self.pk is not None and not self._state.adding:
            raise TypeError("工单事件只能追加，不能修改")
        with transaction.atomic():
            head = seal(self)
            # After seal(): the ticket row lock it takes keeps the assignment rows still while they are read.
            if self.about_unit_id is None:
                self.about_unit_id = about_unit(self)
            super().save(*args, **kwargs)
            head.save()


def about_unit(event: Event) -> int | None:
    """The unit an event is about (`Event.about_unit`), from the assignment rows as they stand when it is written.

    A transition that names a new lead unit (dispatch, re-dispatch) writes its event before the new assignment
    exists, so it passes the unit itself (`workflow._core._move`)."""
    if event.action in UNIT_ACTIONS:
        return event.actor_unit_id
    unit = Assignment.lead_at(event.ticket_id, event.at)
    if unit is None and event.action == Action.FOLLOW_UP:
        # A merged requester's own call is about the original's result (并单, Art. 17).
        original = Ticket.objects.filter(pk=event.ticket_id).values_list("merged_into", flat=True).first()
        if original is not None:
            unit = Assignment.lead_at(original, event.at)
    return unit


class AuditChainHead(models.Model):
    """The sealed end of one ticket's event chain: its position, hash and a MAC, so a deleted last event shows."""

    ticket = models.OneToOneField(Ticket, primary_key=True, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"
        # Created by the privacy app before the chain moved here with the events it seals; the table kept its name.
        db_table = "privacy_auditchainhead"

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.seq}"


def seal(event: Event) -> AuditChainHead:
    """Give an unsaved event its place in the ticket's chain; returns the moved head, to be saved after the insert.

    Must run inside the event's transaction. The ticket row lock serialises writers of one chain on PostgreSQL
    (transitions already hold it from their compare-and-swap; sweep alerts do not). On SQLite the write lock was
    taken at BEGIN IMMEDIATE (settings), so the SELECT ... FOR UPDATE is dropped by Django and nothing else is needed.
    """
    ring = keyring()
    list(Ticket.objects.select_for_update().filter(pk=event.ticket_id).values_list("pk", flat=True))
    head = AuditChainHead.objects.filter(pk=event.ticket_id).first()
    if head is None:
        head = AuditChainHead(ticket_id=event.ticket_id, seq=0, hash="")
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.hash = event_mac(event, ring)
    head.seq, head.hash = event.seq, event.hash
    head.mac = head_mac(event.ticket_id, head.seq, head.hash, ring)
    return head


class ReturnRequest(models.Model):
    """A unit's request to send a ticket back as not its own (Art. 13), and its review."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="return_requests")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("退回类型", max_length=8, choices=ReturnKind.choices)
    reason = models.TextField("退回理由")
    basis = models.TextField("依据")
    suggested_unit = models.ForeignKey(Unit, verbose_name="建议承办单位", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    prior_status = models.CharField(max_length=24)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    state = models.CharField("审核结果", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    reviewed_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "退回申请"


class ExtensionRequest(models.Model):
    """A unit's once-only request for more time (Art. 14), and its review."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extension_requests")
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
        verbose_name = verbose_name_plural = "延期申请"
        # The desk's extension queue asks, per ticket, whether a request is pending: a few rows among many.
        indexes = [models.Index(fields=["ticket"], name="extension_pending",
                                condition=Q(state=ReviewState.PENDING))]


class Reply(models.Model):
    """A unit's report of how it handled the ticket, with the fields Art. 15 requires, and its review (Art. 16)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    handler_name = models.CharField("办理机构或人员", max_length=100)
    handled_at = models.DateTimeField("办理时间")
    process = models.TextField("办理过程")
    result = models.TextField("办理结果")
    contact_note = models.TextField("联系服务对象情况")
    contacted = models.BooleanField("已联系服务对象", default=True)
    submitted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    state = models.CharField("审核结果", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING)
    reviewed_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    # Art. 27, 28(3): how well the reply answers the ticket (tickets/replycheck.py), a review aid; the reviewer decides.
    check_score = models.FloatField("答复相关度", null=True, blank=True)
    check_warning = models.CharField("文不对题提示", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办结反馈"


class FollowUp(models.Model):
    """One follow-up record (Art. 17): an agent's call or the requester's own rating from the portal or by SMS, with
    satisfaction on five levels, whether the problem was solved, whether and how the unit contacted the requester
    and, when dissatisfied, whose fault it was. A rating is never edited; an upheld appeal only excludes it from the
    assessment (Art. 25)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="follow_ups")
    requester = models.ForeignKey(Requester, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("回访渠道", max_length=8, choices=FollowUpChannel.choices,
                               default=FollowUpChannel.CALL)
    agent = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reached = models.BooleanField("联系上服务对象", default=True)
    satisfaction = models.CharField("满意度", max_length=2, choices=Satisfaction.choices, blank=True)
    solved = models.BooleanField("问题已解决", null=True, blank=True)
    # Null only where nobody answered it: an unreached call, or a rating that did not ask (Art. 17: never assumed).
    unit_contacted = models.BooleanField("承办单位联系过服务对象", null=True, blank=True)
    unit_contact_method = models.CharField("承办单位联系方式", max_length=8, choices=UnitContactMethod.choices,
                                           blank=True)
    fault = models.CharField("不满意原因", max_length=10, choices=Fault.choices, blank=True)
    unit_at_fault = models.BooleanField("不满意系承办单位主观原因", default=False)
    note = models.TextField("回访记录", blank=True)
    # Art. 25: the lead unit may appeal a dissatisfied rating until then (stored when the rating is recorded).
    appeal_due = models.DateTimeField("申诉截止", null=True, blank=True)
    excluded_from_assessment = models.BooleanField("不计入考核（申诉成立）", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "回访记录"
        indexes = [models.Index(fields=["channel", "at"])]
        constraints = [
            # A requester rates a ticket once per channel of their own (portal, SMS); calls repeat (three tries).
            models.UniqueConstraint(fields=["ticket", "channel"], condition=~Q(channel=FollowUpChannel.CALL),
                                    name="one_rating_per_ticket_and_channel"),
        ]


class Attachment(models.Model):
    """A file on disk (photo or document), checked for type and size before it is stored."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField("用途", max_length=16, choices=AttachmentPurpose.choices)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    return_request = models.ForeignKey(ReturnRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="photos")

    class Meta:
        verbose_name = verbose_name_plural = "附件"


class HandOff(models.Model):
    """A transfer to an emergency line (Art. 7): time, line, operator and summary."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="hand_off")
    line = models.CharField("联动线路", max_length=4, choices=EmergencyLine.choices)
    summary = models.TextField("转出摘要")
    operator = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "联动转出记录"


class ContactAttempt(models.Model):
    """One attempt to reach the requester (Art. 14.2: at least three within 24 hours for consultations)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="contact_attempts")
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    method = models.CharField("方式", max_length=16, choices=[("call", "回拨电话"), ("sms", "短信"),
                                                          ("relay", "经热线三方通话或转达")])
    reached = models.BooleanField("联系上", default=False)
    note = models.CharField("备注", max_length=200, blank=True)


class ConsultationAnswer(models.Model):
    """The consulted unit's answer to the hotline's question (Art. 12(1)); the operator then answers the requester."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="consultation_answers")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("单位答复")
    answered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("答复时间")

    class Meta:
        verbose_name = verbose_name_plural = "咨询单位答复"


class ClockAlert(models.Model):
    """A deadline warning or breach found by a sweep; unique so a sweep run twice records it once."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="alerts")
    clock = models.CharField(max_length=16)
    kind = models.CharField(max_length=8, choices=AlertKind.choices)
    due = models.DateTimeField()
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "时限提醒"
        constraints = [models.UniqueConstraint(fields=["ticket", "clock", "kind", "due"], name="one_alert_per_due")]


class Outbox(models.Model):
    """A side effect (SMS, push) to send after commit; a worker claims and sends it (STYLE 4)."""

    kind = models.CharField(max_length=32)
    payload = models.JSONField()
    # Sent with the message: the gateway drops a second message with an id it has seen. A worker killed after the
    # gateway took the message and before `sent_at` was written sends it again (at-least-once); this id makes the
    # citizen receive it once. A UUID, not the row id, so a restored database never reuses one.
    message_id = models.UUIDField("消息编号", default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"])]
