"""Answering a ticket from an article links the two; uses, feedback and the direct-answer rate (Art. 12.1, 22)."""

import pytest
from django.utils import timezone

from hotline.knowledge import services, workflow
from hotline.knowledge.models import Article, ArticleUse
from hotline.lib.errors import Conflict, Forbidden, InvalidInput
from hotline.tickets.choices import Status
from tests.knowledge.base import KnowledgeTestCase


class TestAnswerFromArticle(KnowledgeTestCase):
    def test_it_answers_the_ticket_with_the_article_and_records_the_use(self):
        article = self.published()
        ticket = self.new_ticket(topic=self.topic_streetlight, request_type="consultation")
        use = services.answer_from_article(ticket, article, by=self.operator)
        ticket.refresh_from_db()
        assert ticket.status == Status.ANSWERED
        assert ticket.answer == article.answer
        assert ticket.events.get(action="answer").data == {"knowledge_article": str(article.pk)}
        assert (use.article, use.ticket, use.by) == (article, ticket, self.operator)
        counted = services.with_use_counts(Article.objects.filter(pk=article.pk)).get()
        assert counted.use_count == 1

    def test_it_refuses_a_draft_article_and_leaves_the_ticket_open(self):
        article = self.draft()
        ticket = self.new_ticket()
        with pytest.raises(Conflict):
            services.answer_from_article(ticket, article, by=self.operator)
        ticket.refresh_from_db()
        assert ticket.status == Status.PENDING_DISPATCH
        assert not ArticleUse.objects.exists()

    def test_it_records_no_use_when_the_ticket_cannot_be_answered(self):
        article = self.published()
        ticket = self.dispatched_ticket()
        with pytest.raises(Conflict):
            services.answer_from_article(ticket, article, by=self.operator)
        assert not ArticleUse.objects.exists()

    def test_it_refuses_a_unit_clerk_answering_a_call(self):
        article = self.published()
        with pytest.raises(Forbidden):
            services.answer_from_article(self.new_ticket(), article, by=self.unit_a_handler)
        assert not ArticleUse.objects.exists()


class TestFeedbackAndRates(KnowledgeTestCase):
    def test_it_counts_wrong_answer_reports_and_requires_a_reason(self):
        article = self.published()
        with pytest.raises(InvalidInput):
            services.report_wrong(article, by=self.operator, note="")
        services.report_wrong(article, by=self.operator, note="电话号码已停用")
        assert services.with_use_counts(Article.objects.filter(pk=article.pk)).get().wrong_count == 1

    def test_it_gives_the_direct_answer_rate_per_topic_and_per_article(self):
        start = timezone.now() - timezone.timedelta(hours=1)
        article = self.published()
        answered = self.new_ticket(topic=self.topic_streetlight)
        services.answer_from_article(answered, article, by=self.operator)
        self.new_ticket(topic=self.topic_streetlight)
        self.new_ticket(topic=self.topic_noise)
        end = timezone.now() + timezone.timedelta(hours=1)
        by_topic = {r.label: (r.answered, r.total) for r in services.direct_answer_rate_by_topic(start, end)}
        assert by_topic == {"路灯照明": (1, 2), "噪音扰民": (0, 1)}
        [row] = services.direct_answer_rate_by_article(start, end)
        assert (row.key, row.answered, row.total, row.rate) == (article.pk, 1, 2, 0.5)

    def test_it_keeps_update_requests_on_the_owner_unit(self):
        article = self.published()
        request = workflow.request_update(article, by=self.operator, note="电话变了",
                                          due=timezone.now() + timezone.timedelta(days=3))
        assert request.unit == self.unit_a
