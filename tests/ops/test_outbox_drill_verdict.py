"""The outbox drill's verdict (bench/drills/outbox_kill.py): what counts as lost and as a duplicate."""

from __future__ import annotations

from collections import Counter

from bench.drills.outbox_kill import verdict


def test_it_counts_a_repeat_on_the_wire_apart_from_one_after_de_duplication():
    rows = [["a", True, 1, "", True], ["b", True, 2, "", True], ["demo", True, 1, "", False]]
    figures = verdict(rows, Counter({"a": 1, "b": 2, "demo": 1}), Counter({"a": 1, "b": 1, "demo": 1}))
    assert figures["duplicates_at_transport"] == 1 and figures["duplicates_after_dedup"] == 0
    assert (figures["messages"], figures["lost"], figures["unknown_ids_at_gateway"]) == (2, 0, 0)
    assert figures["other_messages_at_gateway"] == 1


def test_it_calls_lost_a_message_marked_sent_or_given_up_that_the_gateway_never_saw():
    rows = [["sent", True, 1, "", True], ["gave-up", False, 5, "短信网关错误", True], ["pending", False, 1, "", True]]
    figures = verdict(rows, Counter(), Counter())
    assert (figures["lost"], figures["pending"], figures["given_up"]) == (2, 2, 1)
