"""A citizen submits a request on the portal without an account and follows it with the number and query code."""

from __future__ import annotations

import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from hotline.tickets.choices import Channel
from hotline.tickets.models import Ticket
from tests.base import make_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_submits_and_tracks_a_request(browser, live_server, artifacts):
    make_directory()
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/")
    page.select_option("#id_request_type", "complaint")
    page.fill("#id_content", "北塔区状元洲街道某小区门口夜市油烟很大")
    page.fill("#id_address", "北塔区状元洲街道")
    page.fill("#id_phone", "139 1234 5678")
    # The picture shows an arithmetic sum; the person reads it (here: the answer stored for that picture).
    expect(page.locator("img.captcha")).to_be_visible()
    key = page.locator("input[name=captcha_0]").input_value()
    # A wrong answer first: the typed text must survive. "0" alone would be right for a sum such as 7-7.
    wrong = int(CaptchaStore.objects.get(hashkey=key).response) + 1
    page.fill("#id_captcha_1", str(wrong))
    page.click("button[type=submit]")
    expect(page.locator("text=验证码不正确")).to_be_visible()
    expect(page.locator("#id_content")).to_have_value("北塔区状元洲街道某小区门口夜市油烟很大")
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("#id_captcha_1", CaptchaStore.objects.get(hashkey=key).response)
    page.click("button[type=submit]")
    number = page.locator("#ticket-number").inner_text()
    code = page.locator("#query-code").inner_text()
    ticket = Ticket.objects.get(number=number)
    assert ticket.channel == Channel.WEB

    page.goto(f"{live_server.url}/portal/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/portal/track/{number}/"))
    expect(page.locator("#status")).to_have_text("待派单")
    expect(page.locator("#timeline")).to_contain_text("热线已受理")
    page.screenshot(path=str(artifacts / "portal-status.png"), full_page=True)
    context.close()
