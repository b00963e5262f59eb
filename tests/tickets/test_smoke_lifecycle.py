"""The ordinary path of a ticket from intake to closed, as one specification of the lifecycle."""

from hotline.tickets import workflow
from hotline.tickets.choices import Status
from tests.base import HotlineTestCase


class TestOrdinaryLifecycle(HotlineTestCase):
    def test_it_walks_from_intake_to_closed_writing_one_event_per_action(self):
        ticket = self.resolved_ticket()
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="5", solved=True, unit_contacted=True,
                           unit_contact_method="phone")
        ticket.refresh_from_db()
        assert ticket.status == Status.CLOSED
        actions = list(ticket.events.values_list("action", flat=True))
        assert actions == ["accept", "dispatch", "sign", "reply", "review_reply", "follow_up"]
