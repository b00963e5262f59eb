"""The knowledge pages and the suggestion fragment the desk asks for while the operator types."""

from django.urls import reverse

from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article, ArticleUse
from hotline.tickets.choices import Status
from tests.knowledge.base import KnowledgeTestCase


class TestSuggestFragment(KnowledgeTestCase):
    def test_it_returns_an_empty_fragment_for_an_empty_query(self):
        self.published()
        self.client.force_login(self.operator)
        response = self.client.get(reverse("knowledge:suggest"), {"q": "  "})
        assert response.status_code == 200
        assert response.content.decode().strip() == ""

    def test_it_offers_the_top_published_articles_with_highlights_and_an_answer_button(self):
        article = self.published()
        self.draft(title="路灯不亮的草稿", answer="草稿内容")
        for i in range(6):
            self.published(title=f"路灯维修进度查询{i}", answer=f"第{i}种情况的答复。", questions="")
        self.client.force_login(self.operator)
        response = self.client.get(reverse("knowledge:suggest"), {"q": "我家门口路灯不亮了"})
        html = response.content.decode()
        self.assertTemplateUsed(response, "knowledge/_suggest.html")
        assert html.count('class="kb-suggestion') == 5
        assert f'data-article-id="{article.pk}"' in html
        assert "<mark>路灯</mark>" in html
        assert "草稿内容" not in html
        assert f'data-answer-text="{article.answer}"' in html

    def test_it_offers_a_direct_answer_form_when_a_ticket_is_named(self):
        article = self.published()
        ticket = self.new_ticket()
        self.client.force_login(self.operator)
        html = self.client.get(reverse("knowledge:suggest"), {"q": "路灯不亮", "ticket": ticket.number}).content
        assert reverse("knowledge:answer_with", args=[ticket.number, article.pk]).encode() in html

    def test_it_needs_a_login(self):
        response = self.client.get(reverse("knowledge:suggest"), {"q": "路灯"})
        assert response.status_code == 302


class TestPages(KnowledgeTestCase):
    def test_a_unit_clerk_drafts_and_submits_through_the_pages(self):
        self.client.force_login(self.unit_a_handler)
        response = self.client.post(reverse("knowledge:create"), {
            "title": "占道经营如何投诉", "answer": "可拨打12345反映，由城管执法局处理。", "questions": "路边摆摊占道",
            "owner_unit": self.unit_a.pk, "topic": self.topic_streetlight.pk,
        })
        article = Article.objects.get(title="占道经营如何投诉")
        self.assertRedirects(response, reverse("knowledge:detail", args=[article.pk]))
        self.client.post(reverse("knowledge:transition", args=[article.pk, "submit"]), {"note": ""})
        assert Article.objects.get(pk=article.pk).state == ArticleState.UNDER_REVIEW

    def test_the_version_history_names_the_states_in_chinese(self):
        article = self.draft()
        from hotline.knowledge import workflow

        workflow.submit(article, by=self.unit_a_handler)
        self.client.force_login(self.unit_a_handler)
        body = self.client.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
        assert "草稿 → 待审核" in body
        assert "under_review" not in body and "draft →" not in body

    def test_a_unit_cannot_see_another_units_draft(self):
        article = self.draft()
        self.client.force_login(self.unit_b_handler)
        assert self.client.get(reverse("knowledge:detail", args=[article.pk])).status_code == 404

    def test_a_refused_action_comes_back_with_its_chinese_message(self):
        article = self.draft()
        self.client.force_login(self.unit_a_handler)
        response = self.client.post(reverse("knowledge:transition", args=[article.pk, "publish"]), {"note": ""},
                                    follow=True)
        assert "当前角色无权执行“审核发布”" in response.content.decode()
        assert Article.objects.get(pk=article.pk).state == ArticleState.DRAFT

    def test_the_reviewer_sees_the_queue_and_publishes(self):
        article = self.draft()
        from hotline.knowledge import workflow

        workflow.submit(article, by=self.unit_a_handler)
        self.client.force_login(self.reviewer)
        assert article.title in self.client.get(reverse("knowledge:review")).content.decode()
        self.client.post(reverse("knowledge:transition", args=[article.pk, "publish"]), {"note": ""})
        assert Article.objects.get(pk=article.pk).state == ArticleState.PUBLISHED

    def test_the_list_searches_with_highlights_and_the_detail_shows_versions(self):
        article = self.published()
        self.client.force_login(self.operator)
        html = self.client.get(reverse("knowledge:list"), {"q": "路灯坏了"}).content.decode()
        assert "<mark>路灯</mark>" in html
        detail = self.client.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
        assert "审核发布" in detail and "v3" in detail

    def test_the_operator_answers_a_ticket_from_the_answer_page(self):
        article = self.published()
        ticket = self.new_ticket(request_type="consultation")
        self.client.force_login(self.operator)
        page = self.client.get(reverse("knowledge:answer_ticket", args=[ticket.number])).content.decode()
        assert reverse("knowledge:answer_with", args=[ticket.number, article.pk]) in page
        self.client.post(reverse("knowledge:answer_with", args=[ticket.number, article.pk]))
        ticket.refresh_from_db()
        assert ticket.status == Status.ANSWERED
        assert ArticleUse.objects.filter(ticket=ticket, article=article).exists()

    def test_the_upkeep_page_lists_units_for_the_hotline(self):
        self.published()
        self.client.force_login(self.manager)
        assert self.unit_a.name in self.client.get(reverse("knowledge:upkeep")).content.decode()
        self.client.force_login(self.unit_a_handler)
        assert self.client.get(reverse("knowledge:upkeep")).status_code == 200
