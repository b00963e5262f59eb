"""Citizen and attacker text cannot forge a log line: control characters are escaped (GB/T 22239 level 3)."""

from __future__ import annotations

import io
import logging

from hotline.privacy import security
from hotline.privacy.logfilter import EscapeControlCharsFilter, escape_log_text
from tests.base import HotlineTestCase


def _handler() -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(EscapeControlCharsFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    return handler, stream


def test_it_escapes_newlines_carriage_returns_escape_sequences_and_unicode_separators():
    assert escape_log_text("a\nINFO forged\r\x1b[31m\u2028b") == "a\\nINFO forged\\r\\u001b[31m\\u2028b"


def test_it_keeps_a_forged_line_inside_the_one_real_line():
    handler, stream = _handler()
    logger = logging.getLogger("tests.privacy.forge")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("诉求内容: %s", "路灯不亮\nINFO admin 登录成功")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().count("\n") == 1
    assert "路灯不亮\\nINFO admin" in stream.getvalue()


def test_it_leaves_tracebacks_multi_line():
    handler, stream = _handler()
    logger = logging.getLogger("tests.privacy.trace")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("坏值")
        except ValueError:
            logger.exception("失败")
    finally:
        logger.removeHandler(handler)
    assert "Traceback" in stream.getvalue() and stream.getvalue().count("\n") > 2


class TestSecurityEventLogging(HotlineTestCase):
    def test_it_writes_an_attacker_typed_username_to_the_log_on_one_line(self):
        with self.assertLogs("hotline.security", level="INFO") as logs:
            security.record("login_failed", username="x\nINFO security kind=login_succeeded user=admin", ip="10.0.0.1")
        assert len(logs.output) == 1 and "\n" not in logs.output[0]
