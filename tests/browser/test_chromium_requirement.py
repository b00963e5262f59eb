"""A missing chromium must fail CI (the end-to-end test may never silently stop running) and only skip elsewhere."""

import pytest

from tests.browser.chromium import require_chromium

MISSING = "/nonexistent/chromium"


def test_it_fails_in_ci_when_chromium_is_missing():
    with pytest.raises(pytest.fail.Exception, match="chromium not found"):
        require_chromium(MISSING, {"CI": "true"})


def test_it_skips_with_the_reason_outside_ci():
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        require_chromium(MISSING, {})


def test_it_returns_an_executable_that_exists(tmp_path):
    binary = tmp_path / "chromium"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    assert require_chromium(str(binary), {"CI": "true"}) == str(binary)
