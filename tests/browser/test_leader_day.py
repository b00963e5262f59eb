"""A leader answering day end to end (Art. 8): the manager puts the slot on the calendar, prints its notice, the
call desk shows who is answering and tags a call to the slot, and the slot's board lists that call."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hotline.tickets.choices import Channel
from hotline.tickets.models import Ticket
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
    page.wait_for_url(re.compile(r"/(desk|inbox|tickets)/"))
    return context, page


def test_a_leader_day_from_slot_to_board(browser, live_server, artifacts):
    make_directory()
    start = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    end = start + dt.timedelta(hours=3)
    context, page = login(browser, live_server.url, "manager")

    # The slot, with its notice generated.
    page.goto(f"{live_server.url}/duty/")
    page.select_option("#id_kind", "leader_day")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", end.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_person", "张明")
    page.fill("#id_office", "副市长")
    page.fill("#id_scope", "城市管理、供水供气")
    with page.expect_navigation(url=re.compile(r"/duty/slots/\d+/$")):
        page.click("#slot-form button[type=submit]")
    board_url = page.url
    page.click("#notice-link")
    expect(page.locator("#slot-notice")).to_contain_text("12345政务服务便民热线领导接听日公告")
    expect(page.locator("#slot-notice")).to_contain_text("副市长张明")

    # A call during the slot: the desk says who answers; the ticket is tagged to the slot.
    page.goto(f"{live_server.url}/desk/call/")
    expect(page.locator("#leader-slot")).to_contain_text("副市长张明正在接听")
    page.fill("#id_phone", "13987654321")
    page.fill("#id_content", "宝庆路路灯不亮已经一周，请领导关注")
    with page.expect_navigation(url=re.compile(r"done=\d+")):
        page.click("#call-submit")
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.LEADER_DAY
    assert ticket.origin_slot is not None

    # The slot's board follows the ticket.
    page.goto(board_url)
    expect(page.locator("#slot-board")).to_contain_text(ticket.number)
    expect(page.locator("#slot-summary")).to_contain_text("共受理 1 件")
    page.screenshot(path=str(artifacts / "leader-day-board.png"), full_page=True)
    context.close()
