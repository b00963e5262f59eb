"""The reply check (文不对题, Art. 27, 28(3)): each reply is scored against its ticket; an off-topic or copied reply
carries a warning with its reason for the reviewer, who decides."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from io import StringIO
from unittest import mock

from django.core.management import call_command

from hotline.reports.facts.period import Period
from hotline.reports.facts.units import unit_facts
from hotline.tickets import replycheck, workflow
from hotline.tickets.replycheck import Checker
from tests.tickets.support import MONDAY, WorkflowTestCase

STREETLIGHT = "小区门口路灯不亮已经一周，晚上出行很不方便"
WATER = "龙须塘街道红旗小区从昨天早上开始停水，一直没有来水，也没有看到停水通知"
WATER_REPLY = ("接到反映后，市自来水公司立即派人到红旗小区排查，系小区加压泵故障导致停水",
               "已更换加压泵，红旗小区于当日下午恢复供水，今后停水将提前张贴通知")


def reply(ticket, by, process, result):
    return workflow.reply(ticket, by=by, handler_name="李工", handled_at=MONDAY, process=process, result=result,
                          contact_note="电话告知服务对象", contacted=True)


class TestChecker(WorkflowTestCase):
    def test_it_scores_the_reply_written_for_a_message_above_one_written_for_another(self):
        checker = Checker([("1", STREETLIGHT), ("2", WATER)])
        own = checker.check(WATER, "\n".join(WATER_REPLY), exclude={"2"})
        copied = checker.check(STREETLIGHT, "\n".join(WATER_REPLY), exclude={"1"})
        assert own.score > copied.score
        assert own.warning == ""
        assert copied.rival == "2" and "2" in copied.warning


class TestReplyIsChecked(WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        replycheck.reset()
        self.addCleanup(replycheck.reset)

    def test_it_stores_a_score_and_no_warning_for_a_reply_that_answers_the_ticket(self):
        ticket = self.signed_ticket(content=STREETLIGHT)
        self.new_ticket(content=WATER)
        rep = reply(ticket, self.unit_a_handler, "接报后到小区门口现场查看，路灯灯具损坏",
                    "已更换路灯灯具，路灯恢复照明")
        assert rep.check_score is not None and rep.check_score > 0
        assert rep.check_warning == ""

    def test_it_warns_naming_the_ticket_a_copied_reply_was_written_for(self):
        water = self.new_ticket(content=WATER)
        ticket = self.signed_ticket(content=STREETLIGHT)
        rep = reply(ticket, self.unit_a_handler, *WATER_REPLY)
        assert water.number in rep.check_warning and "答非所问" in rep.check_warning
        rep.refresh_from_db()
        assert rep.check_warning and rep.check_score is not None

    def test_it_counts_warned_replies_per_unit_in_the_statistics(self):
        self.new_ticket(content=WATER)
        ticket = self.signed_ticket(content=STREETLIGHT)
        reply(ticket, self.unit_a_handler, *WATER_REPLY)
        assert ticket.events.last().data["off_topic"] is True
        facts = unit_facts(Period.month(2026, 3))
        assert (facts[self.unit_a.pk].replied, facts[self.unit_a.pk].replied_off_topic) == (1, 1)

    def test_it_warns_about_a_reply_that_shares_nothing_with_the_ticket(self):
        ticket = self.signed_ticket(content=STREETLIGHT)
        rep = reply(ticket, self.unit_a_handler, "研究决定", "按有关规定处理完毕")
        assert "几乎没有共同之处" in rep.check_warning

    def test_it_does_not_count_a_merged_repeat_of_the_same_ticket_as_a_rival(self):
        ticket = self.signed_ticket(content=WATER)
        repeat = self.new_ticket(content=f"再次反映：{WATER}")
        workflow.merge(repeat, by=self.operator, into=ticket)
        rep = reply(ticket, self.unit_a_handler, *WATER_REPLY)
        assert rep.check_warning == ""

    def test_it_lets_the_unit_reply_when_the_check_fails(self):
        ticket = self.signed_ticket(content=STREETLIGHT)
        with mock.patch.object(replycheck, "check_reply", side_effect=RuntimeError("boom")):
            rep = reply(ticket, self.unit_a_handler, "现场查看", "路灯已修复")
        assert rep.check_score is None and rep.check_warning == ""


class TestReviewerSeesTheWarning(WorkflowTestCase):
    def test_it_shows_the_warning_with_its_reason_in_the_review_panel(self):
        replycheck.reset()
        water = self.new_ticket(content=WATER)
        ticket = self.signed_ticket(content=STREETLIGHT)
        reply(ticket, self.unit_a_handler, *WATER_REPLY)
        self.client.force_login(self.reviewer)
        page = self.client.get(f"/tickets/{ticket.number}/").content.decode()
        assert 'data-testid="reply-check-warning"' in page and water.number in page


class TestEvaluateReplies(WorkflowTestCase):
    def test_it_prints_auc_and_time_per_pair_against_the_baseline(self):
        path = self.tmp_csv([(STREETLIGHT, "已更换路灯灯具，路灯恢复照明", 1), (STREETLIGHT, "\n".join(WATER_REPLY), 0),
                             (WATER, "\n".join(WATER_REPLY), 1), (WATER, "已更换路灯灯具，路灯恢复照明", 0)])
        out = StringIO()
        call_command("evaluate", "replies", "--csv", path, stdout=out)
        result = json.loads(out.getvalue().strip().splitlines()[-1])
        assert result["auc"] == 1.0 and result["ms_per_item"] > 0 and "baseline_auc" in result

    def tmp_csv(self, rows):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["message", "reply", "label"])
            writer.writerows(rows)
        self.addCleanup(os.unlink, fh.name)
        return fh.name
