"""create_ticket: a contact becomes a ticket waiting for dispatch; the 2-hour dispatch clock starts (Art. 11, 13)."""

import datetime as dt

import pytest

from hotline.lib.errors import Forbidden, InvalidInput
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import Event, Ticket
from tests.tickets.support import MONDAY, WorkflowTestCase


class TestCreateTicket(WorkflowTestCase):
    def test_it_accepts_a_contact_with_the_dispatch_clock_at_two_hours_and_one_accept_event(self):
        ticket = self.new_ticket()
        stored = self.reload(ticket)
        assert stored.status == Status.PENDING_DISPATCH
        assert stored.number == "20260309000001"
        assert stored.created_at == MONDAY
        assert stored.dispatch_due == MONDAY + dt.timedelta(hours=2)
        assert stored.requester is not None and stored.requester.phone_hash
        self.assert_event(ticket, 0, action=Action.ACCEPT, actor=self.operator, unit=self.operator.unit, frm="",
                          to=Status.PENDING_DISPATCH, article="第十一条")

    def test_it_numbers_tickets_by_day_with_a_daily_sequence(self):
        first, second = self.new_ticket(), self.new_ticket()
        self.move_to(MONDAY + dt.timedelta(days=1))
        third = self.new_ticket()
        assert [first.number, second.number, third.number] == ["20260309000001", "20260309000002", "20260310000001"]

    def test_it_accepts_a_self_service_contact_without_an_actor(self):
        ticket = workflow.create_ticket(by=None, channel="web", request_type="help", content="求助")
        event = Event.objects.get(ticket=ticket)
        assert (event.actor, event.actor_unit) == (None, None)

    def test_it_keeps_noise_complaints_confidential_without_being_asked(self):
        ticket = self.new_ticket(topic=self.topic_noise)
        assert self.reload(ticket).is_confidential is True

    def test_it_takes_the_title_from_the_content_when_none_is_given(self):
        assert self.new_ticket(content="甲" * 40).title == "甲" * 30

    def test_it_refuses_unit_staff_and_supervisors(self):
        for person in (self.unit_a_handler, self.supervisor, self.reviewer, self.followup):
            with pytest.raises(Forbidden):
                workflow.create_ticket(by=person, channel="phone", request_type="help", content="求助")
        assert Ticket.objects.count() == 0
        assert Event.objects.count() == 0

    def test_it_refuses_bad_input_naming_the_field(self):
        cases = [
            ({"channel": "fax"}, "channel"),
            ({"request_type": "gossip"}, "request_type"),
            ({"content": "   "}, "content"),
            ({"content": " 水 "}, "content"),
            ({"content": "长" * 5001}, "content"),
            ({"address": "址" * 301}, "address"),
            ({"title": "题" * 121}, "title"),
            ({"region": self.unit_a}, "region"),
            ({"requester": {"phone": "12345"}}, "requester.phone"),
            ({"requester": {"name": "名" * 101}}, "requester.name"),
        ]
        for overrides, field in cases:
            with pytest.raises(InvalidInput) as caught:
                self.new_ticket(**overrides)
            assert caught.value.field == field, overrides
        assert Ticket.objects.count() == 0

    def test_it_takes_a_two_character_matter(self):
        assert self.new_ticket(content=" 停水 ").content == "停水"

    def test_it_accepts_a_county_as_region(self):
        assert self.new_ticket(region=self.county).region == self.county
