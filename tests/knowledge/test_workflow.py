"""Article states: units write, the hotline publishes, every change leaves a version row (Art. 22)."""

import datetime as dt

import pytest
import time_machine

from hotline.knowledge import workflow
from hotline.knowledge.choices import ArticleState, UpdateRequestState
from hotline.knowledge.models import Article
from hotline.lib.errors import ConcurrentChange, Forbidden, InvalidInput, TransitionNotAllowed
from tests.base import local
from tests.knowledge.base import KnowledgeTestCase


class TestWritingAndPublishing(KnowledgeTestCase):
    def test_it_walks_draft_review_published_writing_one_version_per_change(self):
        article = self.draft()
        workflow.edit(article, by=self.unit_a_handler, answer="城区路灯由路灯管理所负责，24小时内修复。")
        workflow.submit(article, by=self.unit_a_handler)
        workflow.publish(article, by=self.reviewer)
        article.refresh_from_db()
        assert article.state == ArticleState.PUBLISHED
        assert article.published_at is not None
        rows = list(article.versions.order_by("number").values_list("number", "action", "by__username"))
        assert rows == [(1, "create", "unit_a_handler"), (2, "edit", "unit_a_handler"),
                        (3, "submit", "unit_a_handler"), (4, "publish", "reviewer")]
        edit = article.versions.get(action="edit")
        assert edit.changes["answer"][1] == "城区路灯由路灯管理所负责，24小时内修复。"
        assert edit.snapshot["answer"] == "城区路灯由路灯管理所负责，24小时内修复。"

    def test_it_refuses_a_unit_writing_for_another_unit(self):
        with pytest.raises(Forbidden):
            self.draft(by=self.unit_b_handler)
        article = self.draft()
        with pytest.raises(Forbidden):
            workflow.edit(article, by=self.unit_b_handler, title="改名")
        with pytest.raises(Forbidden):
            workflow.submit(article, by=self.unit_b_handler)

    def test_it_refuses_units_and_operators_publishing(self):
        article = self.draft()
        workflow.submit(article, by=self.unit_a_handler)
        for who in (self.unit_a_manager, self.operator):
            with pytest.raises(Forbidden):
                workflow.publish(article, by=who)

    def test_it_refuses_publishing_a_draft_that_was_not_submitted(self):
        article = self.draft()
        with pytest.raises(TransitionNotAllowed):
            workflow.publish(article, by=self.reviewer)

    def test_it_sends_back_with_a_reason_and_refuses_without_one(self):
        article = self.draft()
        workflow.submit(article, by=self.unit_a_handler)
        with pytest.raises(InvalidInput):
            workflow.reject(article, by=self.reviewer, note=" ")
        workflow.reject(article, by=self.reviewer, note="请补充报修电话")
        assert Article.objects.get(pk=article.pk).state == ArticleState.DRAFT

    def test_it_refuses_editing_once_submitted_until_revised(self):
        article = self.published()
        with pytest.raises(TransitionNotAllowed):
            workflow.edit(article, by=self.unit_a_handler, title="新标题")
        workflow.revise(article, by=self.unit_a_handler)
        workflow.edit(article, by=self.unit_a_handler, title="新标题")
        assert Article.objects.get(pk=article.pk).title == "新标题"

    def test_it_refuses_a_stale_copy_after_someone_else_changed_the_article(self):
        article = self.draft()
        stale = Article.objects.get(pk=article.pk)
        workflow.submit(article, by=self.unit_a_handler)
        with pytest.raises(ConcurrentChange):
            workflow.submit(stale, by=self.unit_a_manager)

    def test_it_refuses_an_end_date_before_the_start(self):
        with pytest.raises(InvalidInput) as err:
            self.draft(valid_from=dt.date(2026, 5, 1), valid_to=dt.date(2026, 4, 1))
        assert err.value.field == "valid_to"

    def test_it_withdraws_with_a_reason(self):
        article = self.published()
        workflow.withdraw(article, by=self.unit_a_manager, note="政策已废止")
        assert Article.objects.get(pk=article.pk).state == ArticleState.WITHDRAWN


class TestEmergencyAnswerLists(KnowledgeTestCase):
    @time_machine.travel(local(2026, 7, 1, 9), tick=False)
    def test_it_publishes_an_emergency_list_at_once_and_expires_it_by_itself(self):
        from hotline.knowledge.sweeps import expire_one

        article = self.draft(title="暴雨期间停课安排", answer="7月1日全市中小学停课一天。", is_emergency=True,
                             emergency_event="7·1暴雨", expires_at=local(2026, 7, 2, 18), by=self.reviewer)
        workflow.publish_emergency(article, by=self.reviewer)
        assert article.state == ArticleState.PUBLISHED
        assert expire_one() is False
        with time_machine.travel(local(2026, 7, 2, 18, 1), tick=False):
            assert expire_one() is True
            assert expire_one() is False
        article.refresh_from_db()
        assert article.state == ArticleState.EXPIRED
        assert article.versions.first().action == "expire"

    def test_it_refuses_fast_publishing_an_ordinary_article_or_one_without_expiry(self):
        with pytest.raises(InvalidInput):
            workflow.publish_emergency(self.draft(), by=self.reviewer)
        with pytest.raises(InvalidInput):
            workflow.publish_emergency(self.draft(title="另一篇", is_emergency=True), by=self.reviewer)

    @time_machine.travel(local(2026, 3, 1, 9), tick=False)
    def test_it_expires_an_ordinary_article_after_its_last_valid_day(self):
        from hotline.knowledge.sweeps import expire_one

        article = self.published(valid_to=dt.date(2026, 3, 31))
        with time_machine.travel(local(2026, 3, 31, 23, 59), tick=False):
            assert expire_one() is False
        with time_machine.travel(local(2026, 4, 1, 0, 1), tick=False):
            assert expire_one() is True
        article.refresh_from_db()
        assert article.state == ArticleState.EXPIRED


class TestUpdateRequests(KnowledgeTestCase):
    @time_machine.travel(local(2026, 3, 2, 9), tick=False)
    def test_it_lists_an_unanswered_request_as_overdue_after_its_deadline(self):
        from hotline.knowledge.services import unit_upkeep, upkeep_summary

        article = self.published()
        request = workflow.request_update(article, by=self.reviewer, note="报修电话已变更",
                                          due=local(2026, 3, 5, 18))
        assert unit_upkeep(self.unit_a).overdue_requests == []
        with time_machine.travel(local(2026, 3, 6, 9), tick=False):
            upkeep = unit_upkeep(self.unit_a)
            assert [r.pk for r in upkeep.overdue_requests] == [request.pk]
            assert upkeep_summary()[0]["overdue"] == 1

    @time_machine.travel(local(2026, 3, 2, 9), tick=False)
    def test_it_closes_the_request_when_the_unit_resubmits_in_time(self):
        article = self.published()
        request = workflow.request_update(article, by=self.reviewer, note="报修电话已变更",
                                          due=local(2026, 3, 5, 18))
        workflow.revise(article, by=self.unit_a_handler)
        workflow.edit(article, by=self.unit_a_handler, answer="报修电话：0739-1234567。")
        workflow.submit(article, by=self.unit_a_handler)
        request.refresh_from_db()
        assert request.state == UpdateRequestState.DONE
        assert not request.is_overdue(local(2026, 3, 9))

    def test_it_refuses_a_deadline_in_the_past_and_units_asking(self):
        article = self.published()
        with pytest.raises(InvalidInput):
            workflow.request_update(article, by=self.reviewer, note="x", due=local(2020, 1, 1))
        with pytest.raises(Forbidden):
            workflow.request_update(article, by=self.unit_b_handler, note="x", due=local(2099, 1, 1))
