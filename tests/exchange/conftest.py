from __future__ import annotations

import pytest

from tests.exchange.support import DOWN_SECRET, LOWER_SECRET, REPORT_SECRET, SUB_SECRET, UPPER_SECRET


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_TEST_UPPER_SECRET", UPPER_SECRET)
    monkeypatch.setenv("HOTLINE_TEST_SUB_SECRET", SUB_SECRET)
    monkeypatch.setenv("HOTLINE_TEST_REPORT_SECRET", REPORT_SECRET)
    monkeypatch.setenv("HOTLINE_TEST_LOWER_SECRET", LOWER_SECRET)
    monkeypatch.setenv("HOTLINE_TEST_DOWN_SECRET", DOWN_SECRET)
