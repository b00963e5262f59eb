"""The demo's knowledge base: enough unit-owned articles, in every state upkeep counts, found by ordinary questions."""

from __future__ import annotations

import time_machine
from django.test import TestCase
from django.utils import timezone

from hotline.demo import build as demo
from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.knowledge import index
from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article, ArticleUse
from hotline.knowledge.services import unit_upkeep, upkeep_summary
from tests.base import local


class DemoKnowledgeBase(TestCase):
    """The demo built with 40 tickets on Monday 23 November 2026, 09:30."""

    now = local(2026, 11, 23, 9, 30)

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(cls.now, tick=False):
            cls.summary = demo.build(tickets=40, seed=7, password="Demo-Pass-2026-kb")

    def setUp(self) -> None:
        index.reset()

    def test_it_publishes_at_least_sixty_articles_owned_by_the_demo_units(self):
        published = Article.objects.filter(state=ArticleState.PUBLISHED)
        assert published.count() >= 60
        assert not published.filter(owner_unit__kind=UnitKind.HOTLINE).exists()
        assert published.values("topic").distinct().count() >= 40
        assert self.summary.refused == []

    def test_it_has_articles_in_every_state_and_for_upkeep_to_show(self):
        assert set(Article.objects.values_list("state", flat=True)) == set(ArticleState.values)
        with time_machine.travel(self.now, tick=False):
            today = timezone.localdate()
            assert Article.objects.filter(state=ArticleState.PUBLISHED, review_due__lte=today).count() >= 3
            summary = upkeep_summary()
            assert sum(row["overdue"] for row in summary) >= 2  # type: ignore[misc]
            late = [unit_upkeep(u) for u in Unit.objects.filter(articles__isnull=False).distinct()]
            assert any(r.state == "done" for u in late for r in u.overdue_requests)

    def test_it_links_tickets_answered_on_the_spot_to_articles(self):
        assert ArticleUse.objects.exists()
        for use in ArticleUse.objects.select_related("article", "ticket"):
            assert use.article.topic_id == use.ticket.topic_id

    def test_it_finds_the_outage_article_for_a_callers_question(self):
        with time_machine.travel(self.now, tick=False):
            hits = index.search("停电了 报修电话是多少", k=3)
        assert hits and hits[0][0].topic.name == "停电"
