"""The timed sweeps act at the minute after a deadline and not at the minute before (Art. 13, 14, 17).

A deadline at 24:00 of day D is kept by an act before it; from that instant the ticket is deemed signed or overdue.
"""

from __future__ import annotations

import datetime as dt

import time_machine

from hotline.tickets import sweeps, workflow
from hotline.tickets.choices import AlertKind, Status
from hotline.tickets.models import ClockAlert, Ticket
from tests.base import HotlineTestCase, local


def at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


class TestDeemedSigning(HotlineTestCase):
    def dispatch_at(self, moment: dt.datetime) -> Ticket:
        with at(moment):
            return self.dispatched_ticket()

    def test_it_waits_until_the_make_up_saturday_has_ended(self) -> None:
        ticket = self.dispatch_at(local(2026, 2, 13, 15))
        assert ticket.sign_due == local(2026, 2, 15)
        with at(local(2026, 2, 14, 23, 59)):
            assert sweeps.deem_one_signed() is False
        ticket.refresh_from_db()
        assert ticket.status == Status.DISPATCHED
        with at(local(2026, 2, 15, 0, 1)):
            assert sweeps.deem_one_signed() is True
        ticket.refresh_from_db()
        assert (ticket.status, ticket.deemed_signed, ticket.signed_at) == (Status.IN_PROGRESS, True, local(2026, 2, 15))

    def test_it_waits_through_national_day(self) -> None:
        ticket = self.dispatch_at(local(2026, 9, 30, 9))
        assert ticket.sign_due == local(2026, 10, 9)  # 10.1-10.7 off: 10.8, 24:00
        with at(local(2026, 10, 8, 23, 59)):
            assert sweeps.deem_one_signed() is False
        with at(local(2026, 10, 9, 0, 1)):
            assert sweeps.deem_one_signed() is True
            assert sweeps.deem_one_signed() is False  # nothing left: safe to run twice
        ticket.refresh_from_db()
        assert ticket.status == Status.IN_PROGRESS
        assert ticket.signed_at == local(2026, 10, 9)

    def test_it_runs_handling_from_the_day_after_the_missed_signing_day(self) -> None:
        # Deemed signed at 10.8 24:00, so 10.8 is the start day (Civil Code Art. 201):
        # handling 10.9, Sat 10.10 (班), 10.12, 10.13, 10.14; on-site return 10.9, Sat 10.10.
        self.dispatch_at(local(2026, 9, 30, 9))
        with at(local(2026, 10, 9, 0, 1)):
            sweeps.deem_one_signed()
        ticket = Ticket.objects.get()
        assert ticket.handling_due == local(2026, 10, 15)
        assert ticket.return_due == local(2026, 10, 11)
        assert ticket.desk_return_due == local(2026, 10, 9)

    def test_it_gives_a_late_signature_no_more_time_than_deemed_signing(self) -> None:
        # Signed by hand half a minute after the deadline, before the sweep ran: the same clocks as deemed signing.
        ticket = self.dispatch_at(local(2026, 9, 30, 9))
        with at(local(2026, 10, 9) + dt.timedelta(seconds=30)):
            workflow.sign(ticket, by=self.unit_a_handler)
        ticket.refresh_from_db()
        assert (ticket.handling_due, ticket.return_due) == (local(2026, 10, 15), local(2026, 10, 11))


class TestOverdue(HotlineTestCase):
    def breaches(self, ticket: Ticket) -> list[tuple[str, dt.datetime]]:
        return list(ClockAlert.objects.filter(ticket=ticket, kind=AlertKind.BREACH).values_list("clock", "due"))

    def test_it_marks_the_handling_clock_overdue_after_the_make_up_saturday(self) -> None:
        with at(local(2026, 2, 14, 11)):
            ticket = self.signed_ticket()
        assert ticket.handling_due == local(2026, 3, 1)  # 2.24-2.27, Sat 2.28 (班)
        with at(local(2026, 2, 28, 23, 59)):
            assert sweeps.mark_one_overdue() is False
        with at(local(2026, 3, 1, 0, 1)):
            assert sweeps.mark_one_overdue() is True
            assert sweeps.mark_one_overdue() is False  # recorded once
        assert self.breaches(ticket) == [("handling", local(2026, 3, 1))]

    def test_it_follows_an_extended_deadline(self) -> None:
        with at(local(2026, 9, 18, 16)):
            ticket = self.signed_ticket()
        with at(local(2026, 9, 22, 10)):
            workflow.request_extension(ticket, by=self.unit_a_handler, working_days=10, reason="需协调多部门")
        with at(local(2026, 9, 23, 10)):
            workflow.review_extension(ticket, by=self.reviewer, approve=True)
        with at(local(2026, 9, 25, 0, 1)):  # the old deadline has passed, the new one has not
            assert sweeps.mark_one_overdue() is False
        with at(local(2026, 10, 15, 23, 59)):
            assert sweeps.mark_one_overdue() is False
        with at(local(2026, 10, 16, 0, 1)):
            assert sweeps.mark_one_overdue() is True
        assert self.breaches(ticket) == [("handling", local(2026, 10, 16))]

    def test_it_marks_the_rework_clock_overdue_after_the_make_up_saturday(self) -> None:
        with at(local(2026, 9, 21, 10)):
            ticket = self.resolved_ticket()
        with at(local(2026, 9, 30, 9)):
            workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="2",
                               solved=False, unit_contacted=False, fault="unit")
        with at(local(2026, 10, 13, 23, 59)):
            assert sweeps.mark_one_overdue() is False
        with at(local(2026, 10, 14, 0, 1)):
            assert sweeps.mark_one_overdue() is True
        assert self.breaches(ticket) == [("rework", local(2026, 10, 14))]

    def test_it_marks_a_missed_two_hour_dispatch_across_midnight(self) -> None:
        with at(local(2026, 2, 16, 23, 30)):
            ticket = self.new_ticket()
        assert ticket.dispatch_due == local(2026, 2, 17, 1, 30)
        with at(local(2026, 2, 17, 1, 29)):
            assert sweeps.mark_one_overdue() is False
        with at(local(2026, 2, 17, 1, 31)):
            assert sweeps.mark_one_overdue() is True
        assert self.breaches(ticket) == [("dispatch", local(2026, 2, 17, 1, 30))]
