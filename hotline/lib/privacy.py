"""Phone normalisation and masking of personal values (Art. 23; DESIGN §5). The keyed look-up hash of a phone
lives with the keys, in hotline.vault.keys.phone_lookup_hash."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
_SERVICE = re.compile(r"^(95|96|400|800)\d{4,8}$")


def normalise_phone(raw: str) -> str:
    """Digits only, without +86/0086; `139 8765 4321` and `+86-139-8765-4321` give the same value."""
    digits = re.sub(r"\D", "", raw or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            digits = digits[len(prefix):]
            break
    return digits


def is_valid_phone(raw: str) -> bool:
    """A mainland mobile (11 digits), a landline with area code, or a service number."""
    digits = normalise_phone(raw)
    return bool(_MOBILE.match(digits) or _LANDLINE.match(digits) or _SERVICE.match(digits))


def mask_phone(raw: str) -> str:
    """`139****4321`: the first three and last four digits."""
    digits = normalise_phone(raw)
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_name(raw: str) -> str:
    """`张**`: the family name only."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    return raw[0] + "*" * max(1, len(raw) - 1)


def mask_id_number(raw: str) -> str:
    """`430502********1234`."""
    raw = (raw or "").strip()
    if len(raw) <= 10:
        return "*" * len(raw)
    return raw[:6] + "*" * (len(raw) - 10) + raw[-4:]


def mask_address(raw: str) -> str:
    """Keep the first six characters (district, street), hide the rest."""
    raw = (raw or "").strip()
    if len(raw) <= 6:
        return raw[:2] + "*" * max(0, len(raw) - 2)
    return raw[:6] + "****"
