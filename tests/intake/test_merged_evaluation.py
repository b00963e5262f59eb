"""Repeat detection measured on the city's own merges (并单, Art. 10.4): `hotline evaluate merged` asks, for each
ticket staff merged into another, whether the desk's repeat candidates would have shown that ticket."""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from hotline.intake.evaluation import evaluate_merged_repeats
from hotline.tickets import workflow
from tests.base import local
from tests.intake.test_repeats import RepeatsTestCase

NOISE = ["楼下烧烤店深夜噪音扰民无法入睡", "工地夜间施工噪音很大影响休息", "广场舞音响声音太大噪音扰民",
         "酒吧深夜音乐噪音扰民严重", "装修电钻噪音中午不停", "夜市摊贩喇叭叫卖噪音扰民",
         "KTV深夜唱歌噪音扰民"]


class TestMergedRepeats(RepeatsTestCase):
    def build_month(self) -> None:
        """Two merges: one whose main ticket says the same thing, one whose main ticket shares nothing with it (staff
        merged them on what the caller said, not what was written), among seven noise complaints."""
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            self.lamp = self.new_ticket(content="建设路路灯不亮已经一周了，晚上出行很不方便")
            self.water = self.new_ticket(content="化龙桥小区停水两天了，什么时候恢复供水")
            for text in NOISE:
                self.new_ticket(content=text)
        with time_machine.travel(local(2026, 3, 5, 9), tick=False):
            lamp_again = self.new_ticket(content="建设路的路灯还是不亮，已经一个多星期")
            workflow.merge(lamp_again, by=self.operator, into=self.lamp)
            unlike = self.new_ticket(content="楼下深夜噪音扰民，音响声音太大无法入睡")
            workflow.merge(unlike, by=self.operator, into=self.water)

    def test_it_counts_the_main_ticket_where_the_desk_would_have_shown_it_against_the_baseline(self):
        self.build_month()
        out = io.StringIO()
        result = evaluate_merged_repeats(out=out)
        # The lamp repeat finds its main ticket first (a proposal); the noise text never reaches the water ticket.
        assert result["n_merged"] == 2
        assert (result["recall_at_1"], result["recall_at_5"], result["proposed"]) == (0.5, 0.5, 0.5)
        # The baseline ranks the seven noise complaints above the water ticket for the second merge.
        assert result["baseline"] == {"recall_at_1": 0.5, "recall_at_5": 0.5}
        assert "并单评测：最近 2 件" in out.getvalue()

    def test_a_ticket_taken_after_the_merged_one_is_no_candidate_for_ours_or_the_baseline(self):
        self.build_month()
        with time_machine.travel(local(2026, 3, 6, 9), tick=False):
            # Word for word the first repeat: it would come first for it if later tickets counted.
            self.new_ticket(content="建设路的路灯还是不亮，已经一个多星期")
        result = evaluate_merged_repeats()
        assert (result["recall_at_1"], result["baseline"]["recall_at_1"]) == (0.5, 0.5)

    def test_a_merge_into_a_later_ticket_is_left_out_and_a_repointed_one_keeps_the_ticket_staff_chose(self):
        self.build_month()
        with time_machine.travel(local(2026, 3, 7, 9), tick=False):
            # Staff merge the first lamp ticket into a later one: its repeat is repointed there, but the desk had
            # shown the first one, which is what the evaluation still asks for.
            newer = self.new_ticket(content="建设路路灯不亮已经一周了，晚上出行很不方便")
            workflow.merge(self.lamp, by=self.operator, into=newer)
        out = io.StringIO()
        result = evaluate_merged_repeats(out=out)
        assert result["skipped"] == 1 and result["n_merged"] == 2
        # The first lamp ticket is merged now, but was open when its repeat came in (replayed from the event log):
        # the desk showed it then, first, and the baseline ranks it first too.
        assert (result["recall_at_1"], result["baseline"]["recall_at_1"]) == (0.5, 0.5)
        assert "另有 1 件并入较晚工单" in out.getvalue()

    def test_a_ticket_merged_before_the_repeat_came_in_is_no_candidate_for_ours_or_the_baseline(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            lamp = self.new_ticket(content="建设路路灯不亮已经一周了，晚上出行很不方便")
            for text in NOISE:
                self.new_ticket(content=text)
        with time_machine.travel(local(2026, 3, 3, 9), tick=False):
            # Word for word what the repeat will say, merged into the lamp ticket before the repeat came in.
            copy = self.new_ticket(content="建设路的路灯还是不亮，已经一个多星期")
            workflow.merge(copy, by=self.operator, into=lamp)
        with time_machine.travel(local(2026, 3, 5, 9), tick=False):
            again = self.new_ticket(content="建设路的路灯还是不亮，已经一个多星期")
            workflow.merge(again, by=self.operator, into=lamp)
        result = evaluate_merged_repeats()
        # Both merges count; the copy was merged when the repeat came in, so the lamp ticket comes first for both.
        assert result["n_merged"] == 2
        assert (result["recall_at_1"], result["baseline"]["recall_at_1"]) == (1.0, 1.0)

    def test_a_main_ticket_whose_history_starts_after_the_repeat_is_read_alike_by_ours_and_the_baseline(self):
        from hotline.tickets.models import Ticket

        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            for text in NOISE:
                self.new_ticket(content=text)
        with time_machine.travel(local(2026, 3, 4, 9), tick=False):
            # Imported history: taken on 2 March, its first event written on 4 March.
            lamp = self.new_ticket(content="建设路路灯不亮已经一周了，晚上出行很不方便")
            Ticket.objects.filter(pk=lamp.pk).update(created_at=local(2026, 3, 2, 10))
        with time_machine.travel(local(2026, 3, 3, 9), tick=False):
            again = self.new_ticket(content="建设路的路灯还是不亮，已经一个多星期")
            workflow.merge(again, by=self.operator, into=lamp)
        with time_machine.travel(local(2026, 3, 7, 9), tick=False):
            newer = self.new_ticket(content="建设路路灯不亮")
            workflow.merge(Ticket.objects.get(pk=lamp.pk), by=self.operator, into=newer)
        result = evaluate_merged_repeats()
        # Merged today, open as its first event found it: a candidate for both (today's status would drop it).
        assert result["n_merged"] == 1
        assert (result["recall_at_1"], result["baseline"]["recall_at_1"]) == (1.0, 1.0)

    def test_the_status_at_a_moment_is_the_one_the_last_event_before_it_left(self):
        from hotline.tickets.selectors import statuses_at

        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            lamp = self.new_ticket(content="建设路路灯不亮已经一周了，晚上出行很不方便")
            first = lamp.status
        with time_machine.travel(local(2026, 3, 3, 9), tick=False):
            newer = self.new_ticket(content="建设路路灯不亮已经一周了")
            workflow.merge(lamp, by=self.operator, into=newer)
        assert statuses_at([lamp.pk], local(2026, 3, 2, 10)) == {lamp.pk: first}
        assert statuses_at([lamp.pk], local(2026, 3, 3, 10)) == {lamp.pk: "merged"}
        assert statuses_at([lamp.pk], local(2026, 3, 1, 10)) == {lamp.pk: first}  # as its first event created it

    def test_it_measures_only_the_latest_merges_and_never_a_ticket_taken_after_the_merged_one(self):
        self.build_month()
        with time_machine.travel(local(2026, 3, 9, 9), tick=False):
            later = self.new_ticket(content="化龙桥小区停水两天了，什么时候恢复供水")
        with time_machine.travel(local(2026, 3, 9, 10), tick=False):
            again = self.new_ticket(content="化龙桥小区停水两天了，什么时候恢复供水？")
            workflow.merge(again, by=self.operator, into=later)
        result = evaluate_merged_repeats(limit=1)
        assert result["n_merged"] == 1 and result["recall_at_1"] == 1.0
        # The later water ticket repeats the first one word for word, but was taken after the first two merges: it is
        # no candidate for them, so they keep their figures (1 and 0), and the third finds its own main ticket first
        # (the earlier water ticket ties with it in text; of equal scores the desk shows the newer first).
        assert evaluate_merged_repeats()["recall_at_1"] == pytest.approx(2 / 3, abs=1e-4)

    def test_the_command_prints_json_last_and_says_so_when_there_is_nothing_to_measure(self):
        with pytest.raises(CommandError, match="没有可评测的并单"):
            call_command("evaluate", "merged", stdout=io.StringIO())
        self.build_month()
        out = io.StringIO()
        call_command("evaluate", "merged", "--limit", "5", stdout=out)
        assert json.loads(out.getvalue().strip().splitlines()[-1])["n_merged"] == 2
        with pytest.raises(CommandError, match="至少为 1"):
            call_command("evaluate", "merged", "--limit", "0", stdout=io.StringIO())
