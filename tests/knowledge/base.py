"""Shared helpers of the knowledge tests: articles written by unit A and published by the hotline."""

from __future__ import annotations

from typing import Any

from hotline.knowledge import index, workflow
from hotline.knowledge.models import Article
from tests.base import HotlineTestCase


class KnowledgeTestCase(HotlineTestCase):
    """Personas plus a fresh in-process search index for every test."""

    def setUp(self) -> None:
        super().setUp()
        index.reset()

    def draft(self, **fields: Any) -> Article:
        data: dict[str, Any] = {
            "title": "路灯不亮找哪个部门", "answer": "城区路灯由市城管执法局路灯管理所负责维修，可拨打12345登记。",
            "questions": "路灯坏了谁来修\n小区门口路灯不亮怎么办", "topic": self.topic_streetlight,
        }
        data.update(fields)
        by = data.pop("by", self.unit_a_handler)
        unit = data.pop("owner_unit", self.unit_a)
        return workflow.create(by=by, owner_unit=unit, **data)

    def published(self, **fields: Any) -> Article:
        article = self.draft(**fields)
        workflow.submit(article, by=self.unit_a_handler if article.owner_unit_id == self.unit_a.pk
                        else self.reviewer)
        return workflow.publish(article, by=self.reviewer)
