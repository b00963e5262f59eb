"""Replaying history: scripts yield the moments at which they act; the clock is frozen at each moment in turn.

Each ticket's story is a generator: it yields the next moment, and when the replay has travelled there (with
`time_machine`, time frozen) it performs its next workflow call. All stories run interleaved in time order, together
with the timed sweeps, so numbers, events, deadlines, alerts and statistics come out exactly as if staff had done it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import logging
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.utils import timezone

from hotline.deadlines.calendar import LOCAL_TZ, WorkCalendar
from hotline.deadlines.store import load_calendar
from hotline.demo import texts
from hotline.demo.directory import TopicSpec, county_department, handler_username
from hotline.directory.choices import UnitKind
from hotline.directory.models import Staff, Topic, Unit
from hotline.lib.errors import DomainError
from hotline.ops import schedule
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from hotline.tickets.workflow import Contact

log = logging.getLogger(__name__)

Story = Generator[dt.datetime, None, None]
SWEEP_EVERY = dt.timedelta(hours=6)
OFFICE_OPENS = dt.time(8, 30)
OFFICE_CLOSES = dt.time(17, 30)
CHANNELS = ["phone"] * 12 + ["wechat"] * 3 + ["web"] * 2 + ["app"] * 2 + ["sms", "police_110", "deputy", "leader_day"]


@dataclass
class Cast:
    """Everything a story needs: units, topics, staff, the calendar, one seeded random source and the real now."""

    units: dict[str, Unit]
    topics: dict[str, Topic]
    specs: dict[str, TopicSpec]
    staff: dict[str, Staff]
    rng: random.Random
    now: dt.datetime
    calendar: WorkCalendar = field(default_factory=load_calendar)
    requesters: itertools.count = field(default_factory=lambda: itertools.count(1))

    # The hotline's people, named like the test personas.
    @property
    def operator(self) -> Staff:
        return self.staff["operator"]

    @property
    def dispatcher(self) -> Staff:
        return self.staff["dispatcher"]

    @property
    def reviewer(self) -> Staff:
        return self.staff["reviewer"]

    @property
    def followup(self) -> Staff:
        return self.staff["followup"]

    @property
    def counties(self) -> list[Unit]:
        return [unit for unit in self.units.values() if unit.kind == UnitKind.COUNTY]

    def desk(self, role: str, ticket: Ticket) -> Staff:
        """The desk person of `role` at the platform holding `ticket`: `dispatcher-shuangqing` for a ticket at the
        Shuangqing sub-centre, `dispatcher` at the city (Art. 30)."""
        person = self.staff[role]
        if ticket.platform_id == person.platform_id:
            return person
        return next(p for p in self.staff.values() if p.role == person.role and p.platform_id == ticket.platform_id
                    and p.username.startswith(f"{role}-"))

    def sub_centre_desk(self, county: Unit, topic: Topic) -> Staff | None:
        """The county sub-centre's operator when `county` runs one and the catalogue sends `topic` to one of its
        own units (a local matter, Art. 12.2); None when the matter belongs at the city platform."""
        lead = county_department(self.units, county, topic, self.specs)
        if county.platform.is_root or lead.platform_id != county.platform_id:
            return None
        return self.staff[f"operator-{county.platform.code}"]

    def handler(self, unit: Unit) -> Staff:
        """The demo handler of a unit."""
        return self.staff[handler_username(unit)]

    # -- moments

    def moment(self) -> dt.datetime:
        return timezone.now()

    def later(self, low: float, high: float) -> dt.datetime:
        """A moment `low`..`high` minutes from now, at any hour (hotline staff work shifts around the clock)."""
        return timezone.now() + dt.timedelta(minutes=self.rng.uniform(low, high))

    def office(self, low: float, high: float) -> dt.datetime:
        """`low`..`high` hours from now, moved into a unit's office hours on a working day."""
        return self.in_office(timezone.now() + dt.timedelta(hours=self.rng.uniform(low, high)))

    def in_office(self, at: dt.datetime) -> dt.datetime:
        """The same moment if a unit's office is open then, else a little after the next opening."""
        local = at.astimezone(LOCAL_TZ)
        if self.calendar.is_working_day(local.date()) and OFFICE_OPENS <= local.time() < OFFICE_CLOSES:
            return at
        day = local.date() if local.time() < OFFICE_OPENS else local.date() + dt.timedelta(days=1)
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        opening = dt.datetime.combine(day, OFFICE_OPENS, tzinfo=LOCAL_TZ)
        return opening + dt.timedelta(minutes=self.rng.uniform(0, 150))

    def before(self, due: dt.datetime, low: float, high: float) -> dt.datetime:
        """A moment in office hours between now and `due`, at `low`..`high` of the way; just before `due` if none."""
        now = timezone.now()
        at = self.in_office(now + (due - now) * self.rng.uniform(low, high))
        return at if at < due else due - dt.timedelta(minutes=self.rng.uniform(30, 180))

    # -- people and places

    def contact(self, topic: Topic, *, request_type: str, county: Unit | None = None,
                like: Ticket | None = None) -> Contact:
        """A contact with wording for its topic, placed in a county of Shaoyang."""
        rng = self.rng
        county = county or rng.choice(self.counties)
        if like is not None:
            title, content, address = like.title, f"再次反映：{like.content}", like.address
        else:
            towns = [u.name.removeprefix(county.name) for u in county.children.all() if u.kind == UnitKind.TOWN]
            title, content, address = texts.request_text(rng, topic.code, county.name, rng.choice(towns))
        return Contact(
            channel=rng.choice(CHANNELS), request_type=request_type, content=content, title=title, address=address,
            topic=topic, region=county, requester=texts.requester(rng, next(self.requesters)),
            is_confidential=rng.random() < 0.05, is_complex=request_type != "consultation" and rng.random() < 0.06,
        )

    def intake(self, topic: Topic, *, request_type: str, by: Staff | None = None, county: Unit | None = None,
               like: Ticket | None = None) -> Ticket:
        """Accept a contact now, with wording for its topic placed in a county of Shaoyang."""
        by = by or self.rng.choice([self.operator, self.operator, self.dispatcher])
        c = self.contact(topic, request_type=request_type, county=county, like=like)
        return workflow.create_ticket(
            by=by, channel=c.channel, request_type=c.request_type, content=c.content, title=c.title,
            address=c.address, topic=c.topic, region=c.region, requester=c.requester,
            is_confidential=c.is_confidential, is_complex=c.is_complex,
        )

    def lead_for(self, ticket: Ticket) -> Unit:
        """The dispatch catalogue's unit: the county's department for local matters, else the city unit."""
        assert ticket.topic is not None and ticket.region is not None
        return county_department(self.units, ticket.region, ticket.topic, self.specs)

    def other_unit(self, unit: Unit) -> Unit:
        """A plausible different unit: a sibling county department, or another city department."""
        pool = [u for u in self.units.values() if u.kind == unit.kind and u.pk != unit.pk
                and u.parent_id == unit.parent_id]
        if not pool:  # a unit alone of its kind (the power company): any city department
            pool = [u for u in self.units.values() if u.kind == UnitKind.CITY_DEPARTMENT]
        return self.rng.choice(pool)


@dataclass
class Outcome:
    """What the replay did: stories run, steps taken and the steps the workflow refused (should be none)."""

    stories: int = 0
    steps: int = 0
    refused: list[str] = field(default_factory=list)


class Replay:
    """Runs stories interleaved in time order with the clock frozen at each step; steps at or after now are dropped."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.queue: list[tuple[dt.datetime, int, str, Story]] = []
        self.seq = itertools.count()
        self.outcome = Outcome()

    def add(self, name: str, story: Story) -> None:
        """Queue a story; it is primed at once and yields the moment of its first step."""
        self.outcome.stories += 1
        self._push(name, story, next(story))

    def add_sweeps(self, start: dt.datetime, run: Callable[[dt.datetime], Any] = schedule.run_all) -> None:
        """The timed jobs, as the embedded loop would have run them every few hours of the past."""

        def ticker() -> Story:
            at = start
            while True:
                yield at
                run(timezone.now())
                at += SWEEP_EVERY

        self.outcome.stories -= 1  # the ticker is not a ticket's story
        self.add("sweeps", ticker())

    def _push(self, name: str, story: Story, at: dt.datetime) -> None:
        if at >= self.now:
            story.close()  # the story's next step lies in the future: the ticket stays where it is now
            return
        heapq.heappush(self.queue, (at, next(self.seq), name, story))

    def run(self) -> Outcome:
        """Play every queued step in time order."""
        while self.queue:
            at, _seq, name, story = heapq.heappop(self.queue)
            with time_machine.travel(at, tick=False):
                try:
                    nxt = story.send(None)
                except StopIteration:
                    continue
                except DomainError as exc:
                    self.outcome.refused.append(f"{name}: {exc.code} {exc.message}")
                    log.warning("demo story %s refused at %s: %s", name, at, exc.message)
                    continue
            self.outcome.steps += 1
            self._push(name, story, nxt)
        return self.outcome
