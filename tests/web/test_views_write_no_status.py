"""STYLE 1: the screens never write a ticket's status; only tickets.workflow does."""

import ast
from pathlib import Path

import hotline.web

WEB = Path(hotline.web.__file__).parent


def _status_writes(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AugAssign | ast.AnnAssign) else []
        lines += [t.lineno for t in targets if isinstance(t, ast.Attribute) and t.attr == "status"]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "update", "create", "update_or_create", "bulk_update"):
            lines += [node.lineno for kw in node.keywords if kw.arg == "status"]
    return lines


def test_it_finds_a_status_write_when_there_is_one():
    assert _status_writes("ticket.status = 'closed'\nTicket.objects.filter(pk=1).update(status='x')\n") == [1, 2]


def test_it_has_no_status_write_in_any_web_module():
    offenders = {str(path.relative_to(WEB)): lines for path in WEB.rglob("*.py")
                 if (lines := _status_writes(path.read_text(encoding="utf-8")))}
    assert offenders == {}
