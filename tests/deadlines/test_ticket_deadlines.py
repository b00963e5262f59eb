"""The deadlines a ticket carries, set by the workflow from the calendar at each act (Art. 13, 14, 17, 20).

Each expected value is counted by hand from the State Council notices; the comments show the count.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import time_machine
from django.core.management import call_command

from hotline.directory.models import Topic
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase, local


def at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


class TestSpringFestival2026(HotlineTestCase):
    """2.15-2.23 off; Saturdays 2.14 and 2.28 worked."""

    topic_statutory: Topic

    def sign_on_the_make_up_saturday(self, **overrides: object) -> Ticket:
        with at(local(2026, 2, 13, 14)):
            ticket = self.new_ticket(**overrides)
        with at(local(2026, 2, 13, 15)):
            workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
        with at(local(2026, 2, 14, 11)):
            workflow.sign(ticket, by=self.unit_a_handler)
        ticket.refresh_from_db()
        return ticket

    def test_it_gives_two_hours_to_dispatch_and_the_make_up_saturday_to_sign(self) -> None:
        with at(local(2026, 2, 13, 14)):
            ticket = self.new_ticket()
        assert ticket.dispatch_due == local(2026, 2, 13, 16)
        with at(local(2026, 2, 13, 15)):
            workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
        ticket.refresh_from_db()
        assert ticket.sign_due == local(2026, 2, 15)  # Sat 2.14, 24:00
        assert ticket.due_estimated is False

    def test_it_starts_the_handling_and_return_clocks_at_signing(self) -> None:
        ticket = self.sign_on_the_make_up_saturday()
        assert ticket.desk_return_due == local(2026, 2, 15)  # the signing day, 24:00
        assert ticket.return_due == local(2026, 2, 26)  # 2.24, 2.25
        assert ticket.handling_days == 5
        assert ticket.handling_due == local(2026, 3, 1)  # 2.24-2.27, Sat 2.28 (班)
        assert ticket.due_estimated is False

    def test_it_gives_a_consultation_one_working_day(self) -> None:
        assert self.sign_on_the_make_up_saturday(request_type="consultation").handling_due == local(2026, 2, 25)

    def test_it_gives_a_complex_matter_ten_working_days(self) -> None:
        ticket = self.sign_on_the_make_up_saturday(is_complex=True)
        assert (ticket.handling_days, ticket.handling_due) == (10, local(2026, 3, 7))  # ... 3.2-3.6

    def test_it_lets_a_statutory_limit_win(self) -> None:
        ticket = self.sign_on_the_make_up_saturday(topic=self.topic_statutory)
        assert (ticket.handling_days, ticket.handling_due) == (20, local(2026, 3, 21))  # ... 3.9-3.20


class TestNationalDay2026(HotlineTestCase):
    """9.25 (中秋) and 10.1-10.7 off; Sunday 9.20 and Saturday 10.10 worked."""

    def test_it_runs_the_24_hour_consultation_clock_into_the_holiday(self) -> None:
        with at(local(2026, 9, 30, 20)):
            ticket = self.new_ticket(request_type="consultation")
            workflow.consult(ticket, by=self.operator, unit=self.unit_b)
        ticket.refresh_from_db()
        assert ticket.consult_due == local(2026, 10, 1, 20)

    def test_it_moves_the_deadline_by_an_approved_ten_day_extension(self) -> None:
        with at(local(2026, 9, 18, 16)):
            ticket = self.signed_ticket()
        assert ticket.handling_due == local(2026, 9, 25)  # Sun 9.20 (班), 9.21-9.24
        with at(local(2026, 9, 22, 10)):
            er = workflow.request_extension(ticket, by=self.unit_a_handler, working_days=10, reason="需协调多部门")
        with at(local(2026, 9, 23, 10)):
            workflow.review_extension(ticket, by=self.reviewer, approve=True)
        ticket.refresh_from_db()
        er.refresh_from_db()
        # From the old period's last day 9.24: 9.28, 9.29, 9.30, 10.8, 10.9, Sat 10.10, 10.12-10.15.
        assert ticket.handling_due == er.new_due == local(2026, 10, 16)
        assert er.old_due == local(2026, 9, 25)

    def test_it_gives_five_working_days_to_rework(self) -> None:
        ticket = self.rework_on_30_september()
        assert ticket.rework_due == local(2026, 10, 14)  # 10.8, 10.9, Sat 10.10, 10.12, 10.13

    def rework_on_30_september(self) -> Ticket:
        with at(local(2026, 9, 21, 10)):
            ticket = self.resolved_ticket()
        with at(local(2026, 9, 30, 9)):
            workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="2",
                               solved=False, unit_contacted=False, fault="unit")
        ticket.refresh_from_db()
        return ticket


class TestNewYear(HotlineTestCase):
    topic_noise: Topic

    def test_it_gives_one_hour_to_arrive_across_midnight(self) -> None:
        with at(local(2025, 12, 31, 23, 20)):
            ticket = self.dispatched_ticket(topic=self.topic_noise)
        assert ticket.arrival_due == local(2026, 1, 1, 0, 20)

    def test_it_gives_the_make_up_sunday_to_sign_after_new_year_2026(self) -> None:
        with at(local(2025, 12, 31, 18)):
            ticket = self.dispatched_ticket()
        assert ticket.sign_due == local(2026, 1, 5)  # 1.1-1.3 off, Sun 1.4 (班)
        assert ticket.due_estimated is False


class TestIntoUnpublished2027(HotlineTestCase):
    def test_it_flags_a_sign_deadline_in_2027_as_estimated(self) -> None:
        with at(local(2026, 12, 31, 10)):
            ticket = self.dispatched_ticket()
        ticket.refresh_from_db()
        assert ticket.sign_due == local(2027, 1, 2)  # Fri 1.1.2027 by the weekend rule
        assert ticket.due_estimated is True

    def test_it_flags_a_handling_deadline_in_2027_as_estimated(self) -> None:
        with at(local(2026, 12, 28, 10)):
            ticket = self.signed_ticket()
        ticket.refresh_from_db()
        assert ticket.handling_due == local(2027, 1, 5)  # 12.29-12.31, Fri 1.1, Mon 1.4
        assert ticket.due_estimated is True

    def test_it_leaves_a_handling_deadline_ending_on_31_december_exact(self) -> None:
        with at(local(2026, 12, 24, 10)):
            ticket = self.signed_ticket()
        ticket.refresh_from_db()
        assert ticket.handling_due == local(2027, 1, 1)  # 12.25, 12.28-12.31
        assert ticket.due_estimated is False

    def import_2027(self, moment: dt.datetime) -> None:
        # A made-up one-line 2027 file: enough to show that importing a year makes its deadlines exact.
        with tempfile.TemporaryDirectory() as folder, at(moment):
            path = Path(folder) / "2027.csv"
            path.write_text("2027-01-01,休,元旦\n", encoding="utf-8")
            call_command("calendar", "import", str(path), stdout=io.StringIO())

    def test_it_counts_exactly_once_2027_is_imported(self) -> None:
        self.import_2027(local(2026, 11, 30, 9))
        with at(local(2026, 12, 28, 10)):
            ticket = self.signed_ticket()
        ticket.refresh_from_db()
        assert ticket.handling_due == local(2027, 1, 6)  # 12.29-12.31, 1.1 off, 1.4, 1.5
        assert ticket.due_estimated is False

    def test_it_clears_the_flag_when_the_running_clock_is_exact(self) -> None:
        with at(local(2026, 12, 31, 10)):
            ticket = self.dispatched_ticket()
        assert ticket.due_estimated is True  # the signing clock reaches unpublished 2027
        self.import_2027(local(2026, 12, 31, 12))
        with at(local(2026, 12, 31, 15)):
            workflow.sign(ticket, by=self.unit_a_handler)
        ticket.refresh_from_db()
        assert ticket.handling_due == local(2027, 1, 9)  # 1.1 off now; 1.4-1.8, exact: 2027 is published
        assert ticket.due_estimated is False
