"""The supervisor's desk in a real browser (Art. 24): one case from an overdue ticket through urge, the unit's
reply and acceptance; another through escalation to the city government's inspection office."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from hotline.supervision import cases, sweeps
from hotline.supervision.models import SupervisionCase
from hotline.tickets import workflow
from tests.base import PASSWORD, make_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, url: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(supervision|inbox|desk)/"))
    return context, page


def signed(people, days_ago: int, content: str):
    with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago), tick=False):
        ticket = workflow.create_ticket(by=people["operator"], channel="phone", request_type="complaint",
                                        content=content, address="双清区", requester={"name": "张三",
                                                                                    "phone": "13987654321"})
        workflow.dispatch(ticket, by=people["dispatcher"], lead_unit=people["unit_a"])
        return workflow.sign(ticket, by=people["unit_a_handler"])


def test_an_overdue_ticket_is_urged_answered_and_accepted(browser, live_server, artifacts):
    people = make_directory()
    ticket = signed(people, 20, "宝庆路路灯连续一周不亮")
    # The sweep opened the case ten days ago: its due has passed, so it is on the urge desk, red.
    with override_settings(SUPERVISION_AUTO_MODE="open"), time_machine.travel(
            timezone.now() - dt.timedelta(days=10), tick=False):
        assert sweeps.supervise_one_overdue()
    case = SupervisionCase.objects.get()

    boss, page = login(browser, live_server.url, "supervisor")
    assert page.url.endswith("/supervision/")  # the supervisor's home is the 督办中心
    expect(page.get_by_test_id("case-table")).to_contain_text(case.number)
    page.get_by_role("link", name="催办工作台").click()
    card = page.get_by_test_id("urge-card").first
    card.locator("select[name=method]").select_option("phone")
    card.locator("input[name=person_reached]").fill("城管执法局王科长")
    card.locator("textarea[name=promise]").fill("明天下午前修复")
    card.get_by_role("button", name="登记催办").click()
    expect(page.get_by_test_id("case-urges")).to_contain_text("城管执法局王科长")

    unit, upage = login(browser, live_server.url, "unit_a_handler")
    upage.goto(f"{live_server.url}/supervision/unit/")
    expect(upage.get_by_test_id("unit-cases")).to_contain_text(case.number)
    upage.get_by_role("link", name=case.number).click()
    panel = upage.get_by_test_id("panel-reply")
    panel.locator("textarea[name=actions_taken]").fill("连夜更换灯具并检修线路")
    panel.locator("textarea[name=result]").fill("路灯已恢复照明")
    panel.get_by_test_id("submit-reply").click()
    expect(upage.get_by_test_id("case-status")).to_have_text("已反馈待审")

    workflow.reply(ticket, by=people["unit_a_handler"], handler_name="李工", handled_at=timezone.now(),
                   process="更换灯具", result="已修复", contact_note="电话告知", contacted=True)
    workflow.review_reply(ticket, by=people["reviewer"], approve=True)
    page.goto(f"{live_server.url}/supervision/cases/{case.pk}/")
    page.get_by_test_id("panel-accept").locator("textarea[name=note]").fill("整改到位")
    page.get_by_test_id("submit-accept").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已办结")
    expect(page.get_by_test_id("case-timeline")).to_contain_text("督办办结")
    page.screenshot(path=str(artifacts / "supervision-accepted.png"), full_page=True)
    boss.close()
    unit.close()


def test_an_unresolved_case_is_escalated_once_after_its_due(browser, live_server, artifacts):
    people = make_directory()
    ticket = signed(people, 30, "小区违建长期无人处理")
    with time_machine.travel(timezone.now() - dt.timedelta(days=25), tick=False):
        case = cases.open_case(by=people["supervisor"], trigger="media", method="onsite", tickets=[ticket],
                               evidence={"media_name": "邵阳日报", "media_link": "https://example.org/a"})
    boss, page = login(browser, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/supervision/cases/{case.pk}/")
    expect(page.get_by_test_id("case-colour")).to_have_attribute("data-colour", "red")
    page.get_by_test_id("panel-escalate").locator("textarea[name=note]").fill("经现场督办仍未解决")
    page.get_by_test_id("submit-escalate").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已呈报督查室")
    expect(page.get_by_test_id("panel-escalate")).to_have_count(0)  # once
    with page.expect_download() as download:
        page.get_by_role("link", name="呈报材料（PDF）").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.screenshot(path=str(artifacts / "supervision-escalated.png"), full_page=True)
    boss.close()
