"""Monthly statistics, assessment and the published bulletins (Art. 26, 27): read-only.

Hotline staff read every unit; unit staff read the city's totals and their own unit (a county's staff their
county), as the bulletin tells them anyway. A closed month is served from its frozen snapshot; an open month is
computed from the events on request.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import create_model

from hotline.api.schemas import ErrorOut
from hotline.api.security import staff
from hotline.directory.models import Staff
from hotline.lib.errors import NotFound
from hotline.reports import bulletin, closing
from hotline.reports.indicators import RATE_LABELS, Figures
from hotline.reports.models import MonthClose, MonthState
from hotline.tickets.selectors import Scope

router = Router(tags=["统计与考评"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

_COUNTS: dict[str, Any] = {f.name: (float if f.name == "satisfied" else int, ...)
                           for f in Figures.__dataclass_fields__.values()}
_RATES: dict[str, Any] = {name: (float | None, ...) for name in RATE_LABELS}
# The counts, then the rates in percent (null when the denominator is 0: shown "—", never 100 %).
CityFigures: Any = create_model("CityFigures", __base__=Schema, **_COUNTS, **_RATES)
UnitFigures: Any = create_model("UnitFigures", __base__=Schema, code=(str, ...), name=(str, ...), group=(str, ...),
                                **_COUNTS, **_RATES)


class MonthlyQuery(Schema):
    month: str
    unit: str | None = None


class MonthlyOut(Schema):
    """One month's figures: the city and each unit."""

    month: str
    state: Literal["open", "frozen", "reviewed", "published"]
    number: str | None
    city: CityFigures  # type: ignore[valid-type]
    groups: dict[str, CityFigures]  # type: ignore[valid-type]
    units: list[UnitFigures]  # type: ignore[valid-type]


class UnitScore(Schema):
    code: str
    name: str
    group: Literal["county", "city", "utility"]
    score: float | None
    grade: str
    rank: int | None
    list: Literal["red", "black", ""]


class AssessmentOut(Schema):
    """Each unit's score, group and rank in a month (ties share a rank; no score, no rank)."""

    year: int
    month: int
    state: Literal["open", "frozen", "reviewed", "published"]
    rule_set: str
    units: list[UnitScore]


def _visible(user: Staff, snap: dict[str, Any]) -> list[dict[str, Any]]:
    if user.is_city_hotline:
        return snap["units"]
    if user.is_hotline:  # a county sub-centre's desk: its platform's units (Art. 30)
        codes = set(Scope.of(user).units().values_list("code", flat=True))
        return [row for row in snap["units"] if row["code"] in codes]
    unit = user.unit
    codes = {unit.code, unit.county.code if unit.county else ""} if unit else set()
    return [row for row in snap["units"] if row["code"] in codes]


def _state(close: MonthClose | None) -> str:
    return close.state if close is not None else "open"


@router.get("/statistics/monthly", response={200: MonthlyOut, **ERRORS})
def monthly(request: HttpRequest, params: Query[MonthlyQuery]) -> dict[str, Any]:
    """The month's counts and rates for the city, each group (county, city, utility) and each unit (or `unit`)."""
    year, month = closing.parse_month(params.month)
    snap, close = closing.month_snapshot(year, month)
    rows = _visible(staff(request), snap)
    if params.unit:
        rows = [row for row in rows if row["code"] == params.unit]
        if not rows:
            raise NotFound("没有该单位的统计", code="unknown_unit", field="unit")
    units = [{"code": r["code"], "name": r["name"], "group": r["group"], **r["counts"], **r["rates"]} for r in rows]
    city = {**snap["city"]["counts"], **snap["city"]["rates"]}
    groups = {key: {**g["counts"], **g["rates"]} for key, g in snap["groups"].items()}
    return {"month": f"{year}-{month:02d}", "state": _state(close), "number": close.title_number if close else None,
            "city": city, "groups": groups, "units": units}


@router.get("/assessment/{year}/{month}", response={200: AssessmentOut, **ERRORS})
def assessment(request: HttpRequest, year: int, month: int) -> dict[str, Any]:
    """Every unit's score, group, rank and list in the month (a unit's staff: their own)."""
    snap, close = closing.month_snapshot(year, month)
    rows = _visible(staff(request), snap)
    rule_set = rows[0]["sheet"]["rule_set"] if rows else ""
    return {"year": year, "month": month, "state": _state(close), "rule_set": rule_set,
            "units": [{"code": r["code"], "name": r["name"], "group": r["group"], "score": r["score"],
                       "grade": r["sheet"]["grade"], "rank": r["rank"], "list": r["list"]} for r in rows]}


@router.get("/bulletins/{year}/{month}.{fmt}", response={200: None, **ERRORS})
def bulletin_file(request: HttpRequest, year: int, month: int, fmt: Literal["docx", "pdf", "xlsx"]) -> HttpResponse:
    """A published month's bulletin (DOCX, PDF) or its annex (XLSX), as kept at publication."""
    staff(request)
    closing.check_month(year, month)  # out-of-range numbers are a 400, never a database error
    close = MonthClose.city().filter(year=year, month=month,
                                      state=MonthState.PUBLISHED).first()
    if close is None:
        raise NotFound("该月通报尚未发布", code="bulletin_not_published")
    response = HttpResponse(bytes(getattr(close, fmt)), content_type=bulletin.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="bulletin-{year}-{month:02d}.{fmt}"'
    return response
