"""The follow-up desk and an appeal in a real browser (Art. 17, 25): an agent records a dissatisfied call through the
unit's fault from the keyboard and the ticket goes back for rework; later the unit appeals a dissatisfied rating with
proof of contact and a reviewer upholds it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from hotline.followups.models import Appeal
from hotline.tickets import workflow
from hotline.tickets.choices import AppealState, Status
from hotline.tickets.models import FollowUp, Ticket
from tests.base import PASSWORD, make_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Tab:
    """A logged-in browser context for one persona."""

    def __init__(self, browser, base_url: str, username: str) -> None:
        self.context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                           viewport={"width": 1440, "height": 900})
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", lambda r: r.status >= 400 and "/static/" in r.url and self.errors.append(r.url))
        self.page.goto(f"{base_url}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(r"/(desk|inbox|tickets)/"))

    def close(self) -> None:
        assert self.errors == []
        self.context.close()


def resolved(people: dict) -> Ticket:
    ticket = workflow.create_ticket(by=people["operator"], channel="phone", request_type="complaint",
                                    content="小区门口路灯不亮已经一周", address="双清区龙须塘街道",
                                    requester={"name": "张三", "phone": "13987654321"})
    workflow.dispatch(ticket, by=people["dispatcher"], lead_unit=people["unit_a"])
    workflow.sign(ticket, by=people["unit_a_handler"])
    return reply_and_approve(ticket, people)


def reply_and_approve(ticket: Ticket, people: dict) -> Ticket:
    workflow.reply(ticket, by=people["unit_a_handler"], handler_name="李工", handled_at=timezone.now(),
                   process="更换灯具", result="路灯已修复", contact_note="电话告知服务对象", contacted=True)
    return workflow.review_reply(ticket, by=people["reviewer"], approve=True)


def test_a_dissatisfied_call_goes_back_for_rework_and_an_appeal_is_upheld(browser, live_server, tmp_path,
                                                                        artifacts):
    people = make_directory()
    ticket = resolved(people)
    url = live_server.url

    agent = Tab(browser, url, "followup")
    page = agent.page
    page.click("text=回访与申诉")
    page.wait_for_url("**/followups/")
    row = page.locator(f"#follow-up-queue tr[data-number='{ticket.number}']")
    expect(row).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/followups/{ticket.number}/")
    expect(page.locator("[data-testid=masked-phone]")).to_have_text("139****4321")
    page.keyboard.press("Alt+1")  # 非常不满意, and reached
    form = page.locator("#follow-up-form")
    expect(form.locator("[name=reached]")).to_have_value("yes")
    form.locator("[name=solved]").select_option("no")
    form.locator("[name=unit_contacted]").select_option("no")
    page.keyboard.press("Alt+u")
    form.locator("[name=note]").fill("服务对象反映无人联系，路灯仍不亮")
    form.locator("[name=note]").press("Control+Enter")
    page.wait_for_url("**/followups/")
    expect(page.locator(".alert-warning, .alert")).to_contain_text("发回承办单位重办")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rework_count) == (Status.IN_PROGRESS, 1)
    page.screenshot(path=str(artifacts / "follow-up-desk.png"))
    agent.close()

    reply_and_approve(ticket, people)
    rating = workflow.follow_up(ticket, by=people["followup"], reached=True, satisfaction="2", solved=False,
                                unit_contacted=True, unit_contact_method="phone", fault="requester")

    unit = Tab(browser, url, "unit_a_handler")
    page = unit.page
    page.click("text=回访与申诉")
    page.wait_for_url("**/followups/appeals/")
    page.locator("[data-testid=appealable] a:text('申诉')").first.click()  # both dissatisfied calls may be appealed
    page.wait_for_url(f"**/followups/{ticket.number}/appeal/")
    page.select_option("#id_follow_up", str(rating.pk))
    page.select_option("#id_ground", "untrue")
    page.fill("#id_statement", "办理当日已两次电话联系服务对象并上门查看，附通话记录截图")
    proof = tmp_path / "call-log.png"
    Image.new("RGB", (24, 24), (200, 220, 240)).save(proof)
    page.set_input_files("#contact-proof", str(proof))
    page.click("#appeal-form button[type=submit]")
    page.wait_for_url("**/followups/appeals/")
    expect(page.locator("[data-testid=appeal-table]")).to_contain_text("待审核")
    unit.close()

    reviewer = Tab(browser, url, "reviewer")
    page = reviewer.page
    page.click("text=回访与申诉")
    page.wait_for_url("**/followups/appeals/")
    page.locator(f"[data-testid=appeal-table] a:text('{ticket.number}')").click()
    expect(page.locator("dl")).to_contain_text("call-log.png")
    page.check("input[name=decision][value=uphold]")
    page.fill("#id_note", "通话记录属实，申诉成立")
    page.click("#appeal-review-form button[type=submit]")
    page.wait_for_url("**/followups/appeals/")
    page.goto(f"{url}/tickets/{ticket.number}/")
    expect(page.locator("[data-testid=follow-up][data-channel=call]").first).to_contain_text("申诉成立，不计入考核")
    page.screenshot(path=str(artifacts / "appeal-upheld.png"))
    reviewer.close()

    appeal = Appeal.objects.get()
    assert appeal.state == AppealState.UPHELD
    stored = FollowUp.objects.get(pk=rating.pk)
    assert (stored.satisfaction, stored.excluded_from_assessment) == ("2", True)
