"""Hotspots (第二十四条第二项): complaints about one place and matter within a window, by size and growth, on a page."""

from __future__ import annotations

import datetime as dt
import pickle
from unittest import mock

import time_machine
from django.core.cache import cache
from django.db.models import Model

from hotline.intake import hotspots
from hotline.intake.hotspots import active_hotspots, cached_hotspots, find_hotspots
from hotline.ops.schedule import SCHEDULE
from hotline.tickets.models import Ticket
from tests.base import PASSWORD, HotlineTestCase, local

NOW = local(2026, 6, 10, 18)


class TestHotspots(HotlineTestCase):
    def _at(self, day: int, hour: int, content: str, address: str, **kw):
        with time_machine.travel(local(2026, 6, day, hour), tick=False):
            return self.new_ticket(content=content, address=address, **kw)

    def setUp(self):
        cache.clear()  # the page keeps its clusters for five minutes
        # Five about the same dark street in 兴隆街道, the newest three in the last half of the week.
        street = "双清区兴隆街道建设路"
        self.lights = [self._at(d, 9, f"建设路路灯不亮晚上很黑{d}", street, topic=self.topic_streetlight)
                       for d in (4, 5, 8, 9, 10)]
        # Three about noise in 桃洪镇, all early in the week.
        self.noise = [self._at(d, 22, "桃洪镇夜市烧烤噪音扰民", "隆回县桃洪镇") for d in (4, 4, 5)]
        # Same street, another matter: not part of the street-light hotspot.
        self._at(9, 10, "公租房审核进度查询", "双清区兴隆街道建设路")
        # A month old, and a consultation: neither counts.
        self._at(1, 9, "建设路路灯不亮", "双清区兴隆街道建设路")
        self._at(9, 9, "建设路路灯不亮找谁", "双清区兴隆街道建设路", request_type="consultation")

    def test_it_clusters_by_place_and_matter_and_ranks_by_size_then_growth(self):
        found = find_hotspots(NOW)
        assert [(h.place, h.size) for h in found] == [("双清区兴隆街道", 5), ("隆回县桃洪镇", 3)]
        lights, noise = found
        assert set(lights.tickets) == set(self.lights)
        assert (lights.recent, lights.earlier, lights.growth) == (3, 2, 1)
        assert noise.growth == -3
        assert sum(n for _, n in lights.days) == 5 and len(lights.days) == 8

    def test_it_splits_one_place_by_topic_when_the_hotline_set_different_topics(self):
        for day in (8, 9, 10):
            self._at(day, 11, "建设路路灯不亮晚上很黑", "双清区兴隆街道建设路", topic=self.topic_manhole)
        sizes = sorted(h.size for h in find_hotspots(NOW) if h.place == "双清区兴隆街道")
        assert sizes == [3, 5]

    def test_it_needs_three_tickets_and_the_window(self):
        assert [h.size for h in find_hotspots(NOW, days=3)] == [3]  # the street lights of the 8th to the 10th
        assert find_hotspots(NOW, days=1) == []  # one street-light ticket in the last day
        assert [h.size for h in find_hotspots(NOW, min_size=6)] == []

    def test_the_desk_alert_lists_this_weeks_hotspots(self):
        with time_machine.travel(NOW, tick=False):
            assert [h.place for h in active_hotspots()] == ["双清区兴隆街道", "隆回县桃洪镇"]

    def test_the_page_shows_hotspots_with_their_tickets_and_a_chart_for_hotline_staff(self):
        assert self.client.login(username="supervisor", password=PASSWORD)
        with time_machine.travel(NOW, tick=False):
            response = self.client.get("/routing/hotspots/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "双清区兴隆街道" in html and self.lights[0].number in html and 'id="hotspot-chart"' in html
        assert "intake/hotspots.js" in html and "chart.umd.min.js" in html
        assert "<script>" not in html  # JS lives in static files
        with time_machine.travel(NOW, tick=False):
            fragment = self.client.get("/routing/hotspots/", {"days": "3"}, HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in fragment and "隆回县桃洪镇" not in fragment

    def test_the_screens_cache_plain_values_and_list_the_first_tickets_of_a_large_hotspot(self):
        # Unpickling the model rows behind a week's clusters took seconds on every view at a city's volume.
        with mock.patch.object(hotspots, "LINES_SHOWN", 3):
            page = cached_hotspots(NOW)
        assert page.total == 2 and [(h.place, h.size, len(h.lines), h.more) for h in page.shown] == [
            ("双清区兴隆街道", 5, 3, 2), ("隆回县桃洪镇", 3, 3, 0)]
        assert page.shown[0].lines[0].number in {t.number for t in self.lights}
        assert b"django.db" not in pickle.dumps(page) and not isinstance(page.shown[0].lines[0], Model)
        assert self.client.login(username="supervisor", password=PASSWORD)
        with time_machine.travel(NOW, tick=False):
            html = self.client.get("/routing/hotspots/").content.decode()
        assert "另有 2 件" in html  # the cached page of this test: three lines shown of five

    def test_the_largest_hotspots_are_read_from_an_entry_of_their_own(self):
        # The desk's alert and the city's page show the largest; unpickling a week's every cluster took 40 ms a desk.
        with mock.patch.object(hotspots, "SHOWN", 1):
            whole = cached_hotspots(NOW)
            with mock.patch.object(hotspots, "find_hotspots", side_effect=AssertionError("recomputed")):
                head = cached_hotspots(NOW, largest=True)
        assert len(whole.shown) == 2 and head.total == 2 and head.shown == whole.shown[:1]
        assert cache.get("intake:hotspots:v5:7:city:largest") == head
        cache.delete("intake:hotspots:v5:7:city:largest")  # evicted alone: the next view writes it again
        with mock.patch.object(hotspots, "SHOWN", 1):
            assert cached_hotspots(NOW, largest=True) == head
        assert cache.get("intake:hotspots:v5:7:city:largest") == head

    def test_the_job_computes_the_citys_week_and_page_views_read_it_until_it_is_kept_no_longer(self):
        # At a million tickets one computation took 1.6 s of CPU, paid every five minutes by whichever desk load
        # came first (and by every worker that missed the cache at the same moment).
        assert "hotspots" in SCHEDULE
        hotspots.refresh(NOW)
        page = cached_hotspots(NOW, largest=True)
        assert [h.place for h in page.shown] == ["双清区兴隆街道", "隆回县桃洪镇"] and page.computed_at == NOW
        nearly_kept = NOW + dt.timedelta(seconds=hotspots.KEEP_SECONDS - 1)
        with mock.patch.object(hotspots, "find_hotspots", side_effect=AssertionError("computed in a page view")):
            assert cached_hotspots(nearly_kept, largest=True) == page  # long past CACHE_SECONDS: the job's to redo
            assert cached_hotspots(nearly_kept).total == 2
        assert self.client.login(username="supervisor", password=PASSWORD)
        with time_machine.travel(NOW, tick=False):
            html = self.client.get("/routing/hotspots/").content.decode()
        assert "统计于 6月10日 18:00" in html
        # Past KEEP_SECONDS the job is evidently not running: the view computes the page itself.
        with mock.patch.object(hotspots, "find_hotspots", wraps=find_hotspots) as computed:
            later = NOW + dt.timedelta(seconds=hotspots.KEEP_SECONDS)
            assert cached_hotspots(later, largest=True).computed_at == later and computed.call_count == 1

    def test_the_job_recomputes_only_what_is_due(self):
        with mock.patch.object(hotspots, "find_hotspots", wraps=find_hotspots) as computed:
            assert hotspots.refresh(NOW) is False  # once a round: the runner does not call it again
            assert hotspots.refresh(NOW + dt.timedelta(seconds=hotspots.CACHE_SECONDS - 31)) is False
            assert computed.call_count == 1
            due = NOW + dt.timedelta(seconds=hotspots.CACHE_SECONDS - hotspots.REFRESH_EARLY_SECONDS)
            hotspots.refresh(due)
            assert computed.call_count == 2 and cached_hotspots(due).computed_at == due
            # A page computed "later" on a host whose clock runs a little ahead is fresh; a day ahead is not.
            assert hotspots.refresh(due - dt.timedelta(seconds=50)) is False and computed.call_count == 2
            hotspots.refresh(due - dt.timedelta(days=1))
            assert computed.call_count == 3

    def test_another_window_or_county_is_computed_by_the_view_and_kept_five_minutes(self):
        with mock.patch.object(hotspots, "find_hotspots", wraps=find_hotspots) as computed:
            assert cached_hotspots(NOW, days=3).total == 1
            cached_hotspots(NOW + dt.timedelta(seconds=hotspots.CACHE_SECONDS - 1), days=3)
            assert computed.call_count == 1
            cached_hotspots(NOW + dt.timedelta(seconds=hotspots.CACHE_SECONDS), days=3)
            assert computed.call_count == 2

    def test_a_listed_tickets_title_is_cut_once_when_the_page_is_computed(self):
        # 500 lines a page through the template's `truncatechars` took a quarter of the hotspot page's CPU.
        text = "建设路路灯不亮" * 10
        assert [hotspots._summary(Ticket(title=text[:n])) for n in (29, 30)] == [text[:29], text[:30]]
        assert [hotspots._summary(Ticket(title=text[:n])) for n in (31, 70)] == [f"{text[:29]}…"] * 2
        assert len(f"{text[:29]}…") == hotspots.SUMMARY_CHARS
        assert hotspots._summary(Ticket(title="", content="井盖缺失")) == "井盖缺失"  # no title: the content

    def test_unit_staff_cannot_open_the_hotspot_page(self):
        assert self.client.login(username="unit_a_handler", password=PASSWORD)
        assert self.client.get("/routing/hotspots/").status_code == 403
