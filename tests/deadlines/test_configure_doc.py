"""docs/configure.md states the clock table as the code has it, so the document cannot drift from the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hotline.deadlines.policy import COMPLEX_WORKING_DAYS, MAX_EXTENSION_WORKING_DAYS, RULES, Clock, Unit

DOC = Path(__file__).resolve().parents[2] / "docs" / "configure.md"


def _row(clock: Clock) -> list[str]:
    lines = [line for line in DOC.read_text(encoding="utf-8").splitlines()
             if line.startswith(f"| {RULES[clock].label} | `{clock.value}` |")]
    assert len(lines) == 1, f"docs/configure.md needs exactly one row for the {clock.value} clock"
    return [cell.strip() for cell in lines[0].strip("|").split("|")]


def _warning(span: dt.timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60} 小时前" if minutes % 60 == 0 else f"{minutes} 分钟前"


@pytest.mark.parametrize("clock", list(Clock))
def test_it_documents_each_clock_with_its_length_start_article_and_warning(clock: Clock) -> None:
    rule = RULES[clock]
    _label, _code, length, starts_on, article, warning = _row(clock)
    unit = {Unit.MINUTES: "分钟", Unit.HOURS: "小时"}.get(rule.unit, "个工作日")
    assert length.startswith(f"{rule.amount} {unit}")
    assert (starts_on, article, warning) == (rule.starts_on, rule.article, _warning(rule.warn_before))


def test_it_documents_the_complex_and_extension_limits() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"| {COMPLEX_WORKING_DAYS} | 第十四条第三项 |" in text
    assert f"at most {MAX_EXTENSION_WORKING_DAYS} more" in text
