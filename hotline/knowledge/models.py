"""The co-built knowledge base (Art. 22): unit-owned articles, their versions, upkeep requests and use."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from hotline.directory.models import Staff, Topic, Unit
from hotline.knowledge.choices import ArticleAction, ArticleState, UpdateRequestState
from hotline.tickets.models import Ticket


class Article(models.Model):
    """One answer the hotline may give: title, the ways people ask it, the answer, and who keeps it true (Art. 22)."""

    title = models.CharField("标题", max_length=200)
    questions = models.TextField("常见问法", blank=True, help_text="每行一种问法")
    answer = models.TextField("答复口径")
    topic = models.ForeignKey(Topic, verbose_name="事项分类", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="articles")
    # Art. 22: 谁提供、谁维护、谁更新 — the owner unit keeps the article current.
    owner_unit = models.ForeignKey(Unit, verbose_name="维护单位", on_delete=models.PROTECT, related_name="articles")
    region = models.ForeignKey(Unit, verbose_name="适用区县", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="region_articles", help_text="留空表示全市适用")
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True)
    review_due = models.DateField("复核日期", null=True, blank=True)
    source_document = models.CharField("依据文件", max_length=300, blank=True)
    # Art. 22: 答疑清单 for sudden public events, published fast by the hotline and expiring on their own.
    is_emergency = models.BooleanField("应急答疑清单", default=False)
    emergency_event = models.CharField("突发事件", max_length=100, blank=True)
    expires_at = models.DateTimeField("自动失效时间", null=True, blank=True)
    # jieba words of title + question forms and of the answer, stored at publishing so that a process starting up
    # builds its search index without segmenting 100,000 articles again (see knowledge/index.py).
    search_head = models.TextField(blank=True, editable=False)
    search_answer = models.TextField(blank=True, editable=False)
    state = models.CharField("状态", max_length=16, choices=ArticleState.choices, default=ArticleState.DRAFT)
    # Bumped by every change; the compare-and-swap checks it so two editors cannot both win (STYLE 2).
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = verbose_name_plural = "知识库文章"
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ArticleState.values), name="article_state_valid"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                                   | Q(valid_to__gte=models.F("valid_from")), name="article_valid_range"),
        ]
        indexes = [
            models.Index(fields=["state", "owner_unit"]),
            models.Index(fields=["state", "valid_to"]),
            models.Index(fields=["state", "expires_at"]),
            # The search index's revision check reads the newest change (see knowledge/index.py).
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def question_list(self) -> list[str]:
        """The question forms, one per non-empty line."""
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether `day` lies inside the article's validity period."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class ArticleVersion(models.Model):
    """One append-only line of an article's history: who changed what, the state move, and the full text then."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    action = models.CharField("动作", max_length=24, choices=ArticleAction.choices)
    from_state = models.CharField("原状态", max_length=16, blank=True)
    to_state = models.CharField("新状态", max_length=16)
    by = models.ForeignKey(Staff, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField("时间")
    note = models.TextField("说明", blank=True)
    changes = models.JSONField("修改内容", default=dict, blank=True)
    snapshot = models.JSONField("当时全文", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "文章版本"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="one_row_per_article_version")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number} {self.action}"

    @property
    def from_state_label(self) -> str:
        """The state before, in Chinese (the history shows 待审核 → 已发布, not the stored values)."""
        return _state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        """The state after, in Chinese."""
        return _state_label(self.to_state)


def _state_label(value: str) -> str:
    return str(ArticleState(value).label) if value in ArticleState.values else value


def _attachment_path(instance: ArticleAttachment, filename: str) -> str:
    return f"knowledge/{instance.article_id}/{filename}"


class ArticleAttachment(models.Model):
    """A file attached to an article: the policy text, a form, a flow chart."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=_attachment_path)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "文章附件"

    def __str__(self) -> str:
        return self.name


class UpdateRequest(models.Model):
    """The hotline asks the owner unit to update an article by a deadline; late ones count in assessment (Art. 27)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="update_requests")
    unit = models.ForeignKey(Unit, verbose_name="维护单位", on_delete=models.PROTECT, related_name="update_requests")
    note = models.TextField("需更新的内容")
    due = models.DateTimeField("更新时限")
    state = models.CharField("状态", max_length=12, choices=UpdateRequestState.choices,
                             default=UpdateRequestState.OPEN)
    requested_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "更新提醒"
        indexes = [models.Index(fields=["unit", "state", "due"])]

    def __str__(self) -> str:
        return f"{self.article_id} {self.state}"

    def is_overdue(self, now: dt.datetime) -> bool:
        """Open past its deadline, or done after it."""
        if self.state == UpdateRequestState.OPEN:
            return now > self.due
        return self.state == UpdateRequestState.DONE and self.done_at is not None and self.done_at > self.due


class ArticleUse(models.Model):
    """A ticket answered on the spot from an article (Art. 12.1): feeds use counts and the direct-answer rate."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="uses")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="knowledge_uses")
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "知识引用"
        constraints = [models.UniqueConstraint(fields=["article", "ticket"], name="one_use_per_ticket_article")]
        indexes = [models.Index(fields=["article", "at"])]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.ticket_id}"


class ArticleFeedback(models.Model):
    """"This answer was wrong": an operator's report that sends the article back to its unit's attention."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField("问题说明")

    class Meta:
        verbose_name = verbose_name_plural = "答复有误反馈"

    def __str__(self) -> str:
        return f"{self.article_id} {self.at:%Y-%m-%d}"
