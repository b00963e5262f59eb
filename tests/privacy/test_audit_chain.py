"""The event table is append-only on both databases and hash-chained per ticket; `audit verify` finds tampering."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hotline.tickets import chain as audit
from hotline.tickets import workflow
from hotline.tickets.models import AuditChainHead, Event
from hotline.vault import triggers
from tests.base import HotlineTestCase
from tests.privacy.support import set_raw_column, triggers_dropped


class TestAppendOnly(HotlineTestCase):
    def test_it_has_the_triggers_installed_by_the_migration(self):
        assert triggers.missing(connection) == set()

    def test_it_refuses_update_of_an_event_in_the_database(self):
        event = self.new_ticket().events.get()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Event.objects.filter(pk=event.pk).update(reason="改写历史")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE tickets_event SET actor_id = NULL WHERE id = %s", [event.pk])

    def test_it_refuses_delete_of_an_event_in_the_database(self):
        event = self.new_ticket().events.get()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Event.objects.filter(pk=event.pk).delete()
        assert Event.objects.filter(pk=event.pk).exists()

    def test_it_refuses_saving_a_loaded_event_again(self):
        event = self.new_ticket().events.get()
        event.reason = "改写"
        with pytest.raises(TypeError, match="只能追加"):
            event.save()


class TestHashChain(HotlineTestCase):
    def setUp(self):
        self.ticket = self.resolved_ticket()  # accept, dispatch, sign, reply, review_reply: five events
        self.events = list(self.ticket.events.order_by("seq"))

    def test_it_links_each_event_to_the_previous_one_of_the_same_ticket(self):
        other = self.new_ticket()
        assert [e.seq for e in self.events] == [1, 2, 3, 4, 5]
        assert self.events[0].prev_hash == ""
        assert all(b.prev_hash == a.hash for a, b in zip(self.events, self.events[1:], strict=False))
        assert other.events.get().seq == 1  # chains are per ticket
        assert AuditChainHead.objects.get(pk=self.ticket.pk).hash == self.events[-1].hash

    def test_it_chains_sweep_alerts_too(self):
        workflow.record_alert(self.ticket, clock="handling", kind="warning", due=timezone.now(), now=timezone.now())
        last = self.ticket.events.order_by("-seq").first()
        assert (last.seq, last.prev_hash) == (6, self.events[-1].hash)
        assert audit.verify().ok

    def test_it_verifies_untouched_chains_as_intact(self):
        report = audit.verify()
        assert report.ok and report.events >= 5
        out = io.StringIO()
        call_command("audit", "verify", stdout=out)
        assert "发现 0 处问题" in out.getvalue()

    def test_it_reports_a_changed_event(self):
        with triggers_dropped():
            set_raw_column("tickets_event", "reason", self.events[2].pk, "其实没签收")
        report = audit.verify()
        assert [(f.kind, f.event_id) for f in report.findings] == [("changed", self.events[2].pk)]
        with pytest.raises(CommandError, match="发现 1 处问题"):
            call_command("audit", "verify", stdout=io.StringIO())

    def test_it_reports_an_event_deleted_from_the_middle(self):
        with triggers_dropped(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM tickets_event WHERE id = %s", [self.events[1].pk])
        kinds = [(f.kind, f.event_id) for f in audit.verify().findings]
        assert kinds == [("deleted", self.events[2].pk)]

    def test_it_reports_the_last_event_deleted(self):
        with triggers_dropped(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM tickets_event WHERE id = %s", [self.events[-1].pk])
        findings = audit.verify().findings
        assert [(f.kind, f.ticket_id) for f in findings] == [("deleted", self.ticket.pk)]
        assert "链尾缺失1条" in findings[0].detail

    def test_it_reports_an_inserted_event_even_with_a_plausible_link(self):
        last = self.events[-1]
        with connection.cursor() as cursor:  # INSERT is allowed; forging the MAC needs the key
            cursor.execute(
                "INSERT INTO tickets_event (ticket_id, action, from_status, to_status, at, reason, article, data, "
                "seq, prev_hash, hash) VALUES (%s, 'follow_up', 'resolved', 'closed', %s, '', '', '{}', %s, %s, %s)",
                [self.ticket.pk, timezone.now(), last.seq + 1, last.hash, "0" * 64])
        findings = audit.verify().findings
        assert [f.kind for f in findings] == ["inserted"]

    def test_it_reports_a_missing_trigger(self):
        with triggers_dropped():
            kinds = {f.kind for f in audit.verify().findings}
        assert kinds == {"trigger"}


class TestTriggerSafeguard(HotlineTestCase):
    def test_it_puts_back_triggers_that_a_table_rebuild_dropped(self):
        with connection.cursor() as cursor:
            for sql in {"sqlite": triggers.SQLITE_REVERSE, "postgresql": triggers.POSTGRES_REVERSE[:1]}[
                    connection.vendor]:
                cursor.execute(sql)
        assert triggers.missing(connection)
        triggers.ensure(connection)  # what the post_migrate receiver runs after every migrate
        assert triggers.missing(connection) == set()
        event = self.new_ticket().events.get()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Event.objects.filter(pk=event.pk).delete()
