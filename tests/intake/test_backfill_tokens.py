"""`hotline routing tokens`: tickets taken before words were kept at intake get them, in batches, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hotline.intake.routing.features import tokens
from hotline.intake.routing.history import backfill_tokens, keep_tokens, ticket_tokens
from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase


class TestBackfillTokens(HotlineTestCase):
    def setUp(self):
        super().setUp()
        self.old = [self.new_ticket(content=f"第{i}栋楼下路灯不亮已经一周", title=f"路灯{i}",
                                    address="双清区龙须塘街道") for i in range(5)]

    def test_it_writes_the_words_intake_would_have_kept(self):
        assert all(t.tokens == "" for t in Ticket.objects.all())
        filled, last = backfill_tokens(batch=2)
        assert (filled, last) == (5, self.old[-1].pk)
        for ticket in Ticket.objects.filter(pk__in=[t.pk for t in self.old]):
            assert ticket.tokens and ticket.address_tokens
            assert {"tokens": ticket.tokens, "address_tokens": ticket.address_tokens} == ticket_tokens(ticket)
            assert ticket.address_tokens == tokens("双清区龙须塘街道")

    def test_it_reads_in_batches_and_leaves_kept_words_alone(self):
        kept = self.new_ticket(content="噪音扰民，晚上施工")
        keep_tokens(kept)
        Ticket.objects.filter(pk=kept.pk).update(tokens="已保存")  # a backfill must not read it again
        with self.assertNumQueries(3 * 2 + 1):  # per batch of 2: read, one bulk update in a savepoint pair
            filled, _ = backfill_tokens(batch=2)
        assert filled == 5
        assert Ticket.objects.get(pk=kept.pk).tokens == "已保存"

    def test_it_can_be_stopped_and_run_again(self):
        filled, last = backfill_tokens(batch=2, after=self.old[1].pk)
        assert filled == 3
        assert Ticket.objects.filter(tokens="").count() == 2
        assert backfill_tokens(batch=10) == (2, self.old[1].pk)
        assert backfill_tokens(batch=10) == (0, 0)

    def test_it_does_not_change_status_or_version(self):
        before = list(Ticket.objects.order_by("id").values_list("status", "version"))
        backfill_tokens(batch=3)
        assert list(Ticket.objects.order_by("id").values_list("status", "version")) == before

    def test_the_command_reports_how_many_it_filled(self):
        out = StringIO()
        call_command("routing", "tokens", "--batch", "2", stdout=out)
        assert "5 张工单" in out.getvalue()
        assert not Ticket.objects.filter(tokens="").exists()
        with pytest.raises(CommandError):
            call_command("routing", "tokens", "--batch", "0", stdout=StringIO())
