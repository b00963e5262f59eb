"""The production settings keep their promises (the suite itself swaps in a fast password hasher)."""

import importlib
import os
import re
import subprocess
import sys

import hotline.settings


def test_it_hashes_passwords_with_argon2_in_production():
    module = importlib.reload(hotline.settings)
    assert module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_serves_the_api_docs_from_local_assets():
    assert "ninja" in hotline.settings.INSTALLED_APPS


def test_every_log_line_starts_with_its_moment_and_offset():
    code = "import django, logging; django.setup(); logging.getLogger('hotline.x').warning('工单 1 已保存')"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hotline.settings"}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    line = run.stderr.strip().splitlines()[-1]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} WARNING hotline\.x \[\d+\] 工单 1 已保存$", line), line


def test_postgres_connections_carry_the_planner_settings(monkeypatch):
    # At the default random_page_cost of 4 a unit's queue tab hashed its whole assignment history instead of probing
    # the index for the few open tickets (55 ms against 1 ms at a million tickets).
    monkeypatch.setenv("DATABASE_URL", "postgres://hotline@db.example:5432/hotline")
    monkeypatch.delenv("HOTLINE_PG_SETTINGS", raising=False)
    try:
        module = importlib.reload(hotline.settings)
        assert module.DATABASES["default"]["OPTIONS"]["options"] == \
            "-c random_page_cost=1.1 -c jit=off -c parallel_setup_cost=10000"
        monkeypatch.setenv("HOTLINE_PG_SETTINGS", "none")
        assert "options" not in importlib.reload(hotline.settings).DATABASES["default"].get("OPTIONS", {})
    finally:
        monkeypatch.undo()
        importlib.reload(hotline.settings)
