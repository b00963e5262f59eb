"""Every read of supervision cases: who may see which, the one filter of the 督办中心 and the API, the urge desk,
and the warning colours (blue near the due, yellow on the due day, red overdue; WAVE2 §1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.deadlines.store import load_calendar
from hotline.lib.errors import NotFound
from hotline.supervision.choices import LIVE_STATUSES, CaseStatus, Colour
from hotline.supervision.models import SupervisionCase
from hotline.tickets.selectors import Scope

if TYPE_CHECKING:
    from hotline.directory.models import Staff, Unit
    from hotline.tickets.models import Ticket


def visible_cases(user: Staff | None) -> QuerySet[SupervisionCase]:
    """The hotline sees every case; a unit the cases that name it; anyone else none (DESIGN §5)."""
    qs = SupervisionCase.objects.annotate(effective_due=Coalesce("extended_due_at", "due_at"))
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_city_hotline:
        return qs
    if user.is_hotline:  # a county sub-centre's desk: the cases naming its platform's units (Art. 30)
        return qs.filter(units__in=Scope.of(user).units()).distinct()
    if user.unit_id is None:
        return qs.none()
    return qs.filter(units=user.unit_id)


def access_case(user: Staff | None, number: str) -> SupervisionCase:
    """The case `number` if the user may see it; NotFound otherwise (no existence oracle)."""
    case = visible_cases(user).filter(number=number).first()
    if case is None:
        raise NotFound("督办件不存在或无权查看", code="case_not_found")
    return case


# ---------------------------------------------------------------- colours


def colour(opened_at: dt.datetime, due: dt.datetime, now: dt.datetime, *, live: bool = True) -> str:
    """Red past the due, yellow on its day, blue once `SUPERVISION_BLUE_FRACTION` of the window has passed."""
    if not live:
        return Colour.NONE
    if now >= due:
        return Colour.RED
    due_day = (due - dt.timedelta(microseconds=1)).astimezone(LOCAL_TZ).date()
    if now.astimezone(LOCAL_TZ).date() == due_day:
        return Colour.YELLOW
    fraction = float(getattr(settings, "SUPERVISION_BLUE_FRACTION", 0.8))
    if now - opened_at >= (due - opened_at) * fraction:
        return Colour.BLUE
    return Colour.NONE


def case_colour(case: SupervisionCase, now: dt.datetime) -> str:
    """The colour of a case; closed cases have none, escalated ones stay red."""
    return colour(case.opened_at, case.current_due, now, live=case.status in (CaseStatus.OPEN, CaseStatus.ANSWERED)
                  ) if case.status != CaseStatus.ESCALATED else Colour.RED


_RANK = {Colour.NONE: 0, Colour.BLUE: 1, Colour.YELLOW: 2, Colour.RED: 3}


def ticket_colour(ticket: Ticket, now: dt.datetime) -> tuple[str, SupervisionCase | None]:
    """A supervised ticket shows the most urgent colour of its live cases, and that case."""
    best: tuple[str, SupervisionCase | None] = (Colour.NONE, None)
    for case in ticket.supervision_cases.filter(status__in=LIVE_STATUSES):
        found = case_colour(case, now)
        if best[1] is None or _RANK[Colour(found)] > _RANK[Colour(best[0])]:
            best = (found, case)
    return best


def colour_q(name: str, now: dt.datetime) -> Q:
    """Cases of one colour, as a filter over `visible_cases` (needs its `effective_due`)."""
    local = now.astimezone(LOCAL_TZ)
    end_of_today = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL_TZ)
    live = Q(status__in=(CaseStatus.OPEN, CaseStatus.ANSWERED))
    if name == Colour.RED:
        return Q(status=CaseStatus.ESCALATED) | (live & Q(effective_due__lte=now))
    if name == Colour.YELLOW:
        return live & Q(effective_due__gt=now, effective_due__lte=end_of_today)
    if name == Colour.BLUE:
        ids = [c.pk for c in SupervisionCase.objects.filter(live).annotate(
            effective_due=Coalesce("extended_due_at", "due_at")).filter(effective_due__gt=end_of_today)
            if case_colour(c, now) == Colour.BLUE]
        return Q(pk__in=ids)
    return Q(pk__in=[])


# ---------------------------------------------------------------- the filter


@dataclass(frozen=True)
class CaseFilter:
    """The 督办中心's and the API's filters, one meaning: `unit` is a target unit; `due_before` a Beijing date."""

    status: str = ""
    trigger: str = ""
    method: str = ""
    colour: str = ""
    unit: Unit | None = None
    overdue: bool | None = None
    due_before: dt.date | None = None


def filtered(qs: QuerySet[SupervisionCase], f: CaseFilter, now: dt.datetime) -> QuerySet[SupervisionCase]:
    if f.status:
        qs = qs.filter(status=f.status)
    if f.trigger:
        qs = qs.filter(trigger=f.trigger)
    if f.method:
        qs = qs.filter(method=f.method)
    if f.unit is not None:
        qs = qs.filter(units=f.unit)
    overdue = Q(status__in=(CaseStatus.OPEN, CaseStatus.ANSWERED, CaseStatus.ESCALATED), effective_due__lte=now)
    if f.overdue is not None:
        qs = qs.filter(overdue) if f.overdue else qs.exclude(overdue)
    if f.colour:
        qs = qs.filter(colour_q(f.colour, now))
    if f.due_before:
        end = dt.datetime.combine(f.due_before + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL_TZ)
        qs = qs.filter(Q(effective_due__lt=end))
    return qs


def counts(qs: QuerySet[SupervisionCase], now: dt.datetime) -> dict[str, int]:
    """The 督办中心's header: cases by status, and how many live ones are red."""
    out = {status: qs.filter(status=status).count() for status in CaseStatus.values}
    out["red"] = qs.filter(colour_q(Colour.RED, now)).count()
    return out


def urge_desk(qs: QuerySet[SupervisionCase], now: dt.datetime) -> QuerySet[SupervisionCase]:
    """Open cases due within one working day, and those already past it: the 催办工作台, most urgent first."""
    horizon = load_calendar().add_working_days(now, 1).at
    due = Coalesce("extended_due_at", "due_at")
    return qs.filter(Q(status=CaseStatus.OPEN) & Q(effective_due__lte=horizon)).order_by(due)
