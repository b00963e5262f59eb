"""The reviewer sees the reply check's warning and its reason in the review panel, in a browser (Art. 27, 28(3))."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hotline.tickets import replycheck, workflow
from tests.base import make_directory
from tests.browser.test_ticket_walkthrough import Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_warns_the_reviewer_of_a_reply_copied_from_another_ticket(browser, live_server, artifacts):
    people = make_directory()
    replycheck.reset()
    water = workflow.create_ticket(
        by=people["operator"], channel="phone", request_type="complaint", address="双清区龙须塘街道",
        content="龙须塘街道红旗小区从昨天早上开始停水，一直没有来水，也没有看到停水通知",
        requester={"name": "王五", "phone": "13900001111"})
    ticket = workflow.create_ticket(
        by=people["operator"], channel="phone", request_type="complaint", address="双清区龙须塘街道",
        content="小区门口路灯不亮已经一周，晚上出行很不方便", requester={"name": "张三", "phone": "13987654321"})
    workflow.dispatch(ticket, by=people["dispatcher"], lead_unit=people["unit_a"])
    workflow.sign(ticket, by=people["unit_a_handler"])
    workflow.reply(ticket, by=people["unit_a_handler"], handler_name="李工", handled_at=timezone.now(),
                   process="接到反映后，市自来水公司立即派人到红旗小区排查，系小区加压泵故障导致停水",
                   result="已更换加压泵，红旗小区于当日下午恢复供水", contact_note="电话告知", contacted=True)

    reviewer = Desk(browser, live_server.url, "reviewer")
    reviewer.page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    panel = reviewer.open_panel("review_reply")
    warning = panel.locator("[data-testid=reply-check-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(water.number)
    reviewer.page.screenshot(path=str(artifacts / "reply-check-warning.png"))
    reviewer.close()
