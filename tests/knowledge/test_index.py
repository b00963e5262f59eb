"""The in-process index follows publishing, withdrawing and expiry, and applies the operator's filters."""

import datetime as dt

import time_machine

from hotline.directory.models import Unit
from hotline.knowledge import index, workflow
from hotline.knowledge.models import Article
from tests.base import local
from tests.knowledge.base import KnowledgeTestCase


def ids(query, **filters):
    return [a.pk for a, _score in index.search(query, filters=index.Filters(**filters))]


class TestIndexFollowsEdits(KnowledgeTestCase):
    def test_it_finds_only_published_articles(self):
        draft = self.draft()
        assert ids("路灯不亮") == []
        workflow.submit(draft, by=self.unit_a_handler)
        assert ids("路灯不亮") == []
        workflow.publish(draft, by=self.reviewer)
        assert ids("路灯不亮") == [draft.pk]

    def test_it_drops_a_withdrawn_article_without_rebuilding(self):
        article = self.published()
        other = self.published(title="井盖缺失怎么报修", answer="井盖由产权单位负责补装。", questions="")
        before = index.current().index
        workflow.withdraw(article, by=self.reviewer, note="已废止")
        assert ids("路灯不亮") == []
        assert index.current().index is before  # masked, not rebuilt
        assert ids("井盖缺失") == [other.pk]

    def test_it_sees_a_change_made_by_another_process(self):
        article = self.published()
        assert ids("路灯不亮") == [article.pk]
        # Another worker withdrew it: only the database changed, this process's index did not hear of it.
        Article.objects.filter(pk=article.pk).update(state="withdrawn", updated_at=local(2030, 1, 1))
        assert ids("路灯不亮") == []

    def test_it_finds_the_new_text_after_a_revision_is_published(self):
        article = self.published()
        workflow.revise(article, by=self.unit_a_handler)
        workflow.edit(article, by=self.unit_a_handler, title="路灯报修电话", answer="拨打路灯管理所电话0739-1234567。")
        workflow.submit(article, by=self.unit_a_handler)
        workflow.publish(article, by=self.reviewer)
        assert ids("路灯报修电话") == [article.pk]


class TestFilters(KnowledgeTestCase):
    def test_it_filters_by_topic_including_subtopics_and_by_unit(self):
        lamp = self.published()
        housing = self.published(title="路灯电费由谁承担", answer="小区内路灯电费由物业承担。", questions="",
                                 topic=self.topic_housing, owner_unit=self.unit_b, by=self.reviewer)
        assert set(ids("路灯")) == {lamp.pk, housing.pk}
        assert ids("路灯", topic=self.topic_streetlight.parent) == [lamp.pk]
        assert ids("路灯", unit=self.unit_b) == [housing.pk]

    def test_it_keeps_city_wide_articles_when_filtering_by_region(self):
        city = self.published()
        other_county = Unit.objects.create(code="daxiang", name="大祥区", kind="county")
        local_one = self.published(title="路灯不亮（大祥区）", answer="大祥区路灯由区城管局维修。", questions="",
                                   region=other_county)
        assert set(ids("路灯不亮", region=self.county)) == {city.pk}
        assert set(ids("路灯不亮", region=other_county)) == {city.pk, local_one.pk}

    @time_machine.travel(local(2026, 5, 10, 9), tick=False)
    def test_it_keeps_articles_not_yet_valid_out_unless_asked(self):
        later = self.published(valid_from=dt.date(2026, 6, 1))
        assert ids("路灯不亮") == []
        assert ids("路灯不亮", valid_today=False) == [later.pk]


class TestStoredWords(KnowledgeTestCase):
    def test_it_stores_the_segmented_words_at_publishing_and_builds_from_them(self):
        article = self.published()
        article.refresh_from_db()
        assert "灯不亮" in article.search_head.split()
        # A process starting up trusts the stored words: prove it by storing words the text does not contain.
        Article.objects.filter(pk=article.pk).update(search_head="暗号", search_answer="")
        index.reset()
        assert [h.id for h in index.search_ids("暗号")] == [article.pk]
