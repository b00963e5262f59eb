"""The layer order of docs/architecture.md holds: every app imports only apps below it, apps on one floor do not
import each other, and no two sibling packages import each other in a circle (import-linter, configured in
pyproject.toml). The contracts are also shown to fail: on a copy of the code with one import against the order."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def copy_of_code(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "hotline", tree / "hotline", ignore=shutil.ignore_patterns("__pycache__", "static",
                                                                                      "templates", "data"))
    return tree


def _with_line(tree: Path, module: str, line: str) -> Path:
    path = tree / (module.replace(".", "/") + ".py")
    original = path.read_text()
    path.write_text(original + "\n" + line + "\n")
    return path


def test_it_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    # tickets reaching up to the screens
    ("hotline.tickets.access", "from hotline.web import views  # noqa", "Apps import only downwards"),
    # the base library reaching up to the tickets
    ("hotline.vault.seal", "import hotline.tickets.models  # noqa", "Apps import only downwards"),
    # two apps on one floor
    ("hotline.intake.regions", "import hotline.knowledge.models  # noqa", "Apps import only downwards"),
    # a circle inside one app: the models import the module that imports them
    ("hotline.tickets.models", "import hotline.tickets.chain  # noqa", "No import cycles between sibling packages"),
])
def test_it_fails_on_an_import_against_the_order(copy_of_code: Path, module: str, line: str, broken: str) -> None:
    path = _with_line(copy_of_code, module, line)
    original = path.read_text().removesuffix("\n" + line + "\n")
    try:
        result = _lint(copy_of_code)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    assert f"{broken} BROKEN" in result.stdout
