"""The hotline desk warns of this week's hotspots (Art. 24.2: 集中投诉举报的热点、难点事项)."""

from __future__ import annotations

from django.core.cache import cache
from django.test import Client

from tests.base import PASSWORD, HotlineTestCase


class TestHotspotAlert(HotlineTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.client = Client()
        self.client.login(username="dispatcher", password=PASSWORD)

    def test_it_shows_a_cluster_of_complaints_about_one_place_and_matter(self):
        for phone, text in (("13900000001", "宝庆路中段路灯一排不亮，晚上很黑"),
                            ("13900000002", "宝庆路中段路灯一排不亮好几天了"),
                            ("13900000003", "宝庆路中段路灯一排还是不亮")):
            self.new_ticket(content=text, address="双清区龙须塘街道宝庆路", topic=self.topic_streetlight,
                            requester={"phone": phone})
        html = self.client.get("/desk/").content.decode()
        assert 'id="hotspot-alert"' in html
        assert "双清区龙须塘街道" in html
        assert "3 件" in html

    def test_it_stays_quiet_without_a_hotspot(self):
        self.new_ticket()
        assert 'id="hotspot-alert"' not in self.client.get("/desk/").content.decode()
