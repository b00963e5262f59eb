"""The demo shows the follow-up side: records of every channel, reworks, appeals upheld, rejected and pending."""

from __future__ import annotations

import time_machine
from django.test import TestCase

from hotline.demo import build as demo
from hotline.followups.models import Appeal
from hotline.tickets.choices import Action, AppealState
from hotline.tickets.models import Event, FollowUp
from tests.base import local


class DemoFollowUps(TestCase):
    now = local(2026, 11, 23, 9, 30)

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(cls.now, tick=False):
            cls.summary = demo.build(tickets=60, seed=7, password="Demo-Pass-2026-fup")

    def test_it_has_follow_ups_from_every_channel_and_reworks(self):
        assert set(FollowUp.objects.values_list("channel", flat=True)) == {"call", "portal", "sms"}
        assert Event.objects.filter(action=Action.REWORK).exists()

    def test_it_has_appeals_upheld_and_rejected_each_with_its_events(self):
        states = set(Appeal.objects.values_list("state", flat=True))
        assert {AppealState.UPHELD, AppealState.REJECTED} <= states
        assert FollowUp.objects.filter(excluded_from_assessment=True).count() == 1
        assert Event.objects.filter(action=Action.APPEAL).count() == Appeal.objects.count()
        decided = Appeal.objects.exclude(state=AppealState.PENDING).count()
        assert Event.objects.filter(action=Action.REVIEW_APPEAL).count() == decided
