"""Only the workflow package `hotline/tickets/workflow/` writes ticket status (STYLE 1): a scan of every other module.

What counts as a write:
- assigning `<x>.status` (or `setattr(<x>, "status", ...)`) where `<x>` names a ticket or the module imports `Ticket`;
- passing `status=` (or `**{"status": ...}`) to a manager's or queryset's `.update()`, or "status" to `.bulk_update()`;
- passing `status=` to `.create()`, `.get_or_create()`, `.update_or_create()` or `Ticket(...)` on a ticket model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "hotline"
WORKFLOW = ROOT / "tickets" / "workflow"
CREATORS = {"create", "get_or_create", "update_or_create"}
QUERYSET_HINTS = ("objects", ".filter(", ".exclude(", ".all(", "select_for_update", "qs", "queryset", "ticket")


def _mentions_ticket(node: ast.AST) -> bool:
    return "ticket" in ast.unparse(node).lower()


def _passes_status(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "status":
            return True
        # **{"status": ...} and update_or_create(defaults={"status": ...})
        if keyword.arg in (None, "defaults") and isinstance(keyword.value, ast.Dict) and any(
                isinstance(k, ast.Constant) and k.value == "status" for k in keyword.value.keys):
            return True
    return False


def _queryset_like(node: ast.AST) -> bool:
    # A dict's `.update(status=...)` (building a response body) is no write; a manager or queryset's is, unless
    # the chain starts at another model (`SupervisionCase.objects...`), whose status is its own.
    root = node
    while isinstance(root, (ast.Attribute, ast.Call)):
        root = root.func if isinstance(root, ast.Call) else root.value
    if isinstance(root, ast.Name) and root.id[:1].isupper() and root.id != "Ticket":
        return False
    text = ast.unparse(node).lower()
    return any(hint in text for hint in QUERYSET_HINTS)


def _status_in_fields(call: ast.Call) -> bool:
    return any(isinstance(n, ast.Constant) and n.value == "status" for arg in call.args[1:] for n in ast.walk(arg))


def _call_writes_status(call: ast.Call, imports_ticket: bool) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        if func.id == "setattr" and len(call.args) >= 2:
            target, name = call.args[0], call.args[1]
            return (isinstance(name, ast.Constant) and name.value == "status"
                    and (imports_ticket or _mentions_ticket(target)))
        return func.id == "Ticket" and _passes_status(call)
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "update":
        return _passes_status(call) and _queryset_like(func.value)
    if func.attr == "bulk_update":
        return _status_in_fields(call) or any(
            k.arg == "fields" and "status" in ast.unparse(k.value) for k in call.keywords)
    if func.attr in CREATORS:
        return _passes_status(call) and _mentions_ticket(func.value)
    return False


def _assigns_status(node: ast.AST, imports_ticket: bool) -> bool:
    targets: list[ast.AST] = []
    if isinstance(node, ast.Assign):
        targets = [t for target in node.targets for t in ast.walk(target)]
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    return any(isinstance(t, ast.Attribute) and t.attr == "status" and (imports_ticket or _mentions_ticket(t.value))
               for t in targets)


def status_writes(source: str) -> list[int]:
    """Line numbers in `source` that write a ticket's status."""
    tree = ast.parse(source)
    imports_ticket = any(isinstance(n, ast.ImportFrom) and any(a.name == "Ticket" for a in n.names)
                         for n in ast.walk(tree))
    lines = []
    for node in ast.walk(tree):
        if _assigns_status(node, imports_ticket) or (isinstance(node, ast.Call)
                                                      and _call_writes_status(node, imports_ticket)):
            lines.append(getattr(node, "lineno", 0))
    return sorted(lines)


def modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if WORKFLOW not in p.parents and "migrations" not in p.parts)


class TestTheScanner:
    @pytest.mark.parametrize("source", [
        "ticket.status = 'closed'",
        "self.ticket.status = Status.CLOSED",
        "from hotline.tickets.models import Ticket\nt.status = 'closed'",
        "setattr(ticket, 'status', 'closed')",
        "Ticket.objects.filter(pk=1).update(status='closed')",
        "qs.update(status='closed')",
        "open_tickets.update(status='closed')",
        "Ticket.objects.select_for_update().filter(pk=1).update(status='closed')",
        "qs.update(**{'status': 'closed'})",
        "Ticket.objects.bulk_update(items, ['status'])",
        "Ticket.objects.create(number='1', status='closed')",
        "Ticket.objects.update_or_create(number='1', defaults={'status': 'closed'})",
        "Ticket(number='1', status='closed')",
    ])
    def test_it_finds_a_status_write(self, source):
        assert status_writes(source) == [source.count("\n") + 1]

    @pytest.mark.parametrize("source", [
        "Ticket.objects.filter(status='closed')",
        "render(request, 'x.html', status=400)",
        "case.status = 'open'",
        "SupervisionCase.objects.create(status='open')",
        "SupervisionCase.objects.filter(pk=1, status='open').update(status='closed')",
        "if ticket.status == 'closed': pass",
        "out.update(status=obj.status, status_label='x')",
        "JsonResponse({'status': ticket.status}, status=201)",
    ])
    def test_it_ignores_reads_and_other_statuses(self, source):
        assert status_writes(source) == []


class TestSingleWriter:
    def test_it_scans_the_whole_package(self):
        names = {p.relative_to(ROOT).as_posix() for p in modules()}
        assert "tickets/sweeps.py" in names and "tickets/models.py" in names
        assert not any(name.startswith("tickets/workflow/") for name in names)

    def test_it_finds_no_status_write_outside_the_workflow(self):
        offenders = [f"{path.relative_to(ROOT.parent)}:{line}" for path in modules()
                     for line in status_writes(path.read_text(encoding="utf-8"))]
        assert offenders == [], "ticket status may only be written by hotline/tickets/workflow/: " + ", ".join(
            offenders)
