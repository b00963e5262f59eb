"""Timed jobs of the knowledge base, "handle one, return bool" (STYLE 6); listed in `hotline.ops.schedule`."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from hotline.knowledge import workflow
from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article
from hotline.lib.errors import ConcurrentChange, TransitionNotAllowed

log = logging.getLogger(__name__)


def expire_one(now: dt.datetime | None = None) -> bool:
    """Expire one published article past its validity, or one 答疑清单 past its expiry (Art. 22); False if none."""
    now = now or timezone.now()
    due = Q(expires_at__lte=now) | Q(valid_to__lt=timezone.localdate(now))
    article = Article.objects.filter(due, state=ArticleState.PUBLISHED).order_by("pk").first()
    if article is None:
        return False
    try:
        workflow.expire(article, now=now)
    except (ConcurrentChange, TransitionNotAllowed):
        # Another worker expired it, or it was withdrawn or revised meanwhile: nothing left to do for this one.
        log.info("expire_one: article %s moved by someone else", article.pk)
    return True
