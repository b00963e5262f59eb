"""In a real browser: a unit clerk drafts an article, the hotline publishes it, an operator finds it while typing and
answers a ticket from it (issue 5, item 7; Art. 12.1, 22)."""

from __future__ import annotations

import re

import pytest

from hotline.knowledge import index
from hotline.knowledge.models import Article, ArticleUse
from hotline.tickets import workflow as ticket_workflow
from hotline.tickets.choices import Status
from tests.base import PASSWORD, make_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def chromium(browser: object) -> object:
    """The session's one headless chromium (tests/conftest.py)."""
    return browser


def login(chromium, base_url: str, username: str):
    context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(desk|inbox|tickets)/"))
    return page


def test_a_unit_article_goes_from_draft_to_an_answered_call(chromium, live_server):
    index.reset()
    people = make_directory()
    base = live_server.url

    clerk = login(chromium, base, "unit_a_handler")
    clerk.goto(f"{base}/knowledge/new/")
    clerk.fill("#id_title", "井盖缺失或破损怎么报修")
    clerk.fill("#id_questions", "路上井盖丢了找谁\n窨井盖坏了谁来修")
    clerk.fill("#id_answer", "道路井盖由产权单位负责维护，城管执法局接报后2小时内设置警示、24小时内补装。")
    clerk.select_option("#id_topic", label=str(people["topic_manhole"]))
    clerk.click("button:text('保存草稿')")
    clerk.wait_for_url(re.compile(r"/knowledge/\d+/$"))
    clerk.click("button:text('提交审核')")
    assert clerk.locator("[data-testid=article-state]").inner_text() == "待审核"
    article = Article.objects.get(title="井盖缺失或破损怎么报修")

    reviewer = login(chromium, base, "reviewer")
    reviewer.goto(f"{base}/knowledge/review/")
    reviewer.click("[data-testid=review-queue] a:text('井盖缺失或破损怎么报修')")
    reviewer.click("button:text('审核通过并发布')")
    assert reviewer.locator("[data-testid=article-state]").inner_text() == "已发布"

    ticket = ticket_workflow.create_ticket(by=people["operator"], channel="phone", request_type="consultation",
                                           content="市民来电咨询", requester={"name": "王五", "phone": "13912345678"})
    operator = login(chromium, base, "operator")
    operator.goto(f"{base}/knowledge/answer/{ticket.number}/")
    box = operator.locator("#kb-query")
    box.fill("")
    box.press_sequentially("我家楼下的窨井盖丢了", delay=30)
    suggestion = operator.locator(f".kb-suggestion[data-article-id='{article.pk}']")
    suggestion.wait_for()
    assert "<mark>" in suggestion.inner_html()
    suggestion.locator("button:text('用此答复')").click()
    operator.wait_for_selector("text=已按知识库直接答复")

    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED
    assert ticket.answer == article.answer
    assert ArticleUse.objects.filter(article=article, ticket=ticket, by=people["operator"]).exists()
