"""The handling deadline of an upper order is the earlier of the upper deadline and the local rule (Art. 14, 27)."""

from __future__ import annotations

import datetime as dt

import time_machine

from hotline.exchange import orders
from hotline.exchange.schemas import OrderIn
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase, local
from tests.exchange.support import make_partners

# Monday 2026-11-23 10:00: a complaint's local rule is 5 working days from signing, to 24:00 of Monday 11-30.
MONDAY = local(2026, 11, 23, 10, 0)
LOCAL_DUE = local(2026, 12, 1, 0, 0)


class UpperDueTest(HotlineTestCase):
    def setUp(self) -> None:
        self.province, _sub = make_partners(self.unit_b)

    def signed(self, n: int, **deadline: object) -> Ticket:
        order = OrderIn.model_validate({"external_id": f"HN-{n}", "content": "省平台交办：路灯不亮", "topic": "0101",
                                        "request_type": "complaint", **deadline})
        with time_machine.travel(MONDAY, tick=False):
            ticket = orders.take_order(self.province, order).order.ticket
            workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
            workflow.sign(ticket, by=self.unit_a_handler)
        ticket.refresh_from_db()
        return ticket

    def test_the_local_rule_stands_when_the_upper_deadline_is_the_same_moment_or_later(self):
        assert self.signed(1, deadline=LOCAL_DUE).handling_due == LOCAL_DUE
        assert self.signed(2, deadline=LOCAL_DUE + dt.timedelta(minutes=1)).handling_due == LOCAL_DUE

    def test_the_upper_deadline_wins_a_minute_earlier(self):
        earlier = LOCAL_DUE - dt.timedelta(minutes=1)
        ticket = self.signed(3, deadline=earlier)
        assert ticket.handling_due == earlier
        sign = ticket.events.get(action="sign")
        assert "第二十七条" in sign.article

    def test_upper_three_working_days_against_local_five_gives_three(self):
        # Counted with the calendar from the order's arrival: 24:00 of Thursday 11-26.
        ticket = self.signed(4, working_days=3)
        assert ticket.upper_due == local(2026, 11, 27, 0, 0)
        assert ticket.handling_due == local(2026, 11, 27, 0, 0)

    def test_a_ticket_of_any_other_channel_keeps_the_local_rule(self):
        with time_machine.travel(MONDAY, tick=False):
            ticket = self.signed_ticket(topic=self.topic_streetlight)
        assert (ticket.upper_due, ticket.handling_due) == (None, LOCAL_DUE)
