"""Drill: the SQLite data directory on a full disk, then on a read-only disk, under the production server (issue 15,
item 4). Writes must answer 503/507 with a code and a Chinese message (never a stack trace) and save nothing half;
staff must still log in and read on the read-only disk; writes work again once the disk does.

    sudo python bench/drills/disk.py [--size-mb 64]

Needs root: the data directory is a small tmpfs mounted for the drill (filled with a file for "full", remounted
`-o remount,ro` for "read-only"), unmounted at the end. Prints one JSON line; exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.drills.db_kill import PASSWORD, UNIT, App, token  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MARK = "磁盘演练"


def api(base: str, bearer: str, path: str, body: dict[str, object] | None = None) -> tuple[int, dict[str, object]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method="POST" if body is not None else "GET", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {bearer}", "Idempotency-Key": str(uuid.uuid4())})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        raw = error.read().decode(errors="replace")
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, {"raw": raw[:300]}


def web_login_and_read(site: str, username: str) -> dict[str, object]:
    """Log in through the login form like a browser, then open the ticket list; the answers' codes and any trace."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    result: dict[str, object] = {}
    try:
        page = opener.open(site + "/login/", timeout=30).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf.group(1) if csrf else "", "username": username,
                                       "password": PASSWORD}).encode()
        answer = opener.open(urllib.request.Request(site + "/login/", data=form, headers={"Referer": site + "/login/"}),
                             timeout=30)
        result["login"] = answer.status
        result["logged_in"] = "/login/" not in answer.geturl()
        listing = opener.open(site + "/tickets/", timeout=30)
        body = listing.read().decode()
        result["read"] = listing.status
        result["read_shows_tickets"] = MARK in body or "工单" in body
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        result.update({"error": error.code, "chinese": bool(re.search(r"[\u4e00-\u9fff]", body)),
                       "trace": "Traceback" in body})
    return result


def counts(path: Path) -> dict[str, int]:
    # Closed at once: even a read-only connection keeps the WAL index open for writing, so the mount would stay busy.
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 (fixed names)
                for t in ("tickets_ticket", "tickets_event", "tickets_assignment", "api_idempotentrequest")}


def try_writes(base: str, tokens: dict[str, str], number: str, tries: int) -> dict[str, object]:
    """Creations and a dispatch while the disk refuses; every answer's status, code and whether it showed a trace."""
    answers: list[dict[str, object]] = []
    for i in range(tries):
        status, body = api(base, tokens["operator"], "/tickets", {
            "channel": "phone", "request_type": "complaint", "content": f"{MARK} {i} 井盖缺失"})
        answers.append({"status": status, "code": body.get("code"), "message": body.get("message"),
                        "saved": (body.get("details") or {}).get("saved") if isinstance(body.get("details"), dict)
                        else None, "number": body.get("number"), "trace": "Traceback" in json.dumps(body)})
    status, body = api(base, tokens["dispatcher"], f"/tickets/{number}/dispatch", {"lead_unit": UNIT})
    answers.append({"status": status, "code": body.get("code"), "message": body.get("message"),
                    "trace": "Traceback" in json.dumps(body)})
    return {"answers": answers}


def judge(phase: dict[str, object]) -> list[str]:
    """What is wrong with one phase: a refused write without a code or Chinese message, a 500, a trace, a count that
    moved without a 2xx answer (a half write)."""
    problems = []
    accepted = 0
    for answer in phase["writes"]["answers"]:  # type: ignore[index]
        if answer["status"] < 300:
            accepted += 1
            continue
        if answer["status"] not in (503, 507) or not answer["code"] or answer["trace"] \
                or not re.search(r"[\u4e00-\u9fff]", str(answer["message"] or "")):
            problems.append(f"bad refusal: {answer}")
    before, after = phase["before"], phase["after"]
    if after["tickets_ticket"] - before["tickets_ticket"] != sum(  # type: ignore[index]
            1 for a in phase["writes"]["answers"][:-1] if a["status"] < 300):  # type: ignore[index]
        problems.append("ticket count moved without an accepted creation")
    if accepted == len(phase["writes"]["answers"]):  # type: ignore[arg-type]
        problems.append("no write was refused")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=64)
    parser.add_argument("--app-port", type=int, default=18347)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("需要 root：演练要挂载 tmpfs", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="hotline-disk-drill-"))
    data = work / "data"
    data.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_mb}m", "tmpfs", str(data)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"HOTLINE_DATA_DIR": str(data), "HOTLINE_DEMO_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT),
                "HOTLINE_SECRET_KEY": "drill-" + uuid.uuid4().hex, "DJANGO_SETTINGS_MODULE": "hotline.settings"})
    app = App(args.app_port, {**env, "HOTLINE_DATA_DIR": str(data)})
    app.log.close()  # App keeps its log in the data directory: not on the disk under test, which must turn read-only
    (data / "server.log").unlink()
    app.log = open(work / "server.log", "ab")  # noqa: SIM115
    result: dict[str, object] = {"drill": "disk"}
    try:
        subprocess.run([sys.executable, "-m", "hotline.cli", "demo", "--no-serve", "--tickets", "20"], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        app.start()
        site = f"http://127.0.0.1:{args.app_port}"
        base = site + "/api/v1"
        tokens = {"operator": token(base, "operator"), "dispatcher": token(base, "dispatcher")}
        database = data / "hotline.sqlite3"
        for phase in ("full", "read_only"):
            status, ticket = api(base, tokens["operator"], "/tickets", {
                "channel": "phone", "request_type": "complaint", "content": f"{MARK} {phase} 待派单 路灯不亮"})
            number = str(ticket.get("number"))
            if phase == "full":
                filler = data / "filler"
                subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"], capture_output=True)
            else:  # a mount with files open for writing cannot turn read-only: the server restarts on it, as after
                app.kill9()  # the kernel remounted a failing disk read-only and the service was restarted
                subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
                app.start()
            before = counts(database)
            outcome: dict[str, object] = {"before": before, "writes": try_writes(base, tokens, number, 5)}
            outcome["login_and_read"] = web_login_and_read(site, "dispatcher")
            outcome["api_read"] = api(base, tokens["dispatcher"], f"/tickets/{number}")[0]
            outcome["after"] = counts(database)
            if phase == "full":
                filler.unlink()
            else:
                app.kill9()
                subprocess.run(["mount", "-o", "remount,rw", str(data)], check=True)
                app.start()
            time.sleep(0.5)
            outcome["write_after_recovery"] = api(base, tokens["dispatcher"], f"/tickets/{number}/dispatch",
                                                  {"lead_unit": UNIT})[0]
            outcome["problems"] = judge(outcome)
            if phase == "read_only" and not outcome["login_and_read"].get("logged_in"):  # type: ignore[attr-defined]
                outcome["problems"].append("staff could not log in and read")  # type: ignore[attr-defined]
            if outcome["write_after_recovery"] != 200:
                outcome["problems"].append("writes did not work again")  # type: ignore[attr-defined]
            result[phase] = outcome
        app.kill9()
        check = subprocess.run([sys.executable, str(Path(__file__).with_name("consistency.py")), "--mark", MARK],
                               env=env, capture_output=True, text=True)
        result["consistency"] = json.loads(check.stdout.strip().splitlines()[-1]) if check.stdout else check.stderr
        ok = check.returncode == 0 and not result["full"]["problems"] and not result["read_only"]["problems"]  # type: ignore[index]
    finally:
        app.kill9()
        subprocess.run(["mount", "-o", "remount,rw", str(data)], capture_output=True)
        subprocess.run(["umount", str(data)], capture_output=True)
    print(json.dumps(result, ensure_ascii=False))
    print(f"work directory: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
