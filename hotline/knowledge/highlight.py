"""Highlighted matches: the query's words marked in a title or an answer snippet, HTML-escaped."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hotline.knowledge.search import STOPWORDS, char_grams, words

SNIPPET_CHARS = 90
_SINGLE_STOPWORDS = {w for w in STOPWORDS if len(w) == 1}


def terms(query: str) -> list[str]:
    """What to mark: the query's words of two characters or more and, since the engine also matches character
    pairs (路灯 in 路灯不亮 even when jieba cuts 路/灯不亮), its character pairs without a function character.
    Longest first, so 社保卡 wins over 社保."""
    found = {w for w in words(query) if len(w) >= 2 and w not in STOPWORDS}
    found |= {g for g in char_grams(query) if len(g) == 2 and not (set(g) & _SINGLE_STOPWORDS)}
    return sorted(found, key=lambda w: (-len(w), w))


def _pattern(found: list[str]) -> re.Pattern[str] | None:
    if not found:
        return None
    return re.compile("|".join(re.escape(t) for t in found), re.IGNORECASE)


def mark(text: str, found: list[str]) -> SafeString:
    """`text` escaped, with every occurrence of `found` wrapped in <mark>."""
    pattern = _pattern(found)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped just here
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def snippet(text: str, found: list[str], *, size: int = SNIPPET_CHARS) -> SafeString:
    """A window of `text` around its first match (or its start), highlighted, with … where cut."""
    text = " ".join((text or "").split())
    pattern = _pattern(found)
    match = pattern.search(text) if pattern else None
    start = max(0, (match.start() - size // 4) if match else 0)
    end = min(len(text), start + size)
    piece = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + mark(piece, found) + suffix)  # noqa: S308 - mark() escapes
