"""Repeated requests (并单, Art. 10.4): the desk proposes earlier tickets of the same matter, found by the
similar-ticket index, the caller's phone hash and the place, with the reasons the operator sees."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import time_machine
from django.test import override_settings

from hotline.intake import similar
from hotline.intake.repeats import find_repeats
from hotline.tickets import workflow
from tests.base import HotlineTestCase, local


class RepeatsTestCase(HotlineTestCase):
    """Each test starts without an index, in its own data directory (the index is saved there)."""

    def setUp(self) -> None:
        self.data_dir = tempfile.TemporaryDirectory()
        self.override = override_settings(DATA_DIR=Path(self.data_dir.name))
        self.override.enable()
        similar.forget_index()

    def tearDown(self) -> None:
        similar.forget_index()
        self.override.disable()
        self.data_dir.cleanup()

    def index_reads_nothing_new(self) -> None:
        """Build the index now and hold back its next catch-up, as in the seconds between two catch-ups."""
        similar.rebuild_index()
        similar._engine["checked"] = time.monotonic() + 3600


class TestFindRepeats(RepeatsTestCase):
    def test_it_scores_the_same_matter_from_the_same_caller_above_the_threshold(self):
        original = self.new_ticket(content="双清区龙须塘街道建设路路灯不亮已经一周了", address="双清区龙须塘街道建设路")
        self.new_ticket(content="大祥区某小区物业乱收停车费", address="大祥区城西街道",
                        requester={"phone": "13911112222"})
        [best, *_rest] = find_repeats(content="建设路的路灯还是不亮，已经一个多星期", phone="13987654321",
                                      address="双清区龙须塘街道建设路")
        assert best.ticket == original
        assert best.proposed
        assert "同一来电号码" in best.reasons
        assert "同一地点或区县" in best.reasons

    def test_it_does_not_propose_an_unrelated_matter(self):
        self.new_ticket(content="小区门口路灯不亮已经一周", requester={"phone": "13911112222"})
        candidates = find_repeats(content="咨询城乡居民医保缴费标准和缴费时间", phone="13700001111")
        assert not any(c.proposed for c in candidates)

    def test_it_finds_the_same_matter_from_another_caller_among_older_tickets_by_text_alone(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            original = self.new_ticket(content="建设路路灯不亮已经一周了，晚上出行很不方便",
                                       requester={"phone": "13911112222"})
            for n in range(12):
                self.new_ticket(content=f"第{n}号公租房申请审核进度查询", requester={"phone": "13911112222"})
        with time_machine.travel(local(2026, 3, 20, 9), tick=False):
            [best, *_rest] = find_repeats(content="建设路路灯不亮已经一周了，晚上出行很不方便", phone="13700001111")
        assert best.ticket == original
        assert best.reasons == ["内容相似度 1.00"]  # the same content, whatever the address
        assert best.proposed

    def test_it_keeps_to_the_90_day_window_and_leaves_out_declined_merged_and_excluded_tickets(self):
        with time_machine.travel(local(2026, 1, 2, 9), tick=False):
            self.new_ticket(content="建设路路灯不亮已经一周了")
        with time_machine.travel(local(2026, 5, 6, 9), tick=False):
            current = self.new_ticket(content="建设路路灯不亮已经一周了")
            merged = self.new_ticket(content="建设路路灯不亮已经一周了")
            workflow.merge(merged, by=self.operator, into=current)
            assert [c.ticket for c in find_repeats(content="建设路路灯不亮已经一周了")] == [current]
            assert find_repeats(content="建设路路灯不亮已经一周了", exclude=current) == []

    def test_it_scores_the_callers_own_ticket_that_the_text_search_does_not_return(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            own = self.new_ticket(content="楼道里的灯坏了", address="双清区龙须塘街道建设路12号")
            self.new_ticket(content="公租房申请审核进度查询", requester={"phone": "13911112222"})
        with time_machine.travel(local(2026, 3, 20, 9), tick=False):
            query = "门口垃圾桶满了没人清运"
            assert own.pk not in similar.similar_ids(query, since=local(2026, 1, 1), limit=30)
            [candidate] = find_repeats(content=query, phone="13987654321", address="双清区龙须塘街道建设路12号")
        assert candidate.ticket == own
        assert candidate.reasons[1:] == ["同一来电号码", "同一地点或区县"]
        assert not candidate.proposed

    def test_it_finds_a_ticket_taken_after_the_index_last_read_the_table(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            self.new_ticket(content="公租房申请审核进度查询")
            self.index_reads_nothing_new()
        with time_machine.travel(local(2026, 3, 2, 9, 10), tick=False):
            taken = self.new_ticket(content="化龙桥小区停水两天了，一直没有人来修", requester={"phone": "13911112222"})
        with time_machine.travel(local(2026, 3, 2, 9, 20), tick=False):
            [best, *_rest] = find_repeats(content="化龙桥小区停水两天了", phone="13700001111",
                                          address="双清区龙须塘街道")
        assert taken.pk > similar._engine["max_id"]
        assert best.ticket == taken and best.proposed

    def test_it_finds_a_ticket_committed_just_after_the_index_read_past_its_number(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            self.new_ticket(content="公租房申请审核进度查询")
            self.index_reads_nothing_new()
            late = self.new_ticket(content="化龙桥小区停水两天了，一直没有人来修", requester={"phone": "13911112222"})
            similar._engine["max_id"] = late.pk  # a later ticket was read while this one's transaction was open
            [best, *_rest] = find_repeats(content="化龙桥小区停水两天了", phone="13700001111",
                                          address="双清区龙须塘街道")
        assert best.ticket == late and best.proposed
