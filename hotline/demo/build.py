"""Demo data for the embedded deployment: Shaoyang's units and topics, staff logins and a replayed ticket history.

`build()` creates everything in one transaction; tickets are made by calling `hotline.tickets.workflow` at past
moments (see `replay`), so events, deadlines, alerts and statistics are the genuine output of the product.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from hotline.demo import assessment, channels, directory, duty, kb, logins, stories
from hotline.demo import exchange as exchange_demo
from hotline.demo import followups as followup_demo
from hotline.demo import supervision as supervision_demo
from hotline.demo.replay import Cast, Replay
from hotline.directory.models import Unit
from hotline.ops import schedule
from hotline.tickets.models import Ticket

HISTORY_DAYS = 43  # the oldest story starts 42 days back; sweeps run from a day before it


@dataclass
class Summary:
    """What `build` made: logins, tickets per status, steps replayed, refusals (expected none) and seconds taken."""

    logins: list[logins.Login]
    statuses: dict[str, int]
    tickets: int
    steps: int
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0


def exists() -> bool:
    """Whether the database already holds a directory (demo or real): the demo never adds to one."""
    return Unit.objects.exists()


def choose_plans(count: int, rng: random.Random) -> list[str]:
    """Plan names for `count` stories: one per final status first, then one of each plan, then by weight."""
    names = list(stories.PLANS)
    by_stop: dict[str, str] = {}
    for name in names:
        by_stop.setdefault(stories.PLANS[name][1].stop, name)
    order = list(by_stop.values()) + [name for name in names if name not in by_stop.values()]
    weights = [stories.PLANS[name][0] for name in names]
    extra = rng.choices(names, weights=weights, k=max(0, count - len(order)))
    return (order + extra)[:count]


def _accounts(password: str | None) -> tuple[dict[str, str], str, dict[str, str]]:
    """Password hashes per personal account, the shared handler hash, and the clear passwords to print."""
    if password:
        hashed = make_password(password)  # one Argon2 hash (~0.3 s) serves every account
        return {name: hashed for name in logins.personal_usernames()}, hashed, {}
    clear = {name: logins.new_password() for name in logins.personal_usernames()}
    # Unit handlers share one generated password: ~120 Argon2 hashes would take most of a minute.
    clear["h-*"] = logins.new_password()
    hashes = {name: make_password(value) for name, value in clear.items() if name != "h-*"}
    return hashes, make_password(clear["h-*"]), clear


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    # The replay sends the past's SMS through the log sender; the console need not show them all.
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# Below this, a held-out split has too few tickets per unit to train and measure a model.
ROUTING_MIN_TICKETS = 100


def build(*, tickets: int = 300, seed: int = 12345, password: str | None = None,
          now: dt.datetime | None = None) -> Summary:
    """Create units, topics, staff and about `tickets` tickets of history up to `now` (deterministic per seed)."""
    began = time.monotonic()
    now = now or timezone.now()
    rng = random.Random(seed)
    hashes, handler_hash, clear = _accounts(password)
    with transaction.atomic(), _quiet("hotline.tickets.outbox"):
        platforms = directory.build_platforms()
        units = directory.build_units(platforms)
        topics = directory.build_topics(units)
        staff = directory.build_staff(units, hashes=hashes, handler_hash=handler_hash, platforms=platforms)
        cast = Cast(units=units, topics=topics, specs={s.code: s for s in directory.TOPICS}, staff=staff, rng=rng,
                    now=now)
        articles = kb.build(units, topics, staff, now=now, rng=random.Random(seed))
        replay = Replay(now)
        replay.add_sweeps(now - dt.timedelta(days=HISTORY_DAYS))
        for index, name in enumerate(choose_plans(tickets, rng)):
            replay.add(f"{index}:{name}", stories.story(cast, stories.PLANS[name][1]))
        outcome = replay.run()
        stories.awaiting_county(cast)  # Art. 30: one handed down just now, for the county desk to sign
        kb.record_uses(articles, staff)
        channels.build_hotspot(staff, topics, units["shuangqing"], now=now)
        schedule.run_all(now)
        supervision_demo.build(staff, units, topics, now=now)  # cases and coordination (Art. 19, 24)
        channels.build(staff, now=now)
        followup_demo.build(staff, now=now)
        duty.build(staff, units, now=now)  # Art. 8, 18, 20, 27
        assessment.build(units, staff, now=now)
        exchange_demo.build(staff, units, now=now)  # provincial orders and a sub-centre's pushes (Art. 7, 27)
    if tickets >= ROUTING_MIN_TICKETS:
        # The demo trains the dispatch model on its own history, so suggestions come from a real model.
        from hotline.intake.routing import store

        store.train(now=now, note="演示数据")
    statuses = Counter(Ticket.objects.values_list("status", flat=True))
    return Summary(logins=_login_list(staff, clear, password), statuses=dict(statuses), tickets=sum(statuses.values()),
                   steps=outcome.steps, refused=outcome.refused, seconds=time.monotonic() - began)


def _login_list(staff: dict, clear: dict[str, str], password: str | None) -> list[logins.Login]:
    result = []
    for person in sorted(staff.values(), key=lambda p: (p.username.startswith(logins.UNIT_PREFIXES), p.pk)):
        secret = logins.SHARED_MARK if password else clear.get(person.username, clear.get("h-*", ""))
        where = person.unit or (person.platform if not person.platform.is_root else "")
        result.append(logins.Login(person.username, person.get_role_display(), str(where), secret))
    return result
