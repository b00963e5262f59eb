"""Re-encrypting every personal value under the current key, in batches, resumable (key rotation).

A run can stop at any point: each batch commits on its own, and a value already under the current key is skipped,
so running again simply finishes the rest. Rows are locked per batch so a concurrent save is not overwritten.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction

from hotline.vault.crypto import encrypt, key_id_of
from hotline.vault.fields import Ciphertext, EncryptedTextField, encrypted_models
from hotline.vault.keys import keyring
from hotline.vault.registry import record_current


@dataclass
class RotationStats:
    """Counts of one rotation run."""

    rows: int = 0
    reencrypted: int = 0
    already_current: int = 0
    empty: int = 0
    batches: int = 0


def _rotate_row(obj: models.Model, fields: list[EncryptedTextField], current: str, stats: RotationStats) -> None:
    changes: dict[str, Ciphertext] = {}
    for f in fields:
        raw = f.raw(obj)
        if not raw:
            stats.empty += 1
        elif key_id_of(raw) == current:
            stats.already_current += 1
        else:
            changes[f.attname] = Ciphertext(encrypt(f.plaintext(obj, raw), f.aad(obj)))
            stats.reencrypted += 1
    if changes:
        type(obj)._base_manager.filter(pk=obj.pk).update(**changes)


def rotate(batch_size: int = 500, on_batch: Callable[[RotationStats], None] | None = None) -> RotationStats:
    """Re-encrypt every value not under the current key; `on_batch` is called after each committed batch."""
    current = keyring().current_id
    record_current()
    stats = RotationStats()
    for model, fields in encrypted_models():
        names = sorted({"pk", *(f.bind_to for f in fields), *(f.attname for f in fields)})
        last_pk = None
        while True:
            with transaction.atomic():
                qs = model._base_manager.select_for_update().only(*names).order_by("pk")
                if last_pk is not None:
                    qs = qs.filter(pk__gt=last_pk)
                rows = list(qs[:batch_size])
                for obj in rows:
                    _rotate_row(obj, fields, current, stats)
            if not rows:
                break
            stats.rows += len(rows)
            stats.batches += 1
            last_pk = rows[-1].pk
            if on_batch is not None:
                on_batch(stats)
    return stats


def key_usage() -> dict[str, Counter[str]]:
    """For each `model.field`, how many values each key id protects (reads ciphertext only, decrypts nothing)."""
    usage: dict[str, Counter[str]] = {}
    for model, fields in encrypted_models():
        for f in fields:
            counter: Counter[str] = Counter()
            for raw in model._base_manager.values_list(f.attname, flat=True).iterator(chunk_size=2000):
                counter[key_id_of(raw) if raw else "(空)"] += 1
            usage[f"{model._meta.label}.{f.name}"] = counter
    return usage
