"""并单 keeps every requester's follow-up (Art. 17; 国办函〔2025〕66号): a merged requester gets their own call
about the original's result once it is resolved, without moving either ticket."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.lib.errors import TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import FollowUp
from tests.base import PASSWORD, HotlineTestCase


class TestMergedFollowUp(HotlineTestCase):
    def make_pair(self):
        original = self.new_ticket(requester={"name": "张三", "phone": "13987654321"})
        repeat = self.new_ticket(requester={"name": "李四", "phone": "13711112222"}, content="同一路灯还是不亮")
        workflow.merge(repeat, by=self.operator, into=original)
        return original, repeat

    def resolve(self, original):
        workflow.dispatch(original, by=self.dispatcher, lead_unit=self.unit_a)
        workflow.sign(original, by=self.unit_a_handler)
        from django.utils import timezone

        workflow.reply(original, by=self.unit_a_handler, handler_name="李工", handled_at=timezone.now(),
                       process="更换灯具", result="路灯已修复", contact_note="电话告知", contacted=True)
        workflow.review_reply(original, by=self.reviewer, approve=True)

    def test_it_records_each_requesters_own_call_after_the_original_is_resolved(self):
        original, repeat = self.make_pair()
        self.resolve(original)
        assert workflow.merged_follow_up_due(repeat)
        fu = workflow.follow_up(repeat, by=self.followup, reached=True, satisfaction="4", solved=True,
                                unit_contacted=True, unit_contact_method="phone")
        repeat.refresh_from_db()
        original.refresh_from_db()
        assert repeat.status == Status.MERGED
        assert original.status == Status.RESOLVED  # the original's own follow-up is still to come
        assert fu.requester == repeat.requester
        event = repeat.events.get(action=Action.FOLLOW_UP)
        assert (event.from_status, event.to_status, event.article) == (Status.MERGED, Status.MERGED, "第十七条")
        workflow.follow_up(original, by=self.followup, reached=True, satisfaction="5", solved=True,
                           unit_contacted=True, unit_contact_method="phone")
        assert set(FollowUp.objects.values_list("requester__phone_hash", flat=True)) == {
            original.requester.phone_hash, repeat.requester.phone_hash}
        assert not workflow.merged_follow_up_due(repeat)

    def test_it_refuses_before_the_original_is_resolved_and_after_the_requester_was_reached(self):
        original, repeat = self.make_pair()
        with pytest.raises(TransitionNotAllowed):
            workflow.follow_up(repeat, by=self.followup, reached=True, satisfaction="5",
                               solved=True, unit_contacted=False)
        self.resolve(original)
        workflow.follow_up(repeat, by=self.followup, reached=True, satisfaction="5", solved=True, unit_contacted=False)
        with pytest.raises(TransitionNotAllowed):
            workflow.follow_up(repeat, by=self.followup, reached=True, satisfaction="3",
                               solved=True, unit_contacted=False)
        assert repeat.events.filter(action=Action.FOLLOW_UP).count() == 1

    def test_three_unanswered_calls_end_the_attempts(self):
        original, repeat = self.make_pair()
        self.resolve(original)
        for _ in range(3):
            workflow.follow_up(repeat, by=self.followup, reached=False)
        assert not workflow.merged_follow_up_due(repeat)

    def test_the_follow_up_queue_and_page_offer_the_merged_requesters_call(self):
        original, repeat = self.make_pair()
        client = Client()
        client.login(username="followup", password=PASSWORD)
        assert repeat.number not in client.get("/desk/?tab=followup").content.decode()
        self.resolve(original)
        assert repeat.number in client.get("/desk/?tab=followup").content.decode()
        page = client.get(f"/tickets/{repeat.number}/").content.decode()
        assert "/follow_up/" in page or "follow-up" in page or "回访" in page
        response = client.post(f"/tickets/{repeat.number}/follow_up/", {
            "reached": "yes", "satisfaction": "5", "solved": "yes", "unit_contacted": "yes",
            "unit_contact_method": "phone", "note": "对处理结果满意"})
        assert response.status_code in (200, 302)
        assert repeat.follow_ups.filter(reached=True).exists()
