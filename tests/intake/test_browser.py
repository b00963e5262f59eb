"""In a real browser: the dispatcher opens a ticket, the dispatch panel loads the suggestions, one click dispatches."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from hotline.intake.routing import store
from hotline.tickets import workflow
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket
from tests.base import PASSWORD, make_directory
from tests.intake.history import make_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def trained(settings, tmp_path):
    """The personas, a kept history, and a trained model in a throw-away data directory."""
    settings.DATA_DIR = tmp_path
    settings.ROUTING_AUTO_CONFIDENCE = 0.0  # whatever the small model's confidence, the first one is one-click
    people = SimpleNamespace(**make_directory())
    make_history(people)
    store.forget_cache()
    store.train(heldout=False)
    yield people
    store.forget_cache()


def test_it_shows_suggestions_on_the_dispatch_screen_and_dispatches_in_one_click(browser, live_server, trained):
    ticket = workflow.create_ticket(by=trained.operator, channel="phone", request_type="complaint",
                                    content="建设路的路灯坏了好几天晚上很黑", address="双清区兴隆街道建设路")
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "dispatcher")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(desk|tickets)/"))
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    if not page.locator("#act-dispatch").is_visible():
        page.click("[data-verb=dispatch] .accordion-button")
    first = page.locator("[data-testid=routing-suggestion]").first
    expect(first).to_be_visible()
    expect(first).to_contain_text("依据词")
    panel = page.locator("[data-testid=routing-suggestions]")
    # History sent street lights to the city bureau; the catalogue's 属地管理 line names the county from the address.
    expect(panel).to_contain_text(trained.unit_a.name)
    expect(panel).to_contain_text("属地：双清区")
    chosen = int(first.get_attribute("data-unit"))
    with page.expect_response(lambda r: r.request.method == "POST" and "/dispatch/" in r.url) as answer:
        first.locator("[data-testid=one-click-dispatch]").click()
    assert answer.value.status == 200
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.lead_unit_id) == (Status.DISPATCHED, chosen)
    context.close()
