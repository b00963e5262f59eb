"""The demo history is the product's own output: built through the workflow, every status, consistent events."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.test import TestCase

from hotline.demo import build as demo
from hotline.demo import directory
from hotline.directory.choices import UnitKind
from hotline.directory.models import Staff, Topic, Unit
from hotline.tickets.choices import Action, ReviewState, Status
from hotline.tickets.models import Event, ExtensionRequest, ReturnRequest, Ticket
from tests.base import local

PASSWORD = "Demo-Pass-2026-ops"


class DemoBuiltOnAMondayMorning(TestCase):
    """40 tickets of history up to Monday 23 November 2026, 09:30 Beijing time."""

    now = local(2026, 11, 23, 9, 30)
    summary: demo.Summary

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(cls.now, tick=False):
            cls.summary = demo.build(tickets=40, seed=7, password=PASSWORD)

    def test_it_has_cases_in_every_state_from_every_automatic_trigger_and_by_hand(self):
        from hotline.supervision.models import CaseEvent, Coordination, SupervisionCase, chain_intact

        states = set(SupervisionCase.objects.values_list("status", flat=True))
        assert states == {"open", "answered", "closed", "escalated"}
        automatic = set(SupervisionCase.objects.filter(automatic=True).values_list("trigger", flat=True))
        assert automatic >= {"overdue", "dissatisfied_after_rework"}
        assert set(SupervisionCase.objects.values_list("trigger", flat=True)) >= {
            "overdue", "hotspot", "dissatisfied_after_rework", "media", "assigned"}
        assert set(Coordination.objects.values_list("status", flat=True)) == {"pool", "decided", "undetermined"}
        for case in SupervisionCase.objects.all():
            assert chain_intact(list(CaseEvent.objects.filter(case=case).order_by("seq")))
            assert case.opened_at <= self.now

    def test_it_replays_every_step_without_the_workflow_refusing_one(self):
        assert self.summary.refused == []
        assert self.summary.tickets >= 40

    def test_it_covers_every_status(self):
        assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)

    def test_it_writes_one_unbroken_event_chain_per_ticket_ending_in_its_status(self):
        for ticket in Ticket.objects.all():
            events = list(ticket.events.order_by("at", "id"))
            # A contact is registered and accepted, or registered and declined in one event (Art. 10, 11).
            first = (events[0].action, events[0].from_status, events[0].to_status)
            assert first in {(Action.ACCEPT, "", Status.PENDING_DISPATCH), (Action.DECLINE, "", Status.DECLINED)}
            for before, after in zip(events, events[1:], strict=False):
                assert after.from_status == before.to_status, (ticket.number, before.action, after.action)
                assert after.at >= before.at
            assert events[-1].to_status == ticket.status
            assert events[0].at == ticket.created_at

    def test_it_declines_at_intake_without_an_accept_or_a_dispatch_clock(self):
        declined = Ticket.objects.filter(status=Status.DECLINED)
        assert declined.exists()
        for ticket in declined:
            assert [e.action for e in ticket.events.all()] == [Action.DECLINE] and ticket.dispatch_due is None

    def test_it_puts_nothing_in_the_future(self):
        assert not Event.objects.filter(at__gt=self.now).exists()
        assert not Ticket.objects.filter(created_at__gt=self.now).exists()

    def test_it_includes_the_unusual_paths_of_the_regulation(self):
        actions = set(Event.objects.values_list("action", flat=True))
        assert {Action.REWORK, Action.MERGE, Action.HAND_OFF, Action.CONSULT, Action.DEEM_SIGNED, Action.ARRIVE,
                Action.MARK_OVERDUE} <= actions
        assert set(ReturnRequest.objects.values_list("state", flat=True)) >= {ReviewState.APPROVED,
                                                                               ReviewState.REJECTED}
        assert ExtensionRequest.objects.filter(state=ReviewState.APPROVED).exists()
        reasons = set(Ticket.objects.filter(status=Status.DECLINED).values_list("decline_reason", flat=True))
        assert reasons and "" not in reasons

    def test_it_has_shaoyangs_twelve_counties_and_the_article_20_units_on_24_hours(self):
        counties = Unit.objects.filter(kind=UnitKind.COUNTY)
        assert counties.count() == 12 and all(c.children.count() == 7 for c in counties)
        for name in ("市应急管理局", "市卫生健康委员会", "市公安局", "市生态环境局", "市城管执法局", "市自来水公司",
                     "国网邵阳供电公司", "市燃气总公司"):
            assert Unit.objects.get(name=name).responds_24h, name
        assert Unit.objects.get(code="hotline").kind == UnitKind.HOTLINE

    def test_it_flags_topics_as_the_regulation_requires(self):
        leaves = Topic.objects.filter(parent__isnull=False)
        assert leaves.count() == len(directory.TOPICS) >= 40
        assert leaves.get(name="井盖缺失破损").needs_onsite_photo
        fumes = leaves.get(name="餐饮油烟")
        assert fumes.always_confidential and fumes.needs_arrival_within_hour
        assert leaves.get(name="停电").is_outage
        assert leaves.get(name="政府信息公开").statutory_working_days == 20
        assert leaves.get(name="社会治安").default_unit.name == "市公安局"
        # Art. 23: every ticket on such a topic is confidential.
        assert not Ticket.objects.filter(topic__always_confidential=True, is_confidential=False).exists()

    def test_it_registers_emergency_units_deputies_and_nuisance_flags_for_the_desk(self):
        from hotline.channels.models import Deputy, NuisanceFlag
        from hotline.directory.choices import EmergencyCategory

        handles = dict(Unit.objects.exclude(handles_emergency="").values_list("handles_emergency", "name"))
        assert handles == {EmergencyCategory.DISASTER: "市应急管理局",
                           EmergencyCategory.PUBLIC_HEALTH: "市卫生健康委员会",
                           EmergencyCategory.SOCIAL_SECURITY: "市公安局"}
        assert Deputy.objects.count() == 5  # three city and county deputies, two township ones (one term ended)
        assert NuisanceFlag.objects.count() == 2

    def test_it_has_a_leader_day_rotations_rosters_and_deputies(self):
        from hotline.channels import desk
        from hotline.directory.models import DutyRoster, DutyRosterRefusal, DutySlot

        slot = DutySlot.objects.get(kind="leader_day")
        assert slot.starts_at < self.now - dt.timedelta(days=20)
        assert set(slot.tickets.values_list("channel", flat=True)) == {"leader_day"} and slot.tickets.count() == 3
        assert DutySlot.objects.filter(kind="unit_rotation").count() == 2
        assert list(DutyRoster.objects.filter(is_late=True).values_list("unit__code", flat=True)) == ["cgzf"]
        assert DutyRoster.objects.filter(month=dt.date(2026, 11, 1)).count() == 5
        assert DutyRosterRefusal.objects.get().unit.code == "yjj"
        with time_machine.travel(self.now, tick=False):
            assert desk.deputy_for("13807390004") is None  # term ended in September
            assert desk.deputy_for("13807390005") is not None

    def test_it_lets_every_demo_account_log_in_with_the_demo_password(self):
        usernames = [login.username for login in self.summary.logins]
        assert {"operator", "dispatcher", "reviewer", "followup", "supervisor", "manager", "admin",
                "h-shuangqing-cgj"} <= set(usernames)
        for username in ("admin", "dispatcher", "h-cgzf"):
            assert authenticate(username=username, password=PASSWORD) is not None

    def test_it_gives_every_unit_a_unit_manager_who_can_reveal_with_a_reason(self):
        from hotline.directory.choices import Role, UnitKind

        units = Unit.objects.exclude(kind=UnitKind.HOTLINE)
        managers = Staff.objects.filter(role=Role.UNIT_MANAGER)
        assert set(managers.values_list("unit", flat=True)) == set(units.values_list("pk", flat=True))
        assert authenticate(username="m-cgzf", password=PASSWORD).unit.code == "cgzf"
        assert "m-cgzf" in [login.username for login in self.summary.logins]


class DemoBuiltJustAfterNationalDay(TestCase):
    """A history crossing the National Day holiday and its make-up working days still replays cleanly."""

    def test_it_replays_cleanly_across_holidays(self):
        with time_machine.travel(local(2026, 10, 12, 20, 0), tick=False):
            summary = demo.build(tickets=25, seed=99, password=PASSWORD)
        assert summary.refused == []
        assert {Status.CLOSED, Status.IN_PROGRESS, Status.PENDING_DISPATCH} <= set(summary.statuses)


class Rollback(Exception):
    pass


def built(seed: int) -> list[tuple]:
    """Build a small demo inside a transaction, note what it made, and roll it back."""
    try:
        with transaction.atomic():
            with time_machine.travel(local(2026, 11, 23, 9, 30), tick=False):
                demo.build(tickets=10, seed=seed, password=PASSWORD)
            seen = list(Ticket.objects.order_by("number").values_list(
                "number", "status", "title", "topic__code", "lead_unit__code", "created_at"))
            raise Rollback
    except Rollback:
        return seen


class DemoIsDeterministic(TestCase):
    def test_it_builds_the_same_history_from_the_same_seed_and_another_from_another(self):
        first = built(seed=3)
        assert first == built(seed=3)
        assert first != built(seed=4)



class DemoSubCentres(TestCase):
    """The demo city's county sub-centres (Art. 30): desk logins, their units, tickets received there."""

    now = local(2026, 11, 23, 9, 30)
    summary: demo.Summary

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(cls.now, tick=False):
            cls.summary = demo.build(tickets=120, seed=11, password=PASSWORD)

    def test_it_has_two_county_sub_centres_under_the_city_platform(self):
        from hotline.directory.models import Platform

        assert {(p.code, p.kind, p.parent.code) for p in Platform.objects.exclude(parent=None)} == {
            ("shuangqing", "county", "city"), ("xinshao", "county", "city")}

    def test_it_prints_and_accepts_each_sub_centres_desk_logins(self):
        usernames = {login.username for login in self.summary.logins}
        for code in directory.SUB_CENTRES:
            for role in ("operator", "dispatcher", "reviewer", "followup", "supervisor", "manager"):
                assert f"{role}-{code}" in usernames
        user = authenticate(username="operator-shuangqing", password=PASSWORD)
        assert user is not None and user.platform.code == "shuangqing"

    def test_it_moves_the_countys_units_under_its_sub_centre(self):
        assert set(Unit.objects.filter(platform__code="xinshao").values_list("code", flat=True)) == {
            "xinshao", *(f"xinshao-{key}" for key, _name in directory.COUNTY_DEPARTMENTS), "xinshao-t1", "xinshao-t2"}
        assert Unit.objects.get(code="cgzf").platform.code == "city"

    def test_it_receives_tickets_at_the_counties_and_dispatches_them_to_county_units_only(self):
        at_counties = Ticket.objects.exclude(received_by__code="city")
        assert at_counties.count() >= 2
        for ticket in at_counties.exclude(lead_unit=None).filter(platform=F("received_by")):
            assert ticket.lead_unit.platform_id == ticket.platform_id, ticket.number
        # A county's ticket the city holds was passed up by the county, and the city dispatched it (Art. 30).
        passed_up = Ticket.objects.filter(platform__code="city").exclude(received_by__code="city")
        for ticket in passed_up:
            assert ticket.events.filter(action=Action.PASS_UP).exists(), ticket.number

    def test_it_sends_tickets_down_and_up_the_platforms_and_leaves_one_to_sign(self):
        for action in (Action.HAND_DOWN, Action.PASS_UP, Action.PLATFORM_SIGN):
            assert Event.objects.filter(action=action).exists(), action
        assert Event.objects.filter(action=Action.REPLY, data__has_key="up_to").exists()
        waiting = Ticket.objects.get(status=Status.TRANSFERRING)
        assert (waiting.platform.parent.code, waiting.received_by.code) == ("city", "city")
