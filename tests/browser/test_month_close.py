"""The month close in a real browser (Art. 26, 27): the manager closes the demo's last month, sees units ranked with
red and black lists, reviews and publishes, downloads the bulletin in three formats and opens a unit's score sheet
with its evidence links."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.months import manager_on_the_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MAGIC = {"docx": b"PK", "pdf": b"%PDF", "xlsx": b"PK"}


def test_the_manager_closes_the_last_month_and_downloads_the_bulletin(browser, live_server, artifacts):
    context, page, errors, year, month = manager_on_the_demo(browser, live_server.url, "manager")

    page.click("a.nav-link:text('月度通报')")
    row = page.locator(f"tr[data-month='{year}-{month:02d}']")
    row.locator("button:text('结账')").click()
    page.wait_for_url(f"**/reports/months/{year}/{month}/")
    expect(page.locator("[data-testid=month-state]")).to_have_text("已冻结待审核")
    ranked = page.locator(".unit-table tbody tr td:first-child").all_inner_texts()
    assert "1" in ranked  # units ranked per group
    assert page.locator(".unit-table .badge:text('红榜')").count() >= 1
    page.fill("#id_typical_cases", "演示：路灯报修当日修复。")
    page.click("[data-testid=review-month]")
    expect(page.locator("[data-testid=month-state]")).to_have_text("已审核待发布")
    page.click("[data-testid=publish-month]")
    expect(page.locator("[data-testid=month-state]")).to_have_text("已发布")
    page.screenshot(path=str(artifacts / "month-close.png"), full_page=True)

    for fmt, magic in MAGIC.items():
        with page.expect_download() as download:
            page.click(f"[data-testid=download-{fmt}]")
        path = download.value.path()
        assert path is not None and path.read_bytes().startswith(magic)

    page.click("tr[data-unit='cgzf'] a")
    page.wait_for_url(f"**/reports/assessment/{year}/{month}/cgzf/")
    links = page.locator("a.evidence-link")
    assert links.count() >= 1  # at least the demo's entered higher-level item, with its evidence
    expect(page.locator("#sheet-table")).to_contain_text("国办工单、领导批示件未按时按质完成")
    assert errors == []
    context.close()
