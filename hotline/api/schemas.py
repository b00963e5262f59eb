"""Request and response shapes of the JSON API; the OpenAPI document is generated from these.

Input schemas forbid unknown fields, so a misspelt field is a 400 rather than silently ignored, and take body
values at their JSON type only: a boolean is `true`/`false` (never `"yes"` or `1`), an integer is a JSON integer
(never `"3"` or `true`), a datetime is a string with its offset (never a number). Dates and datetimes lie within
`EARLIEST`..`LATEST`: outside it they name no hotline event, and year 1 or 9999 would overflow on conversion.
Datetimes are answered in Beijing time (+08:00), the time the regulation's deadlines are counted in.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict, StrictBool, StrictInt

from hotline.deadlines.calendar import FIRST_DAY, LAST_DAY, LOCAL_TZ
from hotline.tickets.choices import (
    Channel,
    EmergencyLine,
    Fault,
    RequestType,
    ReturnKind,
    Satisfaction,
    Status,
    UnitContactMethod,
)


def _refuse_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text columns and queries; refuse it here as a 400 instead of failing in the database.
    if "\x00" in value:
        raise ValueError("不能包含空字符（\\u0000）")
    return value


def _no_nul(value: str) -> str:
    return _refuse_nul(value).strip()


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LOCAL_TZ)


EARLIEST = FIRST_DAY
LATEST = LAST_DAY
RANGE_MESSAGE = f"须在 {EARLIEST} 至 {LATEST} 之间"


def _date_in_range(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(RANGE_MESSAGE)
    return value


def _datetime_in_range(value: dt.datetime) -> dt.datetime:
    # Compared by the local date, before any conversion: converting 0001-01-01T00:00+08:00 to UTC overflows.
    _date_in_range(value.date())
    return value


def _iso_string(value: object) -> object:
    # A number would be read as Unix seconds (12345 is 1970-01-01T03:25:45Z): refuse it rather than guess.
    if not isinstance(value, str):
        raise ValueError("须为带时区的 ISO 8601 日期时间字符串，如 2026-02-13T10:00:00+08:00")
    return value


Text = Annotated[str, Field(max_length=5000), AfterValidator(_no_nul)]
ShortText = Annotated[str, Field(max_length=300), AfterValidator(_no_nul)]
Code = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_no_nul)]
LocalDateTime = Annotated[dt.datetime, AfterValidator(_local)]
# Body scalars at their JSON type only (see the module docstring).
Bool = StrictBool
Int = StrictInt
When = Annotated[AwareDatetime, BeforeValidator(_iso_string), AfterValidator(_datetime_in_range)]
Day = Annotated[dt.date, AfterValidator(_date_in_range)]


class In(Schema):
    """Base of every request body: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    """Every error answer (see docs/api.md for the codes)."""

    code: str
    message: str
    field: str | None = None
    details: dict | None = None
    errors: list[dict[str, str]] | None = None


# ---------------------------------------------------------------- auth and calendar


class TokenIn(In):
    # Kept as typed (a password's spaces are part of it), but never with a NUL: it would fail the user look-up.
    username: Annotated[str, Field(max_length=150), AfterValidator(_refuse_nul)]
    password: Annotated[str, Field(max_length=256), AfterValidator(_refuse_nul)]
    # The authenticator's code, required while the deployment turns on two-factor (HOTLINE_TOTP_REQUIRED).
    otp: Annotated[str, Field(max_length=10), AfterValidator(_refuse_nul)] = ""


class TokenOut(Schema):
    token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires: LocalDateTime


class DeadlineOut(Schema):
    due: LocalDateTime
    estimated: bool = Field(description="时限跨入尚未发布节假日安排的年度，按周末估算")
    unpublished_years: list[int]


# ---------------------------------------------------------------- tickets


class RequesterIn(In):
    name: ShortText = ""
    phone: Annotated[str, Field(max_length=32), AfterValidator(_no_nul)] = ""
    id_number: Annotated[str, Field(max_length=32), AfterValidator(_no_nul)] = ""
    address: ShortText = ""
    ip: Annotated[str, Field(max_length=45, description="网站、移动端来件的来源 IP（加密保存，不在接口中返回）"),
                  AfterValidator(_no_nul)] = ""
    is_company: Bool = False


class TicketIn(In):
    channel: Channel
    request_type: RequestType
    content: Text
    title: ShortText = ""
    address: ShortText = ""
    topic: Code | None = Field(None, description="事项分类编码")
    region: Code | None = Field(None, description="所属县市区的单位编码")
    is_confidential: Bool = False
    is_complex: Bool = False
    requester: RequesterIn | None = None


class UnitRef(Schema):
    code: str
    name: str


class PlatformOut(Schema):
    """A 12345 platform of this deployment (Art. 30): the city platform, or a county's or township's sub-centre."""

    code: str = Field(description="平台编码，工单的 platform 与 received_by 即此编码")
    name: str
    parent: str | None = Field(description="上级平台编码；市级平台为 null")
    kind: Literal["city", "county", "township"] = Field(description="city 市级平台、county 县市区分中心、"
                                                                    "township 乡镇街道分中心")


class TopicRef(Schema):
    code: str
    name: str


class RequesterOut(Schema):
    name: str
    phone: str
    id_number: str
    address: str
    is_company: bool
    masked: bool = Field(description="承办单位看到的是脱敏值（第二十三条）")


class TicketOut(Schema):
    number: str
    status: Status
    status_label: str
    channel: Channel
    request_type: RequestType
    topic: TopicRef | None
    region: UnitRef | None
    title: str
    content: str
    address: str
    is_confidential: bool
    is_complex: bool
    lead_unit: UnitRef | None
    assisting_units: list[UnitRef]
    suggested_unit: UnitRef | None
    consult_unit: UnitRef | None
    platform: str = Field(description="现在办理该工单的平台编码（第三十条），见 GET /platforms")
    received_by: str = Field(description="受理该工单的平台编码；统计按受理平台计一次")
    created_at: LocalDateTime
    updated_at: LocalDateTime
    dispatch_due: LocalDateTime | None
    consult_due: LocalDateTime | None
    sign_due: LocalDateTime | None
    desk_return_due: LocalDateTime | None
    return_due: LocalDateTime | None
    arrival_due: LocalDateTime | None
    handling_due: LocalDateTime | None
    rework_due: LocalDateTime | None
    current_due: LocalDateTime | None
    due_estimated: bool
    handling_days: int | None
    dispatched_at: LocalDateTime | None
    signed_at: LocalDateTime | None
    deemed_signed: bool
    arrived_at: LocalDateTime | None
    replied_at: LocalDateTime | None
    resolved_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    extension_count: int
    rework_count: int
    decline_reason: str
    explanation: str
    answer: str
    merged_into: str | None
    handed_off_to: str
    requester: RequesterOut | None
    requester_hidden: bool = Field(description="保密工单：服务对象身份不向承办单位显示（第二十三条）")


class TicketPage(Schema):
    total: int = Field(description="匹配的工单数，最多数到 1000（见 total_capped）")
    total_capped: bool = Field(description="true：匹配超过 1000 件，total 只数到 1000，请缩小查询条件或按 after 翻页")
    limit: int
    offset: int
    items: list[TicketOut]


class TicketFilters(Schema):
    status: Status | None = None
    unit: Code | None = Field(None, description="牵头单位编码")
    overdue: bool | None = Field(None, description="true：有计时已超时；false：没有")
    created_from: Day | None = Field(None, description="受理日期起（含），北京时间")
    created_to: Day | None = Field(None, description="受理日期止（含），北京时间")
    q: Annotated[str, Field(max_length=100), AfterValidator(_no_nul)] | None = Field(
        None, description="在编号、标题、诉求内容、地点中查找；8 位以上数字按编号开头查找")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)
    after: Code | None = Field(None, description="按键续页：上一页最后一张工单的编号（长列表用它代替 offset）")


class EventOut(Schema):
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: str | None
    actor_unit: str | None
    at: LocalDateTime
    reason: str
    article: str
    data: dict


# ---------------------------------------------------------------- transitions (one body per verb)


class DeclineIn(In):
    reason_code: Annotated[str, Field(max_length=4, description="第十条的不予受理原因 1-10")]
    explanation: Text


class AnswerIn(In):
    text: Text
    article_ref: ShortText = ""


class ConsultIn(In):
    unit: Code
    note: Text = ""


class DispatchIn(In):
    lead_unit: Code
    assisting_units: Annotated[list[Code], Field(max_length=20)] = []
    note: Text = ""


class ReturnIn(In):
    kind: ReturnKind
    reason: Text
    basis: Text
    suggested_unit: Code | None = None


class ReviewIn(In):
    approve: Bool
    note: Text = ""


class ExtensionIn(In):
    working_days: Int = Field(description="1-10 个工作日（第十四条）")
    reason: Text


class ReplyIn(In):
    handler_name: ShortText
    handled_at: When = Field(description="办理时间：带时区的字符串，不早于转派、不晚于当前")
    process: Text
    result: Text
    contact_note: Text
    contacted: Bool = Field(description="是否已联系服务对象（第十五条），必填")


class FollowUpIn(In):
    reached: Bool
    satisfaction: Satisfaction | None = Field(None, description="五级满意度，联系上服务对象时必填（第十七条）")
    solved: Bool | None = Field(None, description="问题是否已解决，联系上服务对象时必填")
    unit_contacted: Bool | None = Field(
        None, description="承办单位是否联系过服务对象，联系上服务对象时必填，不设默认值（第十七条）")
    unit_contact_method: UnitContactMethod | None = Field(None, description="承办单位联系过时必填")
    fault: Fault | None = Field(None, description="不满意时必填；承办单位原因的即发回重办（第十七条）")
    note: Text = ""


class NoteIn(In):
    note: Text = ""


class MergeIn(In):
    into: Code = Field(description="原工单编号")
    note: Text = ""


class HandDownIn(In):
    platform: Code
    note: Text = ""


class PassUpIn(In):
    reason: Text


class HandOffIn(In):
    line: EmergencyLine
    summary: Text


class ContactAttemptIn(In):
    method: Literal["call", "sms"]
    reached: Bool = False
    note: ShortText = ""


class ArrivalIn(In):
    remote: Bool = False
    note: Text = ""
