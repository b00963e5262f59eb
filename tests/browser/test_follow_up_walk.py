"""A walk through the follow-up side in headless chromium, with screenshots: the agent's desk with its stored
follow-up clock and the masked phone; a unit's appeal on the ground of a malicious request, which the reviewer
decides with the nuisance flags in view; the ticket page, whose phone is masked for the hotline too (Art. 17, 23,
25, 29)."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from hotline.channels import desk
from hotline.tickets import workflow
from tests.base import make_directory
from tests.browser import test_follow_up_and_appeal
from tests.browser.test_follow_up_and_appeal import resolved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Tab(test_follow_up_and_appeal.Tab):
    """The walk's persona tab, patient on a busy machine (the live server renders while other suites run)."""

    def __init__(self, browser, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
        original = browser.new_context

        def patient(**kwargs):  # type: ignore[no-untyped-def]
            context = original(**kwargs)
            context.set_default_navigation_timeout(90_000)
            return context

        browser.new_context = patient
        try:
            super().__init__(browser, base_url, username)
        finally:
            browser.new_context = original
        self.context.set_default_timeout(60_000)


def test_the_desk_a_malicious_appeal_and_the_masked_ticket_page(browser, live_server, tmp_path, artifacts):
    people = make_directory()
    ticket = resolved(people)
    url = live_server.url

    agent = Tab(browser, url, "followup")
    page = agent.page
    page.goto(f"{url}/followups/")
    row = page.locator(f"#follow-up-queue tr[data-number='{ticket.number}']")
    expect(row).to_be_visible()
    page.screenshot(path=str(artifacts / "walk-1-desk.png"), full_page=True)
    page.goto(f"{url}/followups/{ticket.number}/")
    expect(page.locator("[data-testid=masked-phone]")).to_have_text("139****4321")
    page.screenshot(path=str(artifacts / "walk-2-call.png"), full_page=True)
    agent.close()

    rating = workflow.follow_up(ticket, by=people["followup"], reached=True, satisfaction="1", solved=False,
                                unit_contacted=True, unit_contact_method="phone", fault="requester")
    desk.raise_flag(by=people["operator"], phone="13987654321", kind="abuse",
                    evidence="3月内来电辱骂话务员5次，录音编号R-0301至R-0305", tickets=[ticket])

    unit = Tab(browser, url, "unit_a_handler")
    page = unit.page
    page.goto(f"{url}/followups/{ticket.number}/appeal/")
    page.select_option("#id_follow_up", str(rating.pk))
    page.select_option("#id_ground", "malicious")
    page.fill("#id_statement", "该服务对象反复来电辱骂工作人员，诉求已依法答复")
    proof = tmp_path / "call-log.png"
    Image.new("RGB", (24, 24), (200, 220, 240)).save(proof)
    page.set_input_files("#contact-proof", str(proof))
    page.screenshot(path=str(artifacts / "walk-3-appeal-form.png"), full_page=True)
    page.click("#appeal-form button[type=submit]")
    page.wait_for_url("**/followups/appeals/")
    page.screenshot(path=str(artifacts / "walk-4-unit-appeals.png"), full_page=True)
    unit.close()

    reviewer = Tab(browser, url, "reviewer")
    page = reviewer.page
    page.goto(f"{url}/followups/appeals/")
    page.locator(f"[data-testid=appeal-table] a:text('{ticket.number}')").click()
    expect(page.locator("[data-testid=related-evidence]")).to_contain_text("录音编号R-0301至R-0305")
    page.screenshot(path=str(artifacts / "walk-5-review.png"), full_page=True)
    page.check("input[name=decision][value=uphold]")
    page.fill("#id_note", "骚扰来电标记与录音属实，申诉成立")
    page.click("#appeal-review-form button[type=submit]")
    page.wait_for_url("**/followups/appeals/")
    page.goto(f"{url}/tickets/{ticket.number}/")
    requester = page.locator("[data-testid=requester]")
    expect(requester).to_contain_text("139****4321")
    expect(requester).not_to_contain_text("13987654321")
    page.locator("[data-testid=reveal] summary").click()
    page.fill("#id_reason", "核实申诉情况")
    page.locator("[data-testid=reveal] button[type=submit]").click()
    expect(page.locator("#reveal-result")).to_contain_text("13987654321")
    page.screenshot(path=str(artifacts / "walk-6-ticket.png"), full_page=True)
    reviewer.close()
