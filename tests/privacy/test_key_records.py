"""A database remembers the keys its ciphertext needs: a restore without the key file refuses to start instead of
silently writing under a second key of the same name (Art. 23)."""

from __future__ import annotations

import io
import os
import tempfile
from unittest import mock

import pytest
from django.core.management import call_command

from hotline.tickets.models import Requester
from hotline.vault import registry, startup
from hotline.vault.keys import KeyConfigError, generated_key_file, keyring, load_keyring, reset_keyring
from hotline.vault.models import KeyRecord
from tests.base import HotlineTestCase
from tests.privacy.support import key_set


def test_it_never_names_a_generated_key_k1_and_never_twice_the_same():
    ids = set()
    for _ in range(2):
        with tempfile.TemporaryDirectory() as data, mock.patch.dict(os.environ, {
                "HOTLINE_DATA_DIR": data, "HOTLINE_ENCRYPTION_KEYS": "", "HOTLINE_KEY_FILE": ""}):
            ring = load_keyring()
            assert generated_key_file().is_file()
            ids.add(ring.current_id)
    assert len(ids) == 2 and "k1" not in ids


class TestKeyRecords(HotlineTestCase):
    def setUp(self):
        registry.forget()
        self.person = Requester.objects.create(name="金丝雀", phone="15873920461")
        self.old_id = keyring().current_id

    def test_it_records_the_key_id_with_a_fingerprint_before_the_first_value_is_stored(self):
        row = KeyRecord.objects.get(key_id=self.old_id)
        assert row.fingerprint == registry.fingerprint(keyring().key(self.old_id))
        startup.verify()  # the loaded key set reads this database

    def test_it_refuses_to_start_when_the_database_holds_ciphertext_under_a_key_not_loaded(self):
        with key_set("k2", keep_old=False), pytest.raises(KeyConfigError, match=f"“{self.old_id}”.*没有该密钥"):
            startup.verify()

    def test_it_refuses_a_new_key_under_an_id_the_database_already_knows(self):
        with key_set(self.old_id, keep_old=False):  # a restore that generated a fresh key with the old name
            with pytest.raises(KeyConfigError, match="已属于另一把密钥"):
                startup.verify()
            with pytest.raises(KeyConfigError, match="已属于另一把密钥"):
                Requester.objects.create(name="新来电人", phone="13800000000")

    def test_it_adopts_values_stored_before_records_were_kept_and_catches_a_reused_id_there_too(self):
        KeyRecord.objects.all().delete()
        with key_set(self.old_id, keep_old=False), pytest.raises(KeyConfigError, match="已属于另一把密钥"):
            startup.verify()
        with key_set("k2", keep_old=False), pytest.raises(KeyConfigError, match="没有该密钥"):
            startup.verify()
        reset_keyring()
        startup.verify()
        assert list(KeyRecord.objects.values_list("key_id", flat=True)) == [self.old_id]

    def test_workers_starting_together_all_adopt_the_same_values(self):
        # A server's workers start at once on a database written before records were kept: another worker records
        # the id between this one's look and its write. That write failed on the unique id and the worker, and the
        # server with it, did not start.
        KeyRecord.objects.all().delete()
        real = registry.fingerprint

        def another_worker_records_it_first(key: bytes) -> str:
            KeyRecord.objects.get_or_create(key_id=self.old_id, defaults={"fingerprint": real(key)})
            return real(key)

        with mock.patch.object(registry, "fingerprint", side_effect=another_worker_records_it_first):
            startup.verify()
        assert list(KeyRecord.objects.values_list("key_id", flat=True)) == [self.old_id]

    def test_check_with_the_database_reports_it(self):
        with key_set("k2", keep_old=False):
            out = io.StringIO()
            with pytest.raises(Exception, match="privacy.E002"):
                call_command("check", databases=["default"], stdout=out, stderr=out)

    def test_the_database_check_passes_before_the_tables_exist_so_migrate_can_create_them(self):
        # `hotline migrate` on a new, empty database runs the database checks first; the check asked for the
        # key-record table and the first install of a deployment failed.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {KeyRecord._meta.db_table}")  # rolled back with the test's transaction
        call_command("check", databases=["default"], stdout=io.StringIO(), stderr=io.StringIO())
