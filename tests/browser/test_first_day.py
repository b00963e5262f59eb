"""The first day's complaints, in a real browser: the lead unit reaching the requester, a consulted unit answering
the hotline, back and submit again at the call desk, a deputy's call, the content limit, and no CSP errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hotline.channels import desk
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.base import make_directory
from tests.browser.test_ticket_walkthrough import Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Watched(Desk):
    """A logged-in tab that also collects console errors (content-security-policy refusals among them)."""

    def __init__(self, browser, base_url: str, username: str, width: int = 1400) -> None:
        super().__init__(browser, base_url, username)
        self.page.set_viewport_size({"width": width, "height": 900})
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        # A 400 answer to a form with a mistake is expected; anything else (a CSP refusal) is not.
        if message.type == "error" and "status of 400" not in message.text:
            self.errors.append(f"{message.text} @ {message.location}")


def test_the_lead_unit_reveals_name_and_phone_to_contact_the_requester_and_replies(browser, live_server, artifacts):
    people = make_directory()
    ticket = workflow.create_ticket(by=people["operator"], channel="phone", request_type="complaint",
                                    content="宝庆路88号门口路灯不亮一周",
                                    requester={"name": "王五", "phone": "13912345678"})
    workflow.dispatch(ticket, by=people["dispatcher"], lead_unit=people["unit_a"])
    handler = Watched(browser, live_server.url, "unit_a_handler")
    page = handler.page
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    assert "139****5678" in page.locator("[data-testid=requester]").inner_text()
    handler.act("sign")
    handler.expect_status("办理中")
    page.click("[data-submit=contact]")
    expect(page.locator("[data-testid=contact-phone]")).to_have_text("13912345678")
    expect(page.locator("[data-testid=contact-name]")).to_have_text("王五")
    page.screenshot(path=str(artifacts / "unit-contact-revealed.png"), full_page=True)
    panel = handler.open_panel("reply")
    assert panel.locator("input[name=contacted]:checked").count() == 0
    page.screenshot(path=str(artifacts / "unit-reply-form.png"), full_page=True)
    handler.act("reply", fill={"handler_name": "李工", "process": "更换灯具", "result": "已恢复照明",
                               "contact_note": "已电话告知服务对象"}, expect=400)
    expect(page.locator("#act-reply .invalid-feedback")).to_contain_text("请选择是否已联系上服务对象")
    handler.open_panel("reply").locator("input[name=contacted][value=yes]").check()
    handler.act("reply")
    handler.expect_status("办结待审")
    handler.close()


def test_a_confidential_ticket_shows_the_relay_instead(browser, live_server, artifacts):
    people = make_directory()
    ticket = workflow.create_ticket(by=people["operator"], channel="phone", request_type="complaint",
                                    topic=people["topic_noise"], content="楼下酒吧夜间噪音",
                                    requester={"name": "司马百灵", "phone": "13698765432"})
    workflow.sign(workflow.dispatch(ticket, by=people["dispatcher"], lead_unit=people["unit_a"]),
                  by=people["unit_a_handler"])
    handler = Watched(browser, live_server.url, "unit_a_handler")
    handler.page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    expect(handler.page.locator("[data-testid=contact-relay]")).to_contain_text("三方通话")
    handler.open_panel("contact_attempt").locator("input[name=reached]").check()
    handler.act("contact_attempt", select={"method": "relay"}, fill={"note": "热线三方通话告知进度"})
    timeline = handler.page.locator("[data-testid=timeline]")
    expect(timeline).to_contain_text("联系服务对象（经热线转达）：已联系上")
    handler.page.screenshot(path=str(artifacts / "unit-confidential-relay.png"), full_page=True)
    handler.close()


def test_the_consulted_unit_answers_and_the_operator_answers_the_requester(browser, live_server, artifacts):
    people = make_directory()
    ticket = workflow.create_ticket(by=people["operator"], channel="phone", request_type="consultation",
                                    content="公租房申请需要哪些材料",
                                    requester={"name": "王五", "phone": "13912345678"})
    workflow.consult(ticket, by=people["operator"], unit=people["unit_b"], note="请答复申请材料清单")
    unit = Watched(browser, live_server.url, "unit_b_handler")
    unit.page.goto(f"{live_server.url}/inbox/?queue=consult")
    unit.page.screenshot(path=str(artifacts / "unit-consult-tab.png"), full_page=True)
    unit.open_from_queue(ticket.number)
    expect(unit.page.locator("[data-testid=consult-question]")).to_have_text("请答复申请材料清单")
    expect(unit.page.locator("[data-testid=consult-due]")).to_contain_text("剩余")
    unit.act("consult_reply", fill={"text": "身份证、户口簿和收入证明"})
    expect(unit.page.locator("[data-testid=consult-answer]")).to_contain_text("身份证、户口簿和收入证明")
    unit.page.screenshot(path=str(artifacts / "unit-consult-answered.png"), full_page=True)
    unit.close()

    operator = Watched(browser, live_server.url, "operator")
    operator.page.goto(f"{live_server.url}/desk/?queue=consulted")
    operator.page.screenshot(path=str(artifacts / "desk-consulted-tab.png"), full_page=True)
    operator.open_from_queue(ticket.number)
    panel = operator.open_panel("answer")
    expect(panel.locator("[name=text]")).to_have_value("身份证、户口簿和收入证明")
    operator.act("answer")
    operator.expect_status("已直接答复")
    operator.close()


def test_back_and_submit_again_at_the_call_desk_answers_with_the_first_ticket(browser, live_server, artifacts):
    people = make_directory()
    desk.register_deputy(name="刘代表", delegation="双清区代表团", level="city", phone="13811112222")
    operator = Watched(browser, live_server.url, "operator")
    page = operator.page
    page.goto(f"{live_server.url}/desk/call/")
    page.fill("#id_phone", "13811112222")
    expect(page.locator("#deputy-badge")).to_contain_text("人大代表")
    expect(page.locator("#id_channel")).to_have_value("deputy")
    page.fill("#id_name", "刘代表")
    page.select_option("#id_topic", str(people["topic_streetlight"].pk))
    content = "宝庆路路灯连续一周不亮，夜间出行不便😀"
    page.fill("#id_content", content)
    expect(page.locator("#id_content-count")).to_have_text(f"已输入 {len(content)} / 5000 字")  # the emoji is one
    page.screenshot(path=str(artifacts / "call-desk-deputy.png"), full_page=True)
    page.click("#call-submit")
    page.wait_for_url(re.compile(r"\?done=\d{14}"))
    page.go_back()
    page.wait_for_url(re.compile(r"/desk/call/$"))
    page.click("#call-submit")
    page.wait_for_url(re.compile(r"\?done=\d{14}"))
    page.screenshot(path=str(artifacts / "call-desk-resubmitted.png"), full_page=True)
    ticket = Ticket.objects.get()
    assert ticket.channel == "deputy" and ticket.requester.phone == "13811112222"
    assert ticket.number in page.url
    operator.close()


def test_long_content_is_counted_and_refused_not_cut(browser, live_server, artifacts):
    make_directory()
    operator = Watched(browser, live_server.url, "operator")
    page = operator.page
    page.goto(f"{live_server.url}/desk/call/")
    page.fill("#id_phone", "13912345678")
    page.fill("#id_content", "路灯不亮😀" * 1812)
    expect(page.locator("#id_content-count")).to_have_text("已输入 9060 / 5000 字，超出 4060 字")
    assert page.locator("#id_content").input_value().count("😀") == 1812
    page.click("#call-submit")
    expect(page.locator("#call-form")).to_contain_text("诉求内容不能超过5000字，当前9060字")
    page.screenshot(path=str(artifacts / "call-desk-too-long.png"), full_page=False)
    assert not Ticket.objects.exists()
    operator.close()


def test_the_portal_shows_a_readable_captcha_and_the_way_to_recover_a_code(browser, live_server, artifacts):
    make_directory()
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/portal/")
    box = page.locator("img.captcha").bounding_box()
    assert box is not None and box["width"] >= 160 and box["height"] >= 50
    page.screenshot(path=str(artifacts / "portal-submit.png"), full_page=True)
    page.goto(f"{live_server.url}/portal/track/")
    page.click("#recover-link")
    page.fill("#id_number", "20990101000001")
    page.fill("#id_phone", "13900002222")
    page.click("button[type=submit]")
    expect(page.locator("#recover-sent")).to_contain_text("如果工单编号与您提交诉求时填写的电话相符")
    page.screenshot(path=str(artifacts / "portal-recover-code.png"), full_page=True)
    assert errors == []
    context.close()
