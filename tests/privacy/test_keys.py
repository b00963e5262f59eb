"""Where keys come from, and the keyed phone look-up that survives encryption-key rotation (Art. 23)."""

from __future__ import annotations

import os
import stat
from unittest import mock

import pytest
from django.core.management import call_command

from hotline.lib.privacy import normalise_phone
from hotline.tickets.models import Requester
from hotline.vault.keys import KeyConfigError, load_keyring, new_key_line, phone_lookup_hash
from tests.base import HotlineTestCase
from tests.privacy.support import key_set

LOOKUP = new_key_line("lookup").split(":", 1)[1]


def _env(**values: str):
    clean = {"HOTLINE_ENCRYPTION_KEYS": "", "HOTLINE_KEY_FILE": "", "HOTLINE_LOOKUP_KEY": ""}
    return mock.patch.dict(os.environ, {**clean, **values})


def test_it_reads_an_ordered_key_set_from_the_environment_with_the_first_key_current():
    with _env(HOTLINE_ENCRYPTION_KEYS=f"{new_key_line('k2')},{new_key_line('k1')}", HOTLINE_LOOKUP_KEY=LOOKUP):
        ring = load_keyring()
    assert (ring.current_id, list(ring.keys), ring.generated) == ("k2", ["k2", "k1"], False)


def test_it_refuses_a_key_set_without_the_lookup_secret():
    with _env(HOTLINE_ENCRYPTION_KEYS=new_key_line("k1")), pytest.raises(KeyConfigError, match="HOTLINE_LOOKUP_KEY"):
        load_keyring()


def test_it_refuses_a_short_key_and_a_duplicate_id():
    with _env(HOTLINE_ENCRYPTION_KEYS="k1:c2hvcnQ=", HOTLINE_LOOKUP_KEY=LOOKUP), pytest.raises(KeyConfigError):
        load_keyring()
    line = new_key_line("k1")
    with _env(HOTLINE_ENCRYPTION_KEYS=f"{line},{line}", HOTLINE_LOOKUP_KEY=LOOKUP), \
            pytest.raises(KeyConfigError, match="重复"):
        load_keyring()


def test_it_reads_a_key_file_with_comments_and_the_lookup_line(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text(f"# current first\n{new_key_line('k3')}\n\nlookup:{LOOKUP}\n", encoding="utf-8")
    with _env(HOTLINE_KEY_FILE=str(path)):
        ring = load_keyring()
    assert (ring.current_id, ring.source) == ("k3", str(path))


def test_it_generates_a_development_key_file_readable_only_by_its_owner(tmp_path):
    with _env(HOTLINE_DATA_DIR=str(tmp_path)):
        first = load_keyring()
        second = load_keyring()
    mode = stat.S_IMODE((tmp_path / "encryption-keys.txt").stat().st_mode)
    assert mode == 0o600
    assert first.generated and first.keys == second.keys  # generated once, then reused


def test_it_prints_a_new_key_line_for_the_key_set(capsys):
    call_command("keys", "generate", "--id", "k7")
    key_id, value = capsys.readouterr().out.strip().split(":")
    assert key_id == "k7" and len(value) == 44


class TestPhoneLookup(HotlineTestCase):
    def test_it_hashes_139_8765_4321_and_13987654321_alike(self):
        assert normalise_phone("139 8765 4321") == "13987654321"
        assert phone_lookup_hash("139 8765 4321") == phone_lookup_hash("13987654321") == \
            phone_lookup_hash("+86-139-8765-4321")
        assert phone_lookup_hash("13987654322") != phone_lookup_hash("13987654321")

    def test_it_finds_a_requester_s_earlier_tickets_by_a_differently_written_number(self):
        earlier = self.new_ticket(requester={"name": "张三", "phone": "13987654321"})
        found = Requester.matching_phone("139 8765 4321")
        assert list(found.values_list("tickets__number", flat=True)) == [earlier.number]

    def test_it_keeps_the_lookup_hash_across_an_encryption_key_rotation(self):
        before = phone_lookup_hash("13987654321")
        with key_set("k2") as ring:
            assert ring.current_id == "k2"
            assert phone_lookup_hash("13987654321") == before

    def test_it_keys_the_lookup_hash_so_a_bare_sha256_of_the_number_does_not_match(self):
        import hashlib

        assert phone_lookup_hash("13987654321") != hashlib.sha256(b"13987654321").hexdigest()


def test_it_warns_check_deploy_about_the_generated_development_key_file(tmp_path):
    from hotline.vault.checks import key_set_not_generated
    from hotline.vault.keys import reset_keyring

    try:
        with _env(HOTLINE_DATA_DIR=str(tmp_path)):
            reset_keyring()
            assert [m.id for m in key_set_not_generated()] == ["privacy.W001"]
        with _env(HOTLINE_ENCRYPTION_KEYS=new_key_line("k1"), HOTLINE_LOOKUP_KEY=LOOKUP):
            reset_keyring()
            assert key_set_not_generated() == []
    finally:
        reset_keyring()
