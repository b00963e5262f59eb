"""At start: refuse a key set that cannot read this database (hotline.vault.registry), with the reason."""

from __future__ import annotations

from django.db.models import CharField, F, Value
from django.db.models.functions import Greatest, StrIndex, Substr

from hotline.vault import registry
from hotline.vault.crypto import FORMAT, DecryptionError
from hotline.vault.fields import encrypted_models
from hotline.vault.keys import KeyConfigError, KeyRing, keyring
from hotline.vault.models import KeyRecord


def verify(ring: KeyRing | None = None) -> None:
    """Raise a clear KeyConfigError when the database needs keys this process does not have (called at start)."""
    ring = ring or keyring()
    if not KeyRecord.objects.exists():  # written before records were kept, or empty: record what is there
        _adopt_existing(ring)
    found = registry.problems(ring)
    if found:
        raise KeyConfigError("；".join(found))


def _key_id_column(column: str) -> Substr:
    """The key id of a stored `aesgcm1:<id>:<body>` value, in SQL ('' for an empty value)."""
    after_prefix = Substr(F(column), len(FORMAT) + 2, output_field=CharField())
    # A value with no second ":" (an empty string among them) has StrIndex 0: the length is kept at 0, not -1,
    # which PostgreSQL refuses ("negative substring length") where SQLite gives ''.
    length = Greatest(StrIndex(after_prefix, Value(":")) - 1, Value(0))
    return Substr(F(column), len(FORMAT) + 2, length, output_field=CharField())


def _adopt_existing(ring: KeyRing) -> None:
    """Record the key ids of values stored before records were kept, once each, after one value of each id
    decrypted under the loaded key (so a new key that took an old id is caught here too)."""
    for model, fields in encrypted_models():
        for f in fields:
            qs = model._base_manager.annotate(_kid=_key_id_column(f.attname)).exclude(_kid="")
            for key_id in sorted(set(qs.values_list("_kid", flat=True).distinct())):
                if key_id not in ring.keys:
                    raise registry.not_loaded(key_id, ring)
                if KeyRecord.objects.filter(key_id=key_id).exists():
                    continue
                sample = qs.filter(_kid=key_id).first()
                if sample is None:  # written in between and already rotated away
                    continue
                try:
                    f.plaintext(sample, f.raw(sample))
                except DecryptionError:
                    raise registry.reused(key_id) from None
                registry.record(key_id, registry.fingerprint(ring.keys[key_id]))  # every worker adopts at once
