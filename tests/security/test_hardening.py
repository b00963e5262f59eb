"""Hardening: idle and absolute session time-outs, the content security policy and what every template may
contain under it, security headers, and `check --deploy` clean with production settings (GB/T 22239 level 3)."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import time_machine
from django.conf import settings

from hotline.privacy.csp import ALLOWED_STYLE_ATTRIBUTES
from hotline.privacy.models import SecurityEvent, SecurityKind
from tests.base import HotlineTestCase, local

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("hotline/**/templates/**/*.html"))


class TestSessionTimeouts(HotlineTestCase):
    def visit(self) -> int:
        return self.client.get("/tickets/").status_code

    def test_it_ends_a_session_idle_for_30_minutes(self) -> None:
        with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False) as clock:
            self.client.force_login(self.operator)
            assert self.visit() == 200
            clock.shift(dt.timedelta(minutes=29))
            assert self.visit() == 200, "29 idle minutes are still within the limit"
            clock.shift(dt.timedelta(minutes=30))
            assert self.visit() == 302, "30 idle minutes end the session: back to the login page"
            assert self.visit() == 302
        event = SecurityEvent.objects.get(kind=SecurityKind.SESSION_EXPIRED)
        assert (event.staff, event.detail) == (self.operator, "会话空闲超时")

    def test_it_ends_a_busy_session_8_hours_after_login(self) -> None:
        with time_machine.travel(local(2026, 3, 2, 8, 0), tick=False) as clock:
            self.client.force_login(self.operator)
            for _ in range(7 * 60 // 20 + 2):  # a request every 20 minutes until 7h40m
                assert self.visit() == 200
                clock.shift(dt.timedelta(minutes=20))
            clock.move_to(local(2026, 3, 2, 16, 0))
            assert self.visit() == 302
        assert SecurityEvent.objects.get(kind=SecurityKind.SESSION_EXPIRED).detail == "会话超过最长时限"


class TestHeaders(HotlineTestCase):
    def test_it_sends_a_policy_without_inline_scripts_and_the_security_headers(self) -> None:
        self.client.force_login(self.operator)
        response = self.client.get("/tickets/")
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'"
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def source(path: Path) -> str:
    """A template's text without its Django comments (which never reach the browser)."""
    return COMMENT.sub("", path.read_text(encoding="utf-8"))


SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


def test_it_finds_templates_to_check() -> None:
    assert len(TEMPLATES) > 30


def test_it_has_no_template_with_an_inline_script_or_event_handler() -> None:
    found = []
    for path in TEMPLATES:
        text = source(path)
        for attrs in SCRIPT.findall(text):
            if "src=" not in attrs and "application/json" not in attrs:
                found.append(f"{path.relative_to(ROOT)}: inline <script{attrs}>")
        found += [f"{path.relative_to(ROOT)}: handler {m.group(0).strip()}" for m in HANDLER.finditer(text)]
    assert found == []


def test_it_has_no_style_attribute_the_policy_would_block() -> None:
    blocked = [f"{path.relative_to(ROOT)}: style=\"{m.group(2)}\"" for path in TEMPLATES
               for m in STYLE_ATTR.finditer(source(path))
               if m.group(2) not in ALLOWED_STYLE_ATTRIBUTES]
    assert blocked == []


def test_it_has_no_inline_style_element() -> None:
    assert [p for p in TEMPLATES if "<style" in source(p).lower()] == []


def test_it_passes_check_deploy_with_production_settings(tmp_path: Path) -> None:
    key = "k1:" + base64.b64encode(secrets.token_bytes(32)).decode()
    env = {**os.environ, "HOTLINE_DATA_DIR": str(tmp_path), "HOTLINE_SECRET_KEY": secrets.token_urlsafe(50),
           "HOTLINE_HTTPS": "1", "HOTLINE_ENCRYPTION_KEYS": key,
           "HOTLINE_LOOKUP_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
           "HOTLINE_ALLOWED_HOSTS": "hotline.example.gov.cn", "DJANGO_SETTINGS_MODULE": "hotline.settings"}
    env.pop("HOTLINE_DEBUG", None)
    # Set for the browser tests' session (Playwright's event loop); a production process never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_check_deploy_with_the_development_key(tmp_path: Path) -> None:
    # The check must be able to fail: without HOTLINE_SECRET_KEY and HTTPS it is not a production configuration.
    env = {**os.environ, "HOTLINE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "hotline.settings"}
    for name in ("HOTLINE_SECRET_KEY", "HOTLINE_HTTPS"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


def test_it_reads_the_time_outs_from_settings() -> None:
    assert (settings.HOTLINE_SESSION_IDLE_SECONDS, settings.HOTLINE_SESSION_ABSOLUTE_SECONDS) == (1800, 28800)
