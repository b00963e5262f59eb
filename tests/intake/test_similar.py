"""Similar tickets: BM25 over character n-grams, within a time window and a county, over the ticket table."""

from __future__ import annotations

import datetime as dt
import tempfile
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from hotline.intake import similar
from hotline.intake.similar import SimilarIndex, similar_tickets
from tests.base import HotlineTestCase, local

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TEXTS = ["兴隆街道建设路路灯不亮一周了", "建设路的路灯坏了晚上很黑", "公租房申请审核进度查询", "楼下烧烤店深夜噪音扰民",
         "建设路路灯不亮", "医保报销比例是多少"]


def _index() -> SimilarIndex:
    return SimilarIndex.build(ids=[10, 11, 12, 13, 14, 15], texts=TEXTS, regions=[1, 1, 1, 2, 2, 1],
                              times=[T0 + dt.timedelta(days=i) for i in range(6)])


def test_it_ranks_the_same_matter_first():
    hits = _index().search("建设路路灯不亮", limit=3)
    assert hits[0].id == 14 and hits[0].similarity > 0.99
    assert {h.id for h in hits[1:]} == {10, 11}


def test_it_keeps_to_the_county_and_the_time_window():
    index = _index()
    assert [h.id for h in index.search("建设路路灯不亮", region=1, limit=5)][:2] == [10, 11]
    assert 14 not in {h.id for h in index.search("建设路路灯不亮", region=1)}
    assert {h.id for h in index.search("路灯不亮", since=T0 + dt.timedelta(days=2))} == {14}
    # Before a time too (measuring past merges): 14, taken on day 4, is left out, and with it everything after.
    assert {h.id for h in index.search("路灯不亮", until=T0 + dt.timedelta(days=4))} == {10, 11}
    index.add([16], ["建设路路灯不亮"], [1], [T0 + dt.timedelta(days=1)])  # searched by brute force, same rule
    assert {h.id for h in index.search("建设路路灯不亮", until=T0 + dt.timedelta(days=4))} == {10, 11, 16}


def test_it_leaves_out_excluded_ids_and_unrelated_texts():
    hits = _index().search("建设路路灯不亮", exclude={14})
    assert 14 not in {h.id for h in hits}
    assert _index().search("完全无关的字句ＸＹＺ", min_similarity=0.15) == []


def test_it_scores_given_texts_as_a_search_scores_them():
    index = _index()
    found = {h.id: h.similarity for h in index.search("建设路路灯不亮", limit=6)}
    direct = index.similarity("建设路路灯不亮", [TEXTS[i - 10] for i in found])
    assert direct.tolist() == pytest.approx(list(found.values()), rel=1e-5)
    assert index.similarity("建设路路灯不亮", []).tolist() == []


def test_an_index_of_no_tickets_finds_nothing_until_tickets_are_added():
    index = SimilarIndex.build([], [])
    assert index.search("建设路路灯不亮") == []
    index.add([20], ["化龙桥小区停水两天了"], [1], [T0])
    assert [h.id for h in index.search("化龙桥小区停水")] == [20]


def test_it_finds_tickets_added_after_the_build():
    index = _index()
    index.add([20], ["化龙桥小区停水两天了"], [1], [T0])
    assert [h.id for h in index.search("化龙桥小区停水")][:1] == [20]
    assert index.delta_size == 1 and len(index) == 7


class TestOverTickets(HotlineTestCase):
    def setUp(self):
        self.data_dir = tempfile.TemporaryDirectory()
        self.override = override_settings(DATA_DIR=Path(self.data_dir.name))
        self.override.enable()
        similar.forget_index()

    def tearDown(self):
        similar.forget_index()
        self.override.disable()
        self.data_dir.cleanup()

    def test_it_finds_a_repeated_request_in_the_same_county_and_window(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            old = self.new_ticket(content="建设路路灯不亮一个星期了", address="双清区兴隆街道")
        with time_machine.travel(local(2026, 5, 6, 9), tick=False):
            first = self.new_ticket(content="建设路路灯不亮一个星期了", address="双清区兴隆街道")
            self.new_ticket(content="建设路路灯不亮一个星期了", address="隆回县桃洪镇")
            self.new_ticket(content="公租房审核进度", address="双清区兴隆街道")
            found = similar_tickets("建设路路灯一直不亮", region=self.county, since=local(2026, 5, 1))
        assert [s.ticket for s in found] == [first]
        assert old not in [s.ticket for s in found]

    def test_it_sees_tickets_taken_after_the_index_was_built(self):
        self.new_ticket(content="公租房审核进度", address="双清区兴隆街道")
        assert similar.rebuild_index() is not None
        similar._engine["checked"] = 0.0  # as if the catch-up interval had passed
        later = self.new_ticket(content="化龙桥小区停水两天了", address="双清区兴隆街道")
        assert [s.ticket for s in similar_tickets("化龙桥小区停水")][:1] == [later]

    def test_the_command_rebuilds_and_saves_the_index(self):
        self.new_ticket(content="公租房审核进度", address="双清区兴隆街道")
        out = StringIO()
        call_command("routing", "index", stdout=out)
        assert "1 条" in out.getvalue()
        assert (Path(self.data_dir.name) / "models" / similar.INDEX_FILE).is_file()

    def test_the_desk_fragment_lists_similar_tickets_for_hotline_staff_only(self):
        ticket = self.new_ticket(content="建设路路灯不亮一个星期了", address="双清区兴隆街道")
        assert self.client.login(username="operator", password="Persona-Pass-2026")
        html = self.client.get("/routing/similar/", {"q": "建设路路灯不亮", "address": "双清区"}).content.decode()
        assert ticket.number in html and "双清区" in html
        assert self.client.login(username="unit_a_handler", password="Persona-Pass-2026")
        assert self.client.get("/routing/similar/", {"q": "建设路路灯不亮"}).status_code == 403


def test_it_cuts_time_ordered_postings_at_the_window_and_still_finds_the_same():
    index = _index()
    assert index.time_ordered
    shuffled = SimilarIndex.build(ids=[15, 14, 13, 12, 11, 10], texts=TEXTS[::-1], regions=[1, 2, 2, 1, 1, 1],
                                  times=[T0 + dt.timedelta(days=i) for i in range(5, -1, -1)])
    assert not shuffled.time_ordered
    since = T0 + dt.timedelta(days=1)
    found = [h.id for h in index.search("路灯不亮", since=since)]
    assert found == [h.id for h in shuffled.search("路灯不亮", since=since)] and 10 not in found
