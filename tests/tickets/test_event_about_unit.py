"""Every event records the unit it is about when it is written (`Event.about_unit`), with the rule the statistics
looked up per event until then (`reports.facts.expressions.unit_of`): the acting unit for a unit's own action,
otherwise the lead unit at that moment (an approved return's review still the returning unit's, a re-dispatch the
new unit's), a merged requester's call the original's. Migration 0018 fills events written before it the same way,
and the column is outside the seal."""

from __future__ import annotations

import importlib

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hotline.reports.facts.expressions import unit_of
from hotline.tickets import chain, sweeps, workflow
from hotline.tickets.models import Event, Ticket
from hotline.vault import triggers
from tests.tickets.support import MINUTE, MONDAY, WorkflowTestCase

fill = importlib.import_module("hotline.tickets.migrations.0018_event_about_unit").fill


class TestEventAboutUnit(WorkflowTestCase):
    def step(self) -> None:
        """One minute on: each step of the story at its own moment."""
        self.move_to(timezone.now() + MINUTE)

    def reply(self, ticket: Ticket, by) -> None:
        workflow.reply(ticket, by=by, handler_name="李工", handled_at=timezone.now(), process="现场处理",
                       result="已处理", contact_note="电话告知服务对象", contacted=True)
        self.step()
        workflow.review_reply(ticket, by=self.reviewer, approve=True)

    def build_story(self) -> tuple[Ticket, Ticket, Ticket]:
        """T: returned by A (approved), dispatched to B, signed, replied, reworked after an at-fault call, replied
        again, called; R: dispatched to A, deemed signed, re-dispatched to B by coordination; M: merged into T,
        its requester called once T is resolved."""
        self.move_to(MONDAY)
        t = self.new_ticket()
        m = self.new_ticket(requester={"name": "王五", "phone": "13700001111"})
        r = self.new_ticket(requester={"name": "赵六", "phone": "13700002222"})
        self.step()
        workflow.merge(m, by=self.operator, into=t)
        workflow.dispatch(t, by=self.dispatcher, lead_unit=self.unit_a)
        workflow.dispatch(r, by=self.dispatcher, lead_unit=self.unit_a)
        self.step()
        workflow.request_return(t, by=self.unit_a_handler, kind="desk", reason="不属于本单位职责", basis="三定方案")
        self.step()
        workflow.review_return(t, by=self.reviewer, approve=True)
        self.step()
        workflow.dispatch(t, by=self.dispatcher, lead_unit=self.unit_b)
        self.step()
        workflow.sign(t, by=self.unit_b_handler)
        self.step()
        self.reply(t, self.unit_b_handler)
        self.step()
        workflow.follow_up(t, by=self.followup, reached=True, satisfaction="1", solved=False, unit_contacted=True,
                           unit_contact_method="phone", fault="unit", note="未解决")
        self.step()
        self.reply(t, self.unit_b_handler)
        self.step()
        workflow.follow_up(t, by=self.followup, reached=True, satisfaction="5", solved=True, unit_contacted=True,
                           unit_contact_method="phone")
        self.step()
        workflow.follow_up(m, by=self.followup, reached=True, satisfaction="4", solved=True, unit_contacted=True,
                           unit_contact_method="phone")
        self.move_to(Ticket.objects.get(pk=r.pk).sign_due + MINUTE)
        assert sweeps.deem_one_signed()
        self.step()
        workflow.redispatch(Ticket.objects.get(pk=r.pk), by=self.supervisor, lead_unit=self.unit_b,
                            basis="协调会确定由住建局办理")
        self.step()
        workflow.sign(Ticket.objects.get(pk=r.pk), by=self.unit_b_handler)
        return t, r, m

    def stored(self, *tickets: Ticket) -> list[tuple[str, str, int | None]]:
        events = Event.objects.filter(ticket__in=tickets).order_by("id")
        return [(e.ticket.number, e.action, e.about_unit_id) for e in events.select_related("ticket")]

    def test_it_stores_what_the_look_up_per_event_finds_for_every_event_of_a_whole_history(self):
        self.build_story()
        rows = Event.objects.annotate(looked_up=unit_of()).values_list("action", "about_unit_id", "looked_up")
        assert len(rows) == 21  # 13 of T, 5 of R, 3 of M
        assert [(action, stored) for action, stored, _ in rows] == [(action, found) for action, _, found in rows]

    def test_it_names_the_unit_each_step_was_about(self):
        t, r, m = self.build_story()
        a, b = self.unit_a.pk, self.unit_b.pk
        about = [(action, unit) for _, action, unit in self.stored(t)]
        assert about == [
            ("accept", None), ("dispatch", a), ("request_return", a),
            ("review_return", a),  # the approved return's review is still the returning unit's
            ("dispatch", b), ("sign", b), ("reply", b), ("review_reply", b), ("follow_up", b), ("rework", b),
            ("reply", b), ("review_reply", b), ("follow_up", b),
        ]
        assert [(action, unit) for _, action, unit in self.stored(r)] == [
            ("accept", None), ("dispatch", a), ("deem_signed", a), ("redispatch", b), ("sign", b)]
        # The merged requester's own call is about the original's lead unit then.
        assert [(action, unit) for _, action, unit in self.stored(m)] == [
            ("accept", None), ("merge", None), ("follow_up", b)]

    def test_the_column_is_outside_the_seal_so_every_chain_still_verifies(self):
        self.build_story()
        assert chain.verify().ok

    def test_the_migration_fills_events_written_before_it_as_they_are_written_now(self):
        self.build_story()
        written = self.stored(*Ticket.objects.all())
        if connection.vendor == "postgresql":
            # The story's rows are still in this test's transaction with their deferred checks queued, which
            # ALTER TABLE refuses to run over; a migration starts with none.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with triggers.rewriting(connection), connection.cursor() as cursor:
            cursor.execute("UPDATE tickets_event SET about_unit_id = NULL")
        assert {unit for _, _, unit in self.stored(*Ticket.objects.all())} == {None}
        assert fill(connection) == len(written)
        assert self.stored(*Ticket.objects.all()) == written
        # The append-only guard is armed again after the fill.
        assert triggers.missing(connection) == set()
        with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE tickets_event SET about_unit_id = NULL")
