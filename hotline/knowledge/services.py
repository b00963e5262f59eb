"""Using the knowledge base on calls: answering a ticket from an article, feedback, and the figures of use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hotline.directory.choices import Role
from hotline.directory.models import Unit
from hotline.knowledge.choices import ArticleState, UpdateRequestState
from hotline.knowledge.models import Article, ArticleFeedback, ArticleUse, UpdateRequest
from hotline.lib.errors import Conflict, Forbidden, InvalidInput
from hotline.tickets import workflow as ticket_workflow
from hotline.tickets.models import Event, Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

FEEDBACK_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.REVIEWER, Role.FOLLOWUP, Role.SUPERVISOR, Role.MANAGER)


def answer_from_article(ticket: Ticket, article: Article, *, by: Staff, text: str = "") -> ArticleUse:
    """Answer `ticket` on the spot with `article`'s answer and link the two (Art. 12.1, 22)."""
    if article.state != ArticleState.PUBLISHED:
        raise Conflict("只能引用已发布的知识库文章", code="article_not_published")
    if not article.is_valid_on(timezone.localdate()):
        raise Conflict("该文章不在有效期内", code="article_not_valid")
    with transaction.atomic():
        ticket_workflow.answer(ticket, by=by, text=text.strip() or article.answer, article_ref=str(article.pk))
        try:
            with transaction.atomic():
                return ArticleUse.objects.create(article=article, ticket=ticket, by=by, at=timezone.now())
        except IntegrityError:  # pragma: no cover - a ticket is answered once; kept for a concurrent double submit
            return ArticleUse.objects.get(article=article, ticket=ticket)


def report_wrong(article: Article, *, by: Staff, note: str, ticket: Ticket | None = None) -> ArticleFeedback:
    """"This answer was wrong": recorded against the article for its unit and the hotline to see."""
    if by is None or not by.is_active or by.role not in FEEDBACK_ROLES:
        raise Forbidden("当前角色无权反馈", code="role_not_allowed")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请说明答复哪里有误", field="note", code="required")
    return ArticleFeedback.objects.create(article=article, ticket=ticket, by=by, at=timezone.now(), note=note)


def with_use_counts(qs: QuerySet[Article]) -> QuerySet[Article]:
    """Articles annotated with `use_count` and `wrong_count`."""
    return qs.annotate(use_count=Count("uses", distinct=True), wrong_count=Count("feedback", distinct=True))


@dataclass(frozen=True)
class Rate:
    """Direct answers out of all contacts for one topic or article, in a period."""

    key: object
    label: str
    answered: int
    total: int

    @property
    def rate(self) -> float:
        """Share answered on the spot, 0 when there were no contacts."""
        return self.answered / self.total if self.total else 0.0


def direct_answer_rate_by_topic(start: dt.datetime, end: dt.datetime) -> list[Rate]:
    """Per topic: tickets answered on the spot out of all tickets accepted in [start, end) (Art. 22)."""
    accepted = Event.objects.filter(action="accept", at__gte=start, at__lt=end).values("ticket_id")
    rows = (Ticket.objects.filter(pk__in=accepted)
            .values("topic_id", "topic__name")
            .annotate(total=Count("pk", distinct=True),
                      answered=Count("pk", filter=Q(events__action="answer"), distinct=True))
            .order_by("topic_id"))
    return [Rate(key=r["topic_id"], label=r["topic__name"] or "未分类", answered=r["answered"], total=r["total"])
            for r in rows]


def direct_answer_rate_by_article(start: dt.datetime, end: dt.datetime) -> list[Rate]:
    """Per article: the tickets answered from it, out of the tickets accepted in its topic in [start, end)."""
    totals = {r.key: r.total for r in direct_answer_rate_by_topic(start, end)}
    rows = (ArticleUse.objects.filter(at__gte=start, at__lt=end)
            .values("article_id", "article__title", "article__topic_id")
            .annotate(answered=Count("pk")).order_by("-answered"))
    return [Rate(key=r["article_id"], label=r["article__title"], answered=r["answered"],
                 total=totals.get(r["article__topic_id"], r["answered"])) for r in rows]


@dataclass(frozen=True)
class Upkeep:
    """One unit's standing in knowledge upkeep, as assessment counts it (Art. 27)."""

    unit: Unit
    overdue_requests: list[UpdateRequest]
    open_requests: list[UpdateRequest]
    expired_articles: list[Article]
    review_due_articles: list[Article]


def unit_upkeep(unit: Unit, *, now: dt.datetime | None = None) -> Upkeep:
    """Overdue and open update requests, expired articles and articles past their review date for `unit`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    requests = list(UpdateRequest.objects.filter(unit=unit).select_related("article").order_by("due"))
    overdue = [r for r in requests if r.is_overdue(now)]
    open_ = [r for r in requests if r.state == UpdateRequestState.OPEN and not r.is_overdue(now)]
    articles = Article.objects.filter(owner_unit=unit)
    return Upkeep(
        unit=unit, overdue_requests=overdue, open_requests=open_,
        expired_articles=list(articles.filter(state=ArticleState.EXPIRED).order_by("-updated_at")),
        review_due_articles=list(articles.filter(state=ArticleState.PUBLISHED, review_due__lte=today)
                                 .order_by("review_due")),
    )


def upkeep_summary(*, now: dt.datetime | None = None) -> list[dict[str, object]]:
    """Per unit with articles: counts of overdue requests and expired articles, worst first (Art. 27)."""
    now = now or timezone.now()
    overdue = Q(update_requests__state=UpdateRequestState.OPEN, update_requests__due__lt=now)
    rows = (Unit.objects.filter(articles__isnull=False).distinct()
            .annotate(overdue=Count("update_requests", filter=overdue, distinct=True),
                      expired=Count("articles", filter=Q(articles__state=ArticleState.EXPIRED), distinct=True),
                      published=Count("articles", filter=Q(articles__state=ArticleState.PUBLISHED), distinct=True))
            .order_by("-overdue", "-expired", "name"))
    return [{"unit": u, "overdue": u.overdue, "expired": u.expired, "published": u.published} for u in rows]

