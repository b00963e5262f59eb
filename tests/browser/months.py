"""What the month-close browser tests share: the demo built with a known password, last month's numbers, and a
manager's page logged in with downloads allowed, collecting the page's script errors."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from hotline.demo.build import build
from hotline.reports.closing import previous
from tests.base import PASSWORD


def manager_on_the_demo(browser: Any, url: str, username: str) -> tuple[Any, Any, list[str], int, int]:
    """Build a small demo, log `username` in; returns the context, the page, its script errors and last month."""
    build(tickets=40, password=PASSWORD)
    today = timezone.localdate()
    year, month = previous(today.year, today.month)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True,
                                  viewport={"width": 1440, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))
    return context, page, errors, year, month
