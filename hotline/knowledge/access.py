"""Who sees which articles: the hotline sees all; a unit sees what is published and everything of its own (Art. 22)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article
from hotline.lib.errors import NotFound

if TYPE_CHECKING:
    from hotline.directory.models import Staff


def visible_articles(user: Staff) -> QuerySet[Article]:
    """Articles `user` may read; drafts of another unit stay invisible."""
    qs = Article.objects.select_related("topic", "owner_unit", "region")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_hotline:
        return qs
    return qs.filter(Q(state=ArticleState.PUBLISHED) | Q(owner_unit_id=user.unit_id))


def access_article(user: Staff, pk: int) -> Article:
    """The article `pk` if `user` may see it; NotFound otherwise (writes are checked again by the workflow)."""
    article = visible_articles(user).filter(pk=pk).first()
    if article is None:
        raise NotFound("文章不存在或无权查看", code="article_not_found")
    return article
