"""Phone normalisation and masking of personal values (Art. 23; DESIGN §5). The keyed look-up hash of a phone
lives with the keys, in hotline.vault.keys.phone_lookup_hash."""

from __future__ import annotations

import re
import unicodedata

# ASCII digits only: `\d` alone would also take Arabic-Indic and other scripts' digits.
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_LANDLINE = re.compile(r"^0\d{9,11}$", re.ASCII)
_SERVICE = re.compile(r"^(95|96|400|800)\d{4,8}$", re.ASCII)
# What people put between digits when they write a number down; anything else is not part of a phone number.
_SEPARATORS = re.compile(r"[ \t\-.()+]")


def normalise_phone(raw: str) -> str:
    """Digits without separators or +86/0086: `139 8765 4321`, `+86-139-8765-4321` and full-width
    `１３９８７６５４３２１` (NFKC) give the same value. Any other character (a letter, a NUL) is kept, so
    `is_valid_phone` refuses it instead of the number being silently changed."""
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or ""))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            digits = digits[len(prefix):]
            break
    return digits


def is_valid_phone(raw: str) -> bool:
    """A mainland mobile (11 digits), a landline with area code, or a service number."""
    digits = normalise_phone(raw)
    return any(pattern.fullmatch(digits) for pattern in (_MOBILE, _LANDLINE, _SERVICE))


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
