"""Template helpers that save per-row work in lists and queues write what the framework would."""

from django.test import SimpleTestCase
from django.urls import reverse
from django.urls.base import set_script_prefix

from hotline.tickets.choices import Status
from hotline.web.templatetags.hotline_web import status_badge, ticket_url


class TestTicketUrl(SimpleTestCase):
    def test_it_is_the_reversed_ticket_url(self):
        for number in ("20260309000001", "SY-2026 01", "甲1"):
            assert ticket_url(number) == reverse("web:ticket", args=[number])

    def test_it_follows_the_script_prefix_of_a_deployment_under_a_path(self):
        set_script_prefix("/hotline/")
        try:
            assert ticket_url("20260309000001") == "/hotline/tickets/20260309000001/"
        finally:
            set_script_prefix("/")


class TestStatusBadge(SimpleTestCase):
    def test_it_writes_the_label_in_the_status_colour_each_time(self):
        first = status_badge(Status.DISPATCHED)
        assert first == status_badge("dispatched") and "待签收" in first and "text-bg-" in first
        assert status_badge("no-such-status").endswith(">no-such-status</span>")
