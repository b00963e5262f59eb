"""Taking calls at the intake desk without touching the mouse: answered, dispatched and merged (GB/T 33358 asks for
short calls; the keystrokes and seconds of an ordinary call are printed)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket
from tests.base import PASSWORD, make_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Keys:
    """The keyboard, counting every key a person would press (one per character typed)."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
        self.count += times


def login(browser, url: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(desk|inbox|tickets)/"))
    page.goto(f"{url}/desk/call/")
    expect(page.locator("#id_phone")).to_be_focused()
    return context, page


def test_it_takes_three_calls_by_keyboard_alone(browser, live_server, artifacts, capsys):
    people = make_directory()
    people["topic_streetlight"].keywords = "路灯,灯不亮"
    people["topic_streetlight"].save()
    context, page = login(browser, live_server.url, "dispatcher")
    keys = Keys(page)

    # Call 1, an ordinary call registered and dispatched: phone, content, take the first routing suggestion, submit.
    started = time.perf_counter()
    keys.type("13987654321")
    keys.press("Tab", 3)  # name, ID number, content
    with page.expect_response(lambda r: "/desk/call/assist/" in r.url):
        keys.type("双清区宝庆路路灯不亮已经一周，晚上出行不便")
    first_suggestion = page.locator("#routing-suggestions .pick-unit").first
    expect(first_suggestion).to_be_visible()
    suggested_unit = int(first_suggestion.get_attribute("data-unit"))
    keys.press("Alt+u")
    submit(page, keys)
    seconds = time.perf_counter() - started
    dispatched = Ticket.objects.get()
    assert dispatched.status == Status.DISPATCHED
    assert dispatched.lead_unit_id == suggested_unit
    with capsys.disabled():
        print(f"\n[call desk] one ordinary call registered and dispatched: {keys.count} keystrokes, {seconds:.1f} s")

    # Call 2, answered on the spot (Art. 12.1).
    expect(page.locator("#id_phone")).to_be_focused()
    keys.type("13700001111")
    keys.press("Tab", 3)
    keys.type("请问社保卡丢了怎么补办")
    keys.press("Alt+2")
    expect(page.locator("#id_answer_text")).to_be_focused()
    keys.type("携带身份证到就近社保服务网点办理挂失补办，也可在线申请")
    submit(page, keys)
    assert Ticket.objects.get(requester__phone_hash=_hash("13700001111")).status == Status.ANSWERED

    # Call 3, the first caller again about the same lamp: the desk proposes the earlier ticket; merge it.
    keys.type("13987654321")
    expect(page.locator("#caller-history")).to_contain_text(dispatched.number)
    keys.press("Tab", 3)
    with page.expect_response(lambda r: "/desk/call/assist/" in r.url):
        keys.type("宝庆路的路灯还是不亮")
    expect(page.locator("#repeat-candidates")).to_contain_text(dispatched.number)
    keys.press("Alt+5")
    expect(page.locator("#id_merge_into")).to_be_focused()
    keys.type(dispatched.number)
    submit(page, keys)
    merged = Ticket.objects.get(status=Status.MERGED)
    assert merged.merged_into == dispatched
    page.screenshot(path=str(artifacts / "call-desk.png"), full_page=True)
    context.close()


def test_a_half_filled_call_survives_a_reload(browser, live_server):
    make_directory()
    context, page = login(browser, live_server.url, "operator")
    page.keyboard.type("13911112222")
    page.fill("#id_content", "小区停水两天了，一直没人处理")
    page.reload()
    expect(page.locator("#id_phone")).to_have_value("13911112222")
    expect(page.locator("#id_content")).to_have_value("小区停水两天了，一直没人处理")
    context.close()


def submit(page, keys: Keys) -> None:
    """Ctrl+Enter, then wait for the desk to come back with the registered ticket."""
    with page.expect_navigation(url=re.compile(r"done=\d+")):
        keys.press("Control+Enter")


def _hash(phone: str) -> str:
    from hotline.vault.keys import phone_lookup_hash

    return phone_lookup_hash(phone)
