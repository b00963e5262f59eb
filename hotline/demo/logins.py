"""Demo logins: strong passwords generated once (stored hashed), a 0600 file to print them again, a compact table."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from hotline.demo.directory import HOTLINE_STAFF, SUB_CENTRES

LOGINS_FILE = "demo-logins.txt"
SHARED_MARK = "（同 HOTLINE_DEMO_PASSWORD）"
# Handlers and unit managers of these units are printed; the rest are in the file.
KEY_UNITS = ("h-cgzf", "h-zjj", "h-power", "h-water", "h-shuangqing", "h-shuangqing-cgj", "h-daxiang-zjj",
             "m-cgzf", "m-zjj", "m-shuangqing-cgj")
UNIT_PREFIXES = ("h-", "m-")  # unit accounts: h- handlers, m- unit managers, one shared password
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I: read off a screen


@dataclass(frozen=True)
class Login:
    """One printed line: who logs in, as what, for which unit, with which password."""

    username: str
    role: str
    unit: str
    password: str


def new_password() -> str:
    """14 characters from 56 symbols (about 81 bits), grouped for reading: `abcd-efgh-ijkl-mn`."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(14))
    return "-".join(raw[i:i + 4] for i in range(0, 14, 4))


def personal_usernames() -> list[str]:
    """Accounts that get a password of their own: the hotline's roles, `admin` and each sub-centre's desk roles
    (`operator-shuangqing`)."""
    desks = [f"{name}-{code}" for code in SUB_CENTRES for name, _role, _display in HOTLINE_STAFF]
    return [name for name, _role, _display in HOTLINE_STAFF] + ["admin"] + desks


def write(path: Path, logins: list[Login]) -> None:
    """Write every login to `path`, readable by the owner only (0600), replacing any earlier file."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("# 演示账号（用户名\t角色\t单位\t密码）\n")
        for login in logins:
            out.write(f"{login.username}\t{login.role}\t{login.unit}\t{login.password}\n")


def read(path: Path) -> list[Login]:
    """The logins written by `write`; empty when the file is missing."""
    if not path.exists():
        return []
    logins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            username, role, unit, password = line.split("\t")
            logins.append(Login(username, role, unit, password))
    return logins


def table(logins: list[Login], *, path: Path) -> str:
    """The compact table printed at start: hotline roles, `admin` and the handlers of a few key units."""
    shown = [login for login in logins if not login.username.startswith(UNIT_PREFIXES) or login.username in KEY_UNITS]
    width = max((len(login.username) for login in shown), default=8)
    lines = [f"{'用户名'.ljust(width)}  角色        单位                  密码"]
    for login in shown:
        lines.append(f"{login.username.ljust(width)}  {_pad(login.role, 10)}  {_pad(login.unit, 20)}  {login.password}")
    hidden = len(logins) - len(shown)
    if hidden:
        lines.append(f"另有 {hidden} 个承办单位账号（承办人 h-单位编码，单位管理员 m-单位编码），完整列表见 {path}")
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    # CJK characters take two columns in a terminal.
    cols = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(0, width - cols)
