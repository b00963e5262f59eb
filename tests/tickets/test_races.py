"""Concurrent writers on one ticket: exactly one wins, the rest are told someone else moved it (STYLE 2).

Real commits on separate connections, one per thread, lined up by a barrier so they hit the database together;
SQLite runs as a file in WAL mode with IMMEDIATE transactions, PostgreSQL under READ COMMITTED.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.test import TransactionTestCase

from hotline.lib.errors import ConcurrentChange, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import Assignment, Event, ReturnRequest, Ticket
from tests.base import PersonaMixin

THREADS = 6
LOSING = (ConcurrentChange, TransitionNotAllowed)


def race(work: Callable[[int], Any], threads: int = THREADS) -> list[Any]:
    """Run `work(i)` in `threads` threads released together; each result is a return value or the exception."""
    barrier = threading.Barrier(threads, timeout=30)
    results: list[Any] = [None] * threads

    def run(i: int) -> None:
        try:
            prepared = work(i)  # reads happen before the barrier, so every thread holds the same version
            barrier.wait()
            results[i] = prepared()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()  # each thread opened its own connection

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in pool), "a thread hung"
    return results


class RaceTestCase(PersonaMixin, TransactionTestCase):
    # Migrations seed the working-day calendar; restore it for each test instead of losing it to the flush.
    serialized_rollback = True

    def setUp(self) -> None:
        super().setUp()
        self.make_personas()

    def split(self, results: list[Any]) -> tuple[list[Any], list[Any]]:
        errors = [r for r in results if isinstance(r, Exception)]
        unexpected = [e for e in errors if not isinstance(e, LOSING)]
        assert unexpected == [], unexpected
        return [r for r in results if not isinstance(r, Exception)], errors


class TestSigningRace(RaceTestCase):
    def test_it_lets_exactly_one_of_six_signatures_through(self):
        ticket = self.dispatched_ticket()
        before = Event.objects.filter(ticket=ticket).count()
        staff = [self.unit_a_handler, self.unit_a_manager]

        def work(i: int) -> Callable[[], Any]:
            mine = Ticket.objects.get(pk=ticket.pk)
            return lambda: workflow.sign(mine, by=staff[i % 2])

        winners, losers = self.split(race(work))
        assert (len(winners), len(losers)) == (1, THREADS - 1)
        stored = Ticket.objects.get(pk=ticket.pk)
        assert (stored.status, stored.version) == (Status.IN_PROGRESS, ticket.version + 1)
        new = Event.objects.filter(ticket=ticket).order_by("id")[before:]
        assert [e.action for e in new] == [Action.SIGN]


class TestReturnRace(RaceTestCase):
    def test_it_records_exactly_one_of_six_return_requests(self):
        ticket = workflow.sign(self.dispatched_ticket(), by=self.unit_a_handler)
        before = Event.objects.filter(ticket=ticket).count()

        def work(i: int) -> Callable[[], Any]:
            mine = Ticket.objects.get(pk=ticket.pk)
            return lambda: workflow.request_return(mine, by=self.unit_a_handler, kind="desk", reason=f"理由{i}",
                                                   basis="三定方案", suggested_unit=self.unit_b)

        winners, losers = self.split(race(work))
        assert (len(winners), len(losers)) == (1, THREADS - 1)
        assert list(ReturnRequest.objects.values_list("pk", flat=True)) == [winners[0].pk]
        stored = Ticket.objects.get(pk=ticket.pk)
        assert (stored.status, stored.version) == (Status.RETURN_REQUESTED, ticket.version + 1)
        assert Event.objects.filter(ticket=ticket).count() == before + 1

    def test_it_lets_a_signature_and_a_return_race_with_one_winner(self):
        ticket = self.dispatched_ticket()

        def work(i: int) -> Callable[[], Any]:
            mine = Ticket.objects.get(pk=ticket.pk)
            if i % 2:
                return lambda: workflow.sign(mine, by=self.unit_a_handler)
            return lambda: workflow.request_return(mine, by=self.unit_a_manager, kind="desk", reason="非本单位",
                                                   basis="三定方案")

        winners, _losers = self.split(race(work))
        assert len(winners) == 1
        assert Event.objects.filter(ticket=ticket).count() == 3  # accept, dispatch and the winner's
        assert ReturnRequest.objects.count() == (1 if Ticket.objects.get(pk=ticket.pk).status ==
                                                 Status.RETURN_REQUESTED else 0)


class TestDispatchRace(RaceTestCase):
    def test_it_lets_one_of_two_dispatchers_assign_the_ticket(self):
        ticket = self.new_ticket()
        plans = [(self.dispatcher, self.unit_a, [self.unit_c]), (self.manager, self.unit_b, [])]

        def work(i: int) -> Callable[[], Any]:
            mine = Ticket.objects.get(pk=ticket.pk)
            by, lead, assisting = plans[i]
            return lambda: workflow.dispatch(mine, by=by, lead_unit=lead, assisting_units=assisting)

        winners, losers = self.split(race(work, threads=2))
        assert (len(winners), len(losers)) == (1, 1)
        stored = Ticket.objects.get(pk=ticket.pk)
        lead = stored.lead_unit
        expected = {(lead.code, "lead")} | ({(self.unit_c.code, "assist")} if lead == self.unit_a else set())
        assert set(Assignment.objects.filter(ticket=ticket).values_list("unit__code", "role")) == expected
        assert Event.objects.filter(ticket=ticket, action=Action.DISPATCH).count() == 1


class TestNumberingRace(RaceTestCase):
    def test_it_gives_six_simultaneous_intakes_distinct_consecutive_numbers(self):
        def work(i: int) -> Callable[[], Any]:
            return lambda: self.new_ticket(content=f"并发受理{i}")

        winners, losers = self.split(race(work))
        assert losers == []
        numbers = sorted(t.number for t in winners)
        assert len(set(numbers)) == THREADS
        assert [int(n[-6:]) for n in numbers] == list(range(1, THREADS + 1))
        assert len({n[:8] for n in numbers}) == 1
        assert Event.objects.filter(action=Action.ACCEPT).count() == THREADS
