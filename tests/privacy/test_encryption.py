"""Personal values are ciphertext in their column, bound to their row and column, and cannot be searched (Art. 23)."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.tickets.models import Requester
from hotline.vault.crypto import DecryptionError, key_id_of
from hotline.vault.fields import Ciphertext, EncryptedFieldLookupError, EncryptedFieldWriteError
from tests.base import HotlineTestCase
from tests.privacy.support import key_set, raw_column, set_raw_column

PERSON = {"name": "欧阳金丝雀", "phone": "15873920461", "id_number": "430502198807164219",
          "address": "双清区金丝雀巷17号402室", "ip": "203.0.113.77"}


def _requester(**overrides: str) -> Requester:
    return Requester.objects.create(**{**PERSON, **overrides})


class TestEncryptionAtRest(HotlineTestCase):
    def test_it_stores_every_personal_field_as_versioned_ciphertext_and_reads_it_back_in_clear(self):
        requester = _requester()
        fresh = Requester.objects.get(pk=requester.pk)
        for field, clear in PERSON.items():
            stored = raw_column("tickets_requester", field, requester.pk)
            assert stored.startswith("aesgcm1:") and clear not in stored, field
            assert getattr(fresh, field) == clear

    def test_it_encrypts_values_made_by_intake_through_the_workflow(self):
        ticket = self.new_ticket(requester={"name": "金丝雀甲", "phone": "158 7392 0461", "ip": "203.0.113.9"})
        stored = raw_column("tickets_requester", "phone", ticket.requester_id)
        assert "15873920461" not in stored
        requester = Requester.objects.get(pk=ticket.requester_id)
        assert (requester.phone, requester.ip) == ("15873920461", "203.0.113.9")

    def test_it_rejects_an_invalid_ip_address(self):
        from hotline.lib.errors import InvalidInput

        with pytest.raises(InvalidInput) as err:
            _requester(ip="not-an-ip")
        assert err.value.code == "invalid_ip"

    def test_it_gives_two_encryptions_of_the_same_value_different_ciphertexts(self):
        a, b = _requester(), _requester()
        assert raw_column("tickets_requester", "name", a.pk) != raw_column("tickets_requester", "name", b.pk)

    def test_it_keeps_empty_values_empty(self):
        requester = Requester.objects.create(name="金丝雀乙")
        assert raw_column("tickets_requester", "address", requester.pk) == ""
        assert Requester.objects.get(pk=requester.pk).address == ""

    def test_it_does_not_reencrypt_an_unchanged_value_on_save(self):
        requester = _requester()
        before = raw_column("tickets_requester", "phone", requester.pk)
        loaded = Requester.objects.get(pk=requester.pk)
        loaded.is_company = True
        loaded.save()
        assert raw_column("tickets_requester", "phone", requester.pk) == before


class TestRowAndColumnBinding(HotlineTestCase):
    def test_it_refuses_a_ciphertext_copied_to_another_row(self):
        victim, other = _requester(), _requester(name="金丝雀丙")
        set_raw_column("tickets_requester", "name", other.pk, raw_column("tickets_requester", "name", victim.pk))
        with pytest.raises(DecryptionError, match="tickets_requester.name"):
            _ = Requester.objects.get(pk=other.pk).name

    def test_it_refuses_a_ciphertext_copied_to_another_column_of_the_same_row(self):
        requester = _requester()
        set_raw_column("tickets_requester", "address", requester.pk,
                       raw_column("tickets_requester", "id_number", requester.pk))
        with pytest.raises(DecryptionError):
            _ = Requester.objects.get(pk=requester.pk).address

    def test_it_refuses_every_single_bit_flip_of_a_stored_value(self):
        requester = _requester(name="金")
        token = raw_column("tickets_requester", "name", requester.pk)
        prefix, body = token.rsplit(":", 1)
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        field = Requester._meta.get_field("name")
        rejected = 0
        for bit in range(len(raw) * 8):
            flipped = bytearray(raw)
            flipped[bit // 8] ^= 1 << (bit % 8)
            forged = Ciphertext(f"{prefix}:{base64.urlsafe_b64encode(bytes(flipped)).rstrip(b'=').decode()}")
            with pytest.raises(DecryptionError):
                field.plaintext(requester, forged)
            rejected += 1
        print(f"bit flips rejected: {rejected}/{len(raw) * 8}")
        assert rejected == len(raw) * 8 > 0

    def test_it_refuses_a_plaintext_value_planted_in_the_column(self):
        requester = _requester()
        set_raw_column("tickets_requester", "phone", requester.pk, "13800000000")
        with pytest.raises(DecryptionError, match="格式"):
            _ = Requester.objects.get(pk=requester.pk).phone

    def test_it_refuses_a_value_whose_key_is_no_longer_in_the_key_set(self):
        with key_set("k9"):
            requester = _requester()
            assert key_id_of(raw_column("tickets_requester", "name", requester.pk)) == "k9"
        with pytest.raises(DecryptionError, match="k9"):
            _ = Requester.objects.get(pk=requester.pk).name


class TestNoSearchOnCiphertext(HotlineTestCase):
    def test_it_raises_when_a_filter_on_an_encrypted_field_is_built(self):
        lookups = ("name", "name__icontains", "phone__startswith", "address__contains", "id_number__in",
                   "ip__iexact", "name__regex")
        with CaptureQueriesContext(connection) as queries:
            for lookup in lookups:
                value = ["x"] if lookup.endswith("__in") else "x"
                with pytest.raises(EncryptedFieldLookupError, match="加密字段"):
                    Requester.objects.filter(**{lookup: value})
        assert len(queries) == 0  # refused while building the query: no table scan was even attempted

    def test_it_raises_on_exclude_and_get_as_well(self):
        with pytest.raises(EncryptedFieldLookupError):
            Requester.objects.exclude(phone="15873920461")
        with pytest.raises(EncryptedFieldLookupError):
            Requester.objects.get(name="欧阳金丝雀")

    def test_it_refuses_plaintext_through_queryset_update(self):
        requester = _requester()
        with pytest.raises(EncryptedFieldWriteError):
            Requester.objects.filter(pk=requester.pk).update(name="明文")

    def test_it_hands_out_only_ciphertext_from_values_queries(self):
        requester = _requester()
        names = list(Requester.objects.filter(pk=requester.pk).values_list("name", flat=True))
        assert names[0].startswith("aesgcm1:") and "金丝雀" not in names[0]
