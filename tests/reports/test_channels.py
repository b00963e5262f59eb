"""Every channel is visible in statistics (Art. 26): counts per channel and per day."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from hotline.reports.channels import channel_report
from hotline.tickets import workflow
from hotline.tickets.choices import Channel
from tests.base import PASSWORD, HotlineTestCase, local
from tests.reports.support import declined_at_intake


class TestChannelReport(HotlineTestCase):
    def test_it_counts_each_channel_with_declines_and_direct_answers_per_local_day(self):
        with time_machine.travel(local(2026, 11, 2, 23, 30), tick=False):
            self.new_ticket(channel=Channel.WEB)
        with time_machine.travel(local(2026, 11, 3, 0, 30), tick=False):
            answered = self.new_ticket(channel=Channel.PHONE)
            workflow.answer(answered, by=self.operator, text="已答复")
            declined_at_intake(self.operator, channel=Channel.PHONE, reason_code="9")
            self.new_ticket(channel=Channel.DEPUTY)
        with time_machine.travel(local(2026, 11, 4, 9), tick=False):
            self.new_ticket(channel=Channel.LEADER_DAY)  # outside the period
        report = channel_report(dt.date(2026, 11, 2), dt.date(2026, 11, 3))
        rows = {r.channel: r for r in report.rows}
        assert rows["phone"].received == 2
        assert rows["phone"].accepted == 1
        assert rows["phone"].answered_directly == 1
        assert rows["web"].received == 1
        assert rows["deputy"].received == 1
        assert rows["leader_day"].received == 0
        assert set(rows) == set(Channel.values)
        # 23:30 Beijing time on 2 Nov is still 2 Nov, though it is 15:30 UTC.
        assert report.daily["web"] == [1, 0]
        assert report.daily["phone"] == [0, 2]
        assert report.total == 4

    def test_the_page_is_for_hotline_staff_and_lists_every_channel(self):
        self.new_ticket(channel=Channel.SMS)
        client = Client()
        client.login(username="manager", password=PASSWORD)
        html = client.get("/reports/channels/").content.decode()
        for label in Channel.labels:
            assert label in html
        assert 'id="channel-chart-data"' in html
        unit = Client()
        unit.login(username="unit_a_handler", password=PASSWORD)
        assert unit.get("/reports/channels/").status_code == 403

    def test_it_corrects_a_backwards_period_with_a_message(self):
        client = Client()
        client.login(username="manager", password=PASSWORD)
        html = client.get("/reports/channels/?start=2026-11-10&end=2026-11-01").content.decode()
        assert "结束日期早于开始日期" in html
