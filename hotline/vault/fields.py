"""A model field that keeps a personal value encrypted in its column and clear only on the attribute (Art. 23).

`requester.name` reads and writes plaintext; the column holds `aesgcm1:<key>:<...>` bound to `table.column:uid`.
Values loaded from the database stay sealed until an attribute is read, so lists that never touch a personal field
never decrypt it. Filtering on the field raises when the query is built: a substring or equality search would need
a full-table decrypt, which is exactly what must not happen (look-ups use the keyed phone hash instead).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Lookup
from django.db.models.query_utils import DeferredAttribute

from hotline.vault.crypto import binding, decrypt, encrypt
from hotline.vault.registry import record_current


class Ciphertext(str):
    """A value exactly as stored in the column (ciphertext, or '' for no value); never plaintext."""


class EncryptedFieldLookupError(FieldError):
    """A query filtered on an encrypted field; raised when the query is built, before any SQL runs."""


class EncryptedFieldWriteError(FieldError):
    """Plaintext reached an encrypted column without going through `save()` (e.g. `QuerySet.update(name=...)`)."""


class EncryptedAttribute(DeferredAttribute):
    """Decrypts on read, keeps plaintext on write until `save()` seals it."""

    field: EncryptedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        raw = super().__get__(instance, cls)
        return self.field.plaintext(instance, raw)

    def __set__(self, instance: Any, value: Any) -> None:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise TypeError(f"{self.field.attname} 须为字符串")
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Text encrypted with AES-GCM under the current key, bound to this table, column and the row's `bind_to` UUID."""

    descriptor_class = EncryptedAttribute

    def __init__(self, *args: Any, bind_to: str = "uid", **kwargs: Any) -> None:
        self.bind_to = bind_to
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.bind_to != "uid":
            kwargs["bind_to"] = self.bind_to
        return name, path, args, kwargs

    def aad(self, instance: models.Model) -> bytes:
        """`table.column:row-uid` for this instance; the row id must exist before the first save."""
        row_id = getattr(instance, self.bind_to)
        if not row_id:
            raise EncryptedFieldWriteError(f"{type(instance).__name__}.{self.bind_to} 为空，无法绑定密文")
        return binding(instance._meta.db_table, str(self.column), row_id)

    def plaintext(self, instance: models.Model, raw: str) -> str:
        """The clear value of what the instance holds: sealed values are decrypted, fresh ones returned as set."""
        if isinstance(raw, Ciphertext):
            return decrypt(raw, self.aad(instance)) if raw else ""
        return raw

    def raw(self, instance: models.Model) -> str:
        """What the instance holds without decrypting: a Ciphertext when loaded or saved, plaintext when just set."""
        return instance.__dict__.get(self.attname, "")

    def seal(self, instance: models.Model) -> Ciphertext:
        """Encrypt a freshly set value (a loaded one is kept as is) and remember the result on the instance."""
        raw = self.raw(instance)
        if isinstance(raw, Ciphertext):
            return raw
        if raw:
            record_current()  # the database learns the key id before it holds anything under it
        sealed = Ciphertext(encrypt(raw, self.aad(instance))) if raw else Ciphertext("")
        instance.__dict__[self.attname] = sealed
        return sealed

    def pre_save(self, model_instance: models.Model, add: bool) -> Ciphertext:
        return self.seal(model_instance)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Ciphertext | None:
        return None if value is None else Ciphertext(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Ciphertext) or value == "":
            return None if value is None else str(value)
        if hasattr(value, "resolve_expression"):
            return value
        raise EncryptedFieldWriteError(f"加密字段 {self.name} 只能通过 save() 写入，不能直接写入明文")


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every model with encrypted fields, and those fields."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


REFUSED_LOOKUPS = ("exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith",
                   "in", "gt", "gte", "lt", "lte", "range", "regex", "iregex")


class _RefusedLookup(Lookup):
    def __init__(self, lhs: Any, rhs: Any) -> None:
        field = getattr(lhs, "target", None) or getattr(lhs, "field", None)
        name = getattr(field, "name", "?")
        raise EncryptedFieldLookupError(
            f"不能按加密字段“{name}”查询（{self.lookup_name}）：这需要解密整张表。电话请用 phone_hash 检索。"
        )


for _name in REFUSED_LOOKUPS:
    EncryptedTextField.register_lookup(type(f"Refused_{_name}", (_RefusedLookup,), {"lookup_name": _name}))
