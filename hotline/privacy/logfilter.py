"""Escaping of citizen and attacker text written to logs, so nobody can forge a log line (GB/T 22239 level 3)."""

from __future__ import annotations

import logging
import re

# C0 and C1 controls (newline, carriage return, escape sequences) and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_log_text(text: object) -> str:
    """`text` on one line: control characters become visible escapes such as `\\n` and `\\x1b`."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), str(text))


class EscapeControlCharsFilter(logging.Filter):
    """A handler filter that renders the message and escapes it; tracebacks stay multi-line (they are formatted
    from `exc_info` by the formatter, not from the message)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: keep the record, logging will report it
            return True
        record.msg = escape_log_text(message)
        record.args = None
        return True
