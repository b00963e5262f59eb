"""Withdrawing an update request: the hotline's reviewer cancels an open request from the article page."""

import datetime as dt

from django.utils import timezone

from hotline.knowledge import workflow
from hotline.knowledge.choices import UpdateRequestState
from tests.knowledge.base import KnowledgeTestCase


class TestCancelUpdate(KnowledgeTestCase):
    def test_the_reviewer_withdraws_an_open_request_from_the_article_page(self):
        article = self.published()
        update = workflow.request_update(article, by=self.reviewer, note="请核对收费标准",
                                         due=timezone.now() + dt.timedelta(days=3))
        self.client.force_login(self.reviewer)
        page = self.client.get(f"/knowledge/{article.pk}/")
        assert "撤回提醒" in page.content.decode()
        response = self.client.post(f"/knowledge/{article.pk}/request-update/cancel/", {"request": update.pk})
        assert response.status_code == 302
        update.refresh_from_db()
        assert update.state == UpdateRequestState.CANCELLED and update.done_by == self.reviewer

    def test_a_second_withdrawal_is_refused_with_a_message(self):
        article = self.published()
        update = workflow.request_update(article, by=self.reviewer, note="请核对",
                                         due=timezone.now() + dt.timedelta(days=3))
        workflow.cancel_update_request(update, by=self.reviewer)
        self.client.force_login(self.reviewer)
        response = self.client.post(f"/knowledge/{article.pk}/request-update/cancel/", {"request": update.pk},
                                    follow=True)
        assert "更新提醒已处理" in response.content.decode()

    def test_a_unit_clerk_cannot_withdraw_the_hotlines_request(self):
        article = self.published()
        update = workflow.request_update(article, by=self.reviewer, note="请核对",
                                         due=timezone.now() + dt.timedelta(days=3))
        self.client.force_login(self.unit_a_handler)
        self.client.post(f"/knowledge/{article.pk}/request-update/cancel/", {"request": update.pk})
        update.refresh_from_db()
        assert update.state == UpdateRequestState.OPEN
