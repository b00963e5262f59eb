"""The Art. 20 response clock: an outage at a 24-hour unit is signed "at once" — within 30 clock minutes by
default, or the topic's own response time — warned, swept as overdue, and shown with its article."""

import datetime as dt

import time_machine

from hotline.deadlines.policy import RULES, Clock
from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Staff, Topic, Unit
from hotline.tickets import workflow
from hotline.tickets.choices import AlertKind
from hotline.tickets.models import ClockAlert, Ticket
from hotline.tickets.selectors import overdue_q
from hotline.tickets.sweeps import mark_one_overdue, warn_one
from hotline.web.timefmt import current_clock
from tests.base import local
from tests.tickets.support import MINUTE, WorkflowTestCase

LATE_EVENING = local(2026, 3, 9, 23, 0)  # a Monday, 23:00: the 24-hour unit has no office hours now
RESPONSE_DUE = LATE_EVENING + dt.timedelta(minutes=30)


class TestResponseClock(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gas_company = Unit.objects.create(code="rqgs", name="市燃气总公司", kind=UnitKind.UTILITY,
                                              responds_24h=True)
        cls.topic_gas = Topic.objects.create(code="0301", name="停气", default_unit=cls.gas_company, is_outage=True)
        cls.topic_water_pressure = Topic.objects.create(code="0302", name="水压不足", response_minutes=120)

    def gas_outage(self, unit: Unit | None = None) -> Ticket:
        self.move_to(LATE_EVENING)
        ticket = self.new_ticket(topic=self.topic_gas, content="小区整栋楼突然停气", request_type="help")
        return workflow.dispatch(ticket, by=self.dispatcher, lead_unit=unit or self.gas_company)

    def test_it_starts_a_30_minute_response_clock_when_an_outage_goes_to_a_24_hour_unit(self):
        ticket = self.gas_outage()
        assert ticket.response_due == RESPONSE_DUE
        assert RULES[Clock.RESPONSE].article == "第二十条"

    def test_it_is_not_overdue_the_minute_before_and_overdue_the_minute_after(self):
        ticket = self.gas_outage()
        self.move_to(RESPONSE_DUE - MINUTE)
        assert not Ticket.objects.filter(overdue_q(RESPONSE_DUE - MINUTE), pk=ticket.pk).exists()
        assert mark_one_overdue() is False
        self.move_to(RESPONSE_DUE + MINUTE)
        assert Ticket.objects.filter(overdue_q(RESPONSE_DUE + MINUTE), pk=ticket.pk).exists()
        assert mark_one_overdue() is True
        assert ClockAlert.objects.get(ticket=ticket, kind=AlertKind.BREACH).clock == "response"
        assert mark_one_overdue() is False  # safe to run twice

    def test_it_warns_ten_minutes_before(self):
        ticket = self.gas_outage()
        self.move_to(RESPONSE_DUE - dt.timedelta(minutes=11))
        assert warn_one() is False
        self.move_to(RESPONSE_DUE - dt.timedelta(minutes=9))
        assert warn_one() is True
        assert ClockAlert.objects.get(ticket=ticket, kind=AlertKind.WARNING).clock == "response"

    def test_it_stops_when_the_unit_signs(self):
        ticket = self.gas_outage()
        self.move_to(RESPONSE_DUE - MINUTE)
        gas_clerk = self.staff_of(self.gas_company)
        workflow.sign(ticket, by=gas_clerk)
        self.move_to(RESPONSE_DUE + MINUTE)
        assert not Ticket.objects.filter(overdue_q(RESPONSE_DUE + MINUTE), pk=ticket.pk).exists()

    def test_it_uses_the_topics_own_response_time(self):
        self.move_to(LATE_EVENING)
        ticket = self.new_ticket(topic=self.topic_water_pressure, content="水压太低")
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.gas_company)
        assert ticket.response_due == LATE_EVENING + dt.timedelta(hours=2)

    def test_it_runs_no_response_clock_at_a_unit_without_24_hour_response(self):
        ticket = self.gas_outage(unit=self.unit_b)
        assert ticket.response_due is None

    def test_noise_keeps_the_one_hour_arrival_clock_and_no_response_clock(self):
        self.move_to(LATE_EVENING)
        ticket = workflow.dispatch(self.new_ticket(topic=self.topic_noise), by=self.dispatcher, lead_unit=self.unit_a)
        assert ticket.arrival_due == LATE_EVENING + dt.timedelta(hours=1)
        assert ticket.response_due is None

    def test_the_ticket_page_shows_the_response_clock_with_its_article(self):
        ticket = self.gas_outage()
        self.client.force_login(self.dispatcher)
        with time_machine.travel(RESPONSE_DUE - MINUTE, tick=False):
            rows = {row.rule: row for row in self.client.get(f"/tickets/{ticket.number}/").context["clocks"]}
        assert rows["即时响应时限"].article == "第二十条"
        assert rows["即时响应时限"].running
        assert rows["即时响应时限"].countdown.text == "剩余 1 分钟"

    def staff_of(self, unit: Unit) -> Staff:
        return Staff.objects.create_user(username=f"{unit.code}-clerk", password="x-Pass-2026", role=Role.UNIT_HANDLER,
                                         unit=unit)

    def test_the_lists_count_down_the_response_clock_of_a_dispatched_outage(self):
        ticket = self.gas_outage()
        assert (ticket.current_due, current_clock(ticket)) == (RESPONSE_DUE, Clock.RESPONSE)
