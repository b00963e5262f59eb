"""What the statistics read from the event log about follow-ups (Art. 17, 26): a requester's own rating counts until
a later call reaches them; the supervision sweep (Art. 24(3)) finds "dissatisfied again after rework, unit at fault"
in the same events."""

from hotline.followups import ratings
from hotline.reports.facts import Period, follow_up_totals
from hotline.tickets import workflow
from hotline.tickets.choices import Action
from tests.followups.support import FollowUpTestCase
from tests.tickets.support import MINUTE, MONDAY

MARCH = Period.month(2026, 3)
AT_FAULT = {"reached": True, "satisfaction": "1", "solved": False, "unit_contacted": False, "fault": "unit"}


class TestStatistics(FollowUpTestCase):
    def test_a_portal_rating_counts_until_a_later_call_reaches_the_requester(self):
        ticket = self.resolved_ticket()
        ratings.rate_on_portal(ticket, satisfaction="1")
        totals = follow_up_totals(MARCH)
        assert (totals.calls, totals.dissatisfied) == (1, 1)
        self.move_to(MONDAY + MINUTE)
        workflow.follow_up(ticket, by=self.followup, reached=False)
        assert follow_up_totals(MARCH).dissatisfied == 1  # an unanswered call takes nothing over
        self.move_to(MONDAY + 2 * MINUTE)
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="4", solved=True,
                           unit_contacted=True, unit_contact_method="phone")
        totals = follow_up_totals(MARCH)
        assert (totals.calls, totals.reached, totals.dissatisfied, totals.satisfaction["4"]) == (2, 1, 0, 1)

    def test_dissatisfied_again_after_rework_through_the_unit_is_readable_from_the_events(self):
        """The integration point of supervision (Art. 24(3)): its sweep reads these events, this app imports it not."""
        ticket = self.resolved_ticket()
        workflow.follow_up(ticket, by=self.followup, **AT_FAULT)
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=MONDAY, process="重新处理",
                       result="已修复", contact_note="电话告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        workflow.follow_up(ticket, by=self.followup, **AT_FAULT)
        trail = [(e.action, e.data.get("unit_at_fault"), e.data.get("channel"))
                 for e in ticket.events.filter(action__in=[Action.FOLLOW_UP, Action.REWORK]).order_by("id")]
        assert trail == [(Action.FOLLOW_UP, True, "call"), (Action.REWORK, None, None),
                         (Action.FOLLOW_UP, True, "call"), (Action.REWORK, None, None)]
