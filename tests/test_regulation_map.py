"""docs/regulation.md, the conformance map, stays true to the code and the code stays inside the map.

- Every article the code under `hotline/` cites in Chinese (第十三条, 第十条第四项, 第十条第（四）项; migrations
  excluded) has a row in the map. A citation right after a closing 》 names another document (《民法典》第二百零一条)
  and is not one of ours.
- Articles 7-29 each have exactly one row, and so does every numbered item of them (（一）（二）… in the text).
- Every dotted `hotline.…` path the map names imports, every URL it names resolves, and every test it names exists.

A map row is a table row whose first cell is `Art. N`, or `Art. N(M)` for item M of article N; nothing else in the map
starts a table row that way. No database is needed: paths are imported and URLs resolved, nothing is queried.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "docs" / "regulation.md"
CODE = ROOT / "hotline"

ARTICLES = 30  # the measures have thirty articles
MAPPED = range(7, 30)  # articles 7-29 each have a row
ITEMS = {9: 4, 10: 10, 12: 2, 14: 4, 24: 8, 28: 7}  # numbered items of the mapped articles

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
_NUM = "[零〇一二两三四五六七八九十百]+"
CITATION = re.compile(rf"(?<!》)第({_NUM})条(?:第(?:({_NUM}|\d+)|[（(]({_NUM}|\d+)[）)])项)?")
ROW = re.compile(r"^\|\s*Art\.\s*(\d+)(?:\((\d+)\))?\s*\|", re.MULTILINE)
CODE_PATH = re.compile(r"`(hotline(?:\.\w+)+)`")
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")
URL = re.compile(r"`(/[\w./<>{}-]*)`")
SAMPLE_NUMBER = "20260309000001"

Key = tuple[int, int | None]


def chinese_number(text: str) -> int:
    """十三 -> 13, 二十四 -> 24, 一百零一 -> 101; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    total = digit = 0
    for char in text:
        if char in _UNITS:
            total += (digit or 1) * _UNITS[char]
            digit = 0
        else:
            digit = _DIGITS[char]
    return total + digit


def citations(text: str) -> Iterator[tuple[int, Key, str]]:
    """(line number, (article, item or None), the cited words) for every citation in `text`."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in CITATION.finditer(line):
            item = match.group(2) or match.group(3)
            yield number, (chinese_number(match.group(1)), chinese_number(item) if item else None), match.group(0)


def code_citations(root: Path) -> Iterator[tuple[str, int, Key, str]]:
    """Every citation in the Python files under `root`, migrations excluded: (file, line, key, words)."""
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        for line, key, words in citations(path.read_text(encoding="utf-8")):
            yield str(path.relative_to(root.parent)), line, key, words


def map_rows(text: str) -> list[Key]:
    """The map's rows in order, as (article, item or None)."""
    return [(int(m.group(1)), int(m.group(2)) if m.group(2) else None) for m in ROW.finditer(text)]


def label(key: Key) -> str:
    article, item = key
    return f"Art. {article}" if item is None else f"Art. {article}({item})"


def uncited(root: Path, map_text: str) -> list[str]:
    """One message per citation in the code with no row in the map."""
    rows = set(map_rows(map_text))
    return [f"{file}:{line}: {words} cites {label(key)}, which has no row in docs/regulation.md"
            for file, line, key, words in code_citations(root) if key not in rows]


def resolve_path(dotted: str) -> object:
    """Import the longest module prefix of `dotted` and look the rest up as attributes; raises if either fails."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        try:
            obj: object = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not (name + ".").startswith(exc.name + "."):
                raise  # the module exists but one of its own imports is missing
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)
        return obj
    raise ModuleNotFoundError(dotted)


@pytest.fixture(scope="module")
def map_text() -> str:
    return MAP.read_text(encoding="utf-8")


class TestTheCodeStaysInsideTheMap:
    def test_it_finds_a_row_for_every_article_the_code_cites(self, map_text: str) -> None:
        missing = uncited(CODE, map_text)
        assert not missing, "\n".join(missing)

    def test_it_reports_a_citation_the_map_lacks_with_file_and_line(self, tmp_path: Path) -> None:
        package = tmp_path / "hotline"
        (package / "tickets" / "migrations").mkdir(parents=True)
        code = 'ARTICLE = "第十三条"\n# 第三十一条第（二）项\n'
        (package / "tickets" / "rules.py").write_text(code, encoding="utf-8")
        (package / "tickets" / "migrations" / "0001_initial.py").write_text("# 第九十九条\n", encoding="utf-8")
        assert uncited(package, "| Art. 13 | ... |\n") == [
            "hotline/tickets/rules.py:2: 第三十一条第（二）项 cites Art. 31(2), which has no row in docs/regulation.md"]


class TestCitations:
    @pytest.mark.parametrize(("text", "number"), [
        ("七", 7), ("十", 10), ("十三", 13), ("二十", 20), ("二十四", 24), ("三十", 30), ("一百零一", 101), ("4", 4)])
    def test_it_reads_chinese_numerals(self, text: str, number: int) -> None:
        assert chinese_number(text) == number

    def test_it_finds_articles_and_items_in_every_written_form(self) -> None:
        text = ("按第十三条、第十四条第二项\n"
                "第十条第{n}项 第二十四条第（二）项 第12条 第十二条第一项 《民法典》第二百零一条")
        assert [(line, key) for line, key, _ in citations(text)] == [
            (1, (13, None)), (1, (14, 2)), (2, (10, None)), (2, (24, 2)), (2, (12, 1))]


class TestTheMapCoversTheRegulation:
    def test_it_has_one_row_for_each_article_from_7_to_29_and_each_of_their_items(self, map_text: str) -> None:
        rows = map_rows(map_text)
        expected: set[Key] = {(article, None) for article in MAPPED}
        expected |= {(article, item) for article, count in ITEMS.items() for item in range(1, count + 1)}
        assert not expected - set(rows), f"no row for {sorted(map(label, expected - set(rows)))}"
        duplicates = sorted({label(key) for key in rows if rows.count(key) > 1})
        assert not duplicates, f"more than one row for {duplicates}"

    def test_it_has_no_row_for_an_article_or_item_the_regulation_lacks(self, map_text: str) -> None:
        wrong = [label((article, item)) for article, item in map_rows(map_text)
                 if not 1 <= article <= ARTICLES or (item is not None and not 1 <= item <= ITEMS.get(article, 0))]
        assert not wrong, f"rows for articles or items the measures do not have: {wrong}"


class TestWhatTheMapNamesExists:
    def test_it_imports_every_code_path(self, map_text: str) -> None:
        paths = sorted(set(CODE_PATH.findall(map_text)))
        assert paths
        broken = []
        for dotted in paths:
            try:
                resolve_path(dotted)
            except (ImportError, AttributeError) as exc:
                broken.append(f"{dotted}: {exc}")
        assert not broken, "\n".join(broken)

    def test_it_finds_every_test_file_and_test(self, map_text: str) -> None:
        refs = sorted(set(TEST_REF.findall(map_text)))
        assert refs
        missing = []
        for file, name in refs:
            path = ROOT / file
            if not path.is_file():
                missing.append(f"{file}: no such file")
            elif name and not re.search(rf"^\s*def {name}\(", path.read_text(encoding="utf-8"), re.MULTILINE):
                missing.append(f"{file}::{name}: no such test")
        assert not missing, "\n".join(missing)

    def test_it_resolves_every_screen_and_endpoint(self, map_text: str) -> None:
        urls = sorted(set(URL.findall(map_text)))
        assert urls
        unresolved = []
        for url in urls:
            concrete = re.sub(r"<\w+>|\{\w+\}", SAMPLE_NUMBER, url)
            try:
                resolve(concrete)
            except Resolver404:
                unresolved.append(url)
        assert not unresolved, f"URLs that resolve to no view: {unresolved}"
