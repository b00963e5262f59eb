"""The production web server's settings (`hotline/server.py`), as gunicorn reads them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def gunicorn_config(**env: str) -> subprocess.CompletedProcess[str]:
    """gunicorn's view of the settings: `--print-config` prints them and exits once the application has loaded, so
    the standard library's demo application stands in for the platform's (which needs a migrated database)."""
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", "python:hotline.server",
         "wsgiref.simple_server:demo_app"],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=60, check=False)


def settings(output: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in output.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_worker_processes_of_threads_on_the_configured_address() -> None:
    answer = gunicorn_config(HOTLINE_WORKERS="3", HOTLINE_THREADS="6", HOTLINE_BIND="127.0.0.1:8123")
    assert answer.returncode == 0, answer.stderr
    seen = settings(answer.stdout)
    assert (seen["workers"], seen["threads"], seen["worker_class"]) == ("3", "6", "gthread")
    assert seen["bind"] == "['127.0.0.1:8123']"
    assert seen["preload_app"] == "False"  # every worker opens its own database connections


def test_by_default_one_worker_more_than_the_cores_it_may_use_at_most_eight() -> None:
    env = {name: "" for name in ("HOTLINE_WORKERS", "HOTLINE_THREADS", "HOTLINE_BIND")}
    seen = settings(gunicorn_config(**env).stdout)
    assert seen["workers"] == str(min(len(os.sched_getaffinity(0)) + 1, 8))
    assert (seen["threads"], seen["bind"]) == ("4", "['127.0.0.1:8000']")


@pytest.mark.parametrize("value", ["0", "-2", "four", "65"])
def test_a_bad_count_stops_the_server_with_the_setting_named(value: str) -> None:
    answer = gunicorn_config(HOTLINE_WORKERS=value)
    assert answer.returncode != 0
    assert f"HOTLINE_WORKERS must be a whole number from 1 to 64, not '{value}'" in answer.stderr
    assert "Traceback" not in answer.stderr
