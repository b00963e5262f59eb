"""Hotspots for a county sub-centre's desk (Art. 24(2), 30): its own county's, listing only tickets it holds."""

import time_machine
from django.core.cache import cache

from tests.base import local
from tests.platforms import PlatformsTestCase

NOW = local(2026, 6, 10, 18)


class TestHotspotsWithinThePlatform(PlatformsTestCase):
    def setUp(self):
        cache.clear()
        street, text = "双清区兴隆街道建设路", "建设路路灯不亮晚上很黑"
        self.held, self.city_held = [], []
        for day in (6, 7, 8):
            with time_machine.travel(local(2026, 6, day, 9), tick=False):
                self.held.append(self.county_ticket(self.operator_sq, content=f"{text}{day}", address=street))
                self.city_held.append(self.new_ticket(content=f"{text}{day}号", address=street))
                self.new_ticket(content=f"新邵县酿溪镇夜市烧烤噪音扰民{day}", address="新邵县酿溪镇")

    def page(self, user, **query):
        self.client.force_login(user)
        with time_machine.travel(NOW, tick=False):
            return self.client.get("/routing/hotspots/", query).content.decode()

    def test_a_county_desk_sees_its_countys_hotspot_and_only_the_tickets_it_holds(self):
        page = self.page(self.dispatcher_sq)
        assert "双清区兴隆街道" in page and "新邵县" not in page
        assert all(t.number in page for t in self.held)
        assert not [t.number for t in self.city_held if t.number in page] and "另有 3 件" in page
        # Asking for another county gives its own county still.
        assert "新邵县酿溪镇" not in self.page(self.dispatcher_sq, region=self.unit_x.parent_id)
        with time_machine.travel(NOW, tick=False):
            self.client.force_login(self.dispatcher_sq)
            alert = self.client.get("/desk/").content.decode()
        assert "双清区兴隆街道" in alert and "新邵县酿溪镇" not in alert

    def test_the_city_desk_sees_every_county_and_ticket(self):
        page = self.page(self.dispatcher)
        assert "双清区兴隆街道" in page and "新邵县酿溪镇" in page
        assert all(t.number in page for t in self.held + self.city_held)
