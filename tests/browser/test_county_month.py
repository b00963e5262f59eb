"""A county sub-centre's own month in a real browser (Art. 26, 30): its manager finds it in the menu, sees its
platform's row and total only, closes, reviews and publishes it, downloads its bulletin, and another county's
month is not there for it (404)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.months import manager_on_the_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_county_manager_closes_and_publishes_its_own_month(browser, live_server, artifacts):
    context, page, errors, year, month = manager_on_the_demo(browser, live_server.url, "manager-shuangqing")

    page.click("a.nav-link:text('本平台月度通报')")
    page.wait_for_url("**/reports/platforms/shuangqing/months/")
    page.locator(f"tr[data-month='{year}-{month:02d}']").locator("button:text('结账')").click()
    page.wait_for_url(f"**/reports/platforms/shuangqing/months/{year}/{month}/")
    expect(page.locator("[data-testid=month-state]")).to_have_text("已冻结待审核")
    expect(page.locator("#levels-table tr[data-platform='shuangqing']")).to_have_count(1)
    expect(page.locator("#levels-table tr[data-platform='xinshao']")).to_have_count(0)
    page.click("[data-testid=review-month]")
    expect(page.locator("[data-testid=month-state]")).to_have_text("已审核待发布")
    page.click("[data-testid=publish-month]")
    expect(page.locator("[data-testid=month-state]")).to_have_text("已发布")
    page.screenshot(path=str(artifacts / "county-month.png"), full_page=True)
    with page.expect_download() as download:
        page.click("[data-testid=download-pdf]")
    path = download.value.path()
    assert path is not None and path.read_bytes().startswith(b"%PDF")

    other = page.goto(f"{live_server.url}/reports/platforms/xinshao/months/{year}/{month}/")
    assert other is not None and other.status == 404
    assert errors == []
    context.close()
