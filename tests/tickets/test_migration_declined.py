"""Migration 0005 rewrites contacts declined at intake the old way (accept, then decline by the same person within a
minute) into one `decline` event from no status without a dispatch clock, keeps a decline after acceptance as two
events, and re-seals the rewritten chains so `audit verify` still passes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Staff, Unit
from hotline.tickets import chain
from hotline.tickets.models import Event, Ticket
from hotline.vault.seal import event_mac, head_mac

BEFORE = [("tickets", "0004_audit_chain_head")]


def migrate(targets: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    """Move the database to `targets` (the latest migrations when None); returns the executor, its graph reloaded."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


def restore_latest() -> None:
    """Back to the latest migrations. Should the forward migration fail on the rows this test left, it runs again on
    an emptied database (the test's flush would empty it anyway), so later tests never meet a half-migrated one."""
    try:
        migrate()
    except DatabaseError:
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        migrate()


class TestDeclinedContactsMigration(TransactionTestCase):
    # The root conftest sets serialized_rollback, so the calendar the migrations seed is back after the flush.

    def setUp(self) -> None:
        super().setUp()
        self.addCleanup(restore_latest)  # left at the latest migration even when the test fails
        hotline = Unit.objects.create(code="hotline", name="市政务热线服务中心", kind=UnitKind.HOTLINE)
        self.operator = Staff.objects.create_user(username="operator", password="x", role=Role.OPERATOR,
                                                  unit=hotline)
        self.t = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)

    def declined(self, apps: Any, number: str, decline_after: dt.timedelta) -> int:
        """A ticket as intake wrote it before 0005: accept at t, decline `decline_after` later, chained and sealed."""
        Ticket = apps.get_model("tickets", "Ticket")
        Event = apps.get_model("tickets", "Event")
        Head = apps.get_model("tickets", "AuditChainHead")
        declined_at = self.t + decline_after
        ticket = Ticket.objects.create(
            number=number, channel="phone", request_type="help", title="骚扰电话", content="反复来电，无新情况",
            status="declined", version=1, created_by_id=self.operator.pk, created_at=self.t,
            dispatch_due=self.t + dt.timedelta(hours=2), decline_reason="9", explanation="骚扰电话，已告知",
            closed_at=declined_at)
        rows = [
            {"action": "accept", "from_status": "", "to_status": "pending_dispatch", "at": self.t,
             "article": "第十一条", "data": {"channel": "phone"}},
            {"action": "decline", "from_status": "pending_dispatch", "to_status": "declined", "at": declined_at,
             "reason": "骚扰电话，已告知", "article": "第十条第九项", "data": {"reason_code": "9"}},
        ]
        prev = ""
        for seq, fields in enumerate(rows, start=1):
            event = Event(ticket_id=ticket.pk, actor_id=self.operator.pk, actor_unit_id=self.operator.unit_id,
                          seq=seq, prev_hash=prev, **fields)
            event.hash = event_mac(event)
            event.save()
            prev = event.hash
        Head.objects.create(ticket_id=ticket.pk, seq=len(rows), hash=prev, mac=head_mac(ticket.pk, len(rows), prev))
        return ticket.pk

    def test_it_rewrites_declines_at_intake_into_one_event_and_reseals_the_chains(self):
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        at_intake = self.declined(old, "20260301000001", dt.timedelta(seconds=2))
        later = self.declined(old, "20260301000002", dt.timedelta(minutes=10))
        assert chain.verify().ok  # the old shape is sealed correctly before the rewrite

        migrate()

        rewritten = Ticket.objects.get(pk=at_intake)
        [event] = Event.objects.filter(ticket=rewritten)
        assert (event.action, event.from_status, event.to_status) == ("decline", "", "declined")
        assert (event.seq, event.prev_hash, event.at) == (1, "", self.t + dt.timedelta(seconds=2))
        assert event.data == {"reason_code": "9", "channel": "phone"}
        assert rewritten.dispatch_due is None
        assert rewritten.closed_at == self.t + dt.timedelta(seconds=2)

        kept = Ticket.objects.get(pk=later)
        events = list(Event.objects.filter(ticket=kept).order_by("seq"))
        assert [(e.seq, e.action, e.from_status) for e in events] == [
            (1, "accept", ""), (2, "decline", "pending_dispatch")]
        assert kept.dispatch_due == self.t + dt.timedelta(hours=2)

        report = chain.verify()
        assert report.ok, report.findings
        assert (report.chains, report.events) == (2, 3)
