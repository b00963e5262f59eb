"""`hotline keys rotate`: every value re-encrypted under the current key, in batches, resumable after a stop."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from hotline.tickets.models import Requester
from hotline.vault import rotation
from hotline.vault.crypto import key_id_of
from hotline.vault.keys import keyring
from tests.base import HotlineTestCase
from tests.privacy.support import key_set, raw_column


class Interrupted(Exception):
    pass


class TestKeyRotation(HotlineTestCase):
    def setUp(self):
        self.people = [Requester.objects.create(name=f"金丝雀{i}", phone=f"1587392{i:04d}", address="双清区")
                       for i in range(5)]

    def _key_ids(self) -> set[str]:
        return {key_id_of(raw_column("tickets_requester", f, p.pk)) for p in self.people for f in ("name", "phone")}

    def test_it_reencrypts_every_value_under_the_new_key_and_still_reads_them(self):
        assert self._key_ids() == {keyring().current_id}
        with key_set("k2"):
            stats = rotation.rotate(batch_size=2)
            assert self._key_ids() == {"k2"}
            assert [Requester.objects.get(pk=p.pk).name for p in self.people] == [f"金丝雀{i}" for i in range(5)]
        assert stats.reencrypted == 15 and stats.already_current == 0 and stats.batches == 3

    def test_it_resumes_an_interrupted_run_skipping_values_already_done(self):
        def stop_after_first_batch(stats: rotation.RotationStats) -> None:
            raise Interrupted

        with key_set("k2"):
            with pytest.raises(Interrupted):
                rotation.rotate(batch_size=2, on_batch=stop_after_first_batch)
            assert len([p for p in self.people if key_id_of(raw_column("tickets_requester", "name", p.pk)) == "k2"]) \
                == 2
            second = rotation.rotate(batch_size=2)
            assert self._key_ids() == {"k2"}
        assert (second.reencrypted, second.already_current) == (9, 6)

    def test_it_reports_counts_from_the_command(self):
        with key_set("k2"):
            out = io.StringIO()
            call_command("keys", "rotate", "--batch-size", "2", stdout=out)
            status = io.StringIO()
            call_command("keys", "status", stdout=status)
        assert "重新加密15个值" in out.getvalue()
        assert "tickets.Requester.name: k2=5" in status.getvalue()
