"""sign: the lead unit acknowledges receipt within 1 working day and the handling clock starts (Art. 13, 14)."""

import datetime as dt

from hotline.lib.errors import Forbidden, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from tests.base import local
from tests.tickets.support import MINUTE, MONDAY, WorkflowTestCase

SIGN_DUE = local(2026, 3, 11)  # dispatched Monday 10:00: 24:00 on Tuesday


class TestSign(WorkflowTestCase):
    def test_it_starts_the_handling_clock_and_both_return_windows(self):
        ticket = self.dispatched_ticket()
        workflow.sign(ticket, by=self.unit_a_handler)
        stored = self.reload(ticket)
        assert (stored.status, stored.signed_at, stored.deemed_signed) == (Status.IN_PROGRESS, MONDAY, False)
        assert stored.desk_return_due == local(2026, 3, 10)  # 24:00 on the signing day
        assert stored.return_due == local(2026, 3, 12)  # 2 working days after signing
        assert (stored.handling_days, stored.handling_due) == (5, local(2026, 3, 17))
        event = self.assert_event(ticket, 2, action=Action.SIGN, actor=self.unit_a_handler, unit=self.unit_a,
                                  frm=Status.DISPATCHED, to=Status.IN_PROGRESS, article="第十三条、第十四条第三项")
        assert event.data == self.against(ticket.sign_due, False)

    def test_it_gives_a_consultation_one_working_day(self):
        ticket = workflow.sign(self.dispatched_ticket(request_type="consultation"), by=self.unit_a_manager)
        stored = self.reload(ticket)
        assert (stored.handling_days, stored.handling_due) == (1, local(2026, 3, 11))
        assert ticket.events.last().article == "第十三条、第十四条第二项"

    def test_it_gives_help_reports_and_suggestions_five_working_days(self):
        for kind in ("help", "report", "suggestion"):
            ticket = self.signed_ticket(request_type=kind)
            assert self.reload(ticket).handling_due == local(2026, 3, 17), kind

    def test_it_gives_a_complex_matter_ten_working_days(self):
        ticket = self.signed_ticket(is_complex=True)
        assert (self.reload(ticket).handling_days, self.reload(ticket).handling_due) == (10, local(2026, 3, 24))

    def test_it_lets_a_statutory_limit_override_type_and_complexity(self):
        ticket = self.signed_ticket(topic=self.topic_statutory, is_complex=True)
        stored = self.reload(ticket)
        # 20 working days; Qingming (4-6 April 2026) is skipped.
        assert (stored.handling_days, stored.handling_due) == (20, local(2026, 4, 8))
        assert ticket.events.last().article == "第十三条、第十四条第四项"

    def test_it_accepts_a_signature_at_the_last_minute_of_the_window(self):
        ticket = self.dispatched_ticket()
        self.move_to(SIGN_DUE - MINUTE)
        workflow.sign(ticket, by=self.unit_a_handler)
        stored = self.reload(ticket)
        assert stored.handling_due == local(2026, 3, 18)
        assert stored.desk_return_due == SIGN_DUE
        assert ticket.events.last().data == self.against(ticket.sign_due, False)

    def test_it_counts_a_late_signature_from_the_signing_deadline_like_a_deemed_one(self):
        ticket = self.dispatched_ticket()
        self.move_to(SIGN_DUE + dt.timedelta(hours=9))
        workflow.sign(ticket, by=self.unit_a_handler)
        stored = self.reload(ticket)
        # Signing late must not buy the unit a day: the clocks run as if it had signed at 24:00 on Tuesday.
        assert stored.signed_at == SIGN_DUE + dt.timedelta(hours=9)
        assert (stored.handling_due, stored.return_due) == (local(2026, 3, 18), local(2026, 3, 13))
        assert stored.desk_return_due == SIGN_DUE
        assert ticket.events.last().data == self.against(ticket.sign_due, True)

    def test_it_refuses_another_unit_and_an_assisting_unit(self):
        ticket = self.new_ticket()
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])
        for person in (self.unit_b_handler, self.unit_c_handler):
            self.assert_refused(Forbidden, workflow.sign, ticket, by=person, code="not_lead_unit")

    def test_it_refuses_hotline_staff(self):
        ticket = self.dispatched_ticket()
        for person in (self.dispatcher, self.manager, self.operator):
            self.assert_refused(Forbidden, workflow.sign, ticket, by=person, code="role_not_allowed")

    def test_it_refuses_an_inactive_account(self):
        ticket = self.dispatched_ticket()
        self.unit_a_handler.is_active = False
        self.assert_refused(Forbidden, workflow.sign, ticket, by=self.unit_a_handler)

    def test_it_refuses_to_sign_twice(self):
        ticket = self.signed_ticket()
        self.assert_refused(TransitionNotAllowed, workflow.sign, ticket, by=self.unit_a_handler)
