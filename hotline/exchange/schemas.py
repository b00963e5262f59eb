"""What partners send, checked at its JSON type (pydantic, strict): unknown fields are refused, a boolean is
`true`/`false`, an integer a JSON integer, a datetime a string with its offset. A refusal is `400 invalid_input`
naming the field, like every API body (docs/api.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt

from hotline.deadlines.calendar import FIRST_DAY, LAST_DAY


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("不能包含空字符（\\u0000）")
    return value.strip()


def _in_range(value: dt.datetime) -> dt.datetime:
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise ValueError(f"须在 {FIRST_DAY} 至 {LAST_DAY} 之间")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
When = Annotated[AwareDatetime, AfterValidator(_in_range)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Requester(_Strict):
    name: Text | None = Field(default=None, max_length=100)
    phone: Text | None = Field(default=None, max_length=32)
    id_number: Text | None = Field(default=None, max_length=32)
    address: Text | None = Field(default=None, max_length=300)
    is_company: StrictBool = False


class OrderIn(_Strict):
    """An order sent down by the provincial platform (上级交办, Art. 27)."""

    external_id: Text = Field(min_length=1, max_length=64)
    category: Text = Field(default="", max_length=100)
    flag: Literal["", "state_council", "leader"] = ""
    # The upper deadline: a moment, or a number of working days from now, counted with our calendar; one of the two.
    deadline: When | None = None
    working_days: StrictInt | None = Field(default=None, ge=1, le=60)
    request_type: Literal["consultation", "help", "complaint", "report", "suggestion", "praise"] = "help"
    content: Text = Field(min_length=2, max_length=5000)
    title: Text = Field(default="", max_length=120)
    address: Text = Field(default="", max_length=300)
    topic: Text | None = None
    region: Text | None = None
    is_confidential: StrictBool = False
    requester: Requester | None = None


class SubCentreTicketIn(_Strict):
    """A sub-centre's ticket as it stands, pushed on every change (Art. 7)."""

    external_id: Text = Field(min_length=1, max_length=64)
    status: Literal["received", "in_progress", "resolved", "closed"]
    event_at: When  # when this change happened at the sub-centre: timeliness is measured from it
    received_at: When
    category: Text = Field(default="", max_length=100)
    content: Text = Field(default="", max_length=5000)
    due_at: When | None = None
    resolved_at: When | None = None
    result: Text = Field(default="", max_length=5000)
    satisfaction: Literal["5", "4", "3", "2", "1", ""] = ""


class ReportIn(_Strict):
    """A lower platform's status report on an order we sent it (Art. 27); `message_id` is the same on every retry."""

    message_id: Text = Field(min_length=1, max_length=64)
    external_id: Text = Field(min_length=1, max_length=64, description="our ticket number, the order's external id")
    number: Text = Field(default="", max_length=32, description="the lower platform's ticket number")
    action: Text = Field(min_length=1, max_length=32)
    status: Text = Field(min_length=1, max_length=32)
    status_label: Text = Field(default="", max_length=32)
    at: When
    note: Text = Field(default="", max_length=500)
    handling_due: When | None = None
