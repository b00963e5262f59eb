"""Open311 GeoReport v2 at /open311/v2/: topics as services, tickets as service requests.

Every resource is served as `.xml` (the format the specification requires of every endpoint) and as `.json` (its
optional one), errors included, in the shapes of the specification: `<services><service>`, `<service_definition>`,
`<service_requests><request>`, `<errors><error>`. The views build one Python value and `_answer` renders it.

Personal fields (name, phone, e-mail, device id) are accepted on POST and never returned; confidential tickets
(Art. 23) show neither description nor address. `expected_datetime` is the statutory deadline now running and
`agency_responsible` the lead unit.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from hotline.channels import services
from hotline.channels.models import Tracking
from hotline.deadlines.calendar import FIRST_DAY, LAST_DAY
from hotline.directory.models import Topic
from hotline.lib.errors import DomainError
from hotline.tickets.choices import OPEN_STATUSES, RequestType, Status
from hotline.tickets.models import Ticket

MAX_RESULTS = 1000
DEFAULT_SPAN = dt.timedelta(days=90)  # the spec's default window and largest span


# The element name of each list item in XML, by the name of the list (the specification's shapes).
_ITEM = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
         "values": "value"}


# Characters XML 1.0 cannot carry at all (a control character typed into a description would make the whole
# answer unreadable to every XML parser); they are shown as U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_value(parent: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_value(ET.SubElement(parent, key), item)
    elif isinstance(value, list):
        for item in value:
            _xml_value(ET.SubElement(parent, _ITEM[parent.tag]), item)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    elif value is not None:
        parent.text = _NOT_XML.sub("\ufffd", str(value))


def _answer(fmt: str, root: str, body: Any, status: int = 200) -> HttpResponse:
    """`body` as JSON, or as XML under the element `root` (a list's items named by `_ITEM`)."""
    if fmt == "json":
        return JsonResponse(body, status=status, safe=False)
    element = ET.Element(root)
    _xml_value(element, body)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")
    return HttpResponse(text.encode(), status=status, content_type="application/xml; charset=utf-8")


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _answer(fmt, "errors", [{"code": status, "description": description}], status=status)


def _check_jurisdiction(request: HttpRequest, fmt: str) -> HttpResponse | None:
    """The first check of every view: the request names this jurisdiction, and carries no NUL character (no code,
    id or token has one, and PostgreSQL refuses it in a query)."""
    query = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else ())]
    if "\x00" in request.path or any("\x00" in value for _, values in query for value in values):
        return _error(fmt, 400, "NUL characters are not allowed")
    wanted = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if wanted and wanted != settings.OPEN311_JURISDICTION:
        return _error(fmt, 404, f"jurisdiction_id {wanted} is not served here")
    return None


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _attributes() -> list[dict[str, Any]]:
    return [
        {"variable": True, "code": "request_type", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "诉求类型", "order": 1, "description": "诉求类型（默认：求助）",
         "values": [{"key": value, "name": label} for value, label in RequestType.choices]},
        {"variable": True, "code": "confidential", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "是否要求对个人信息保密", "order": 2, "description": "要求保密（第二十三条）",
         "values": [{"key": "true", "name": "是"}, {"key": "false", "name": "否"}]},
    ]


@require_GET
def services_list(request: HttpRequest, fmt: str = "json") -> HttpResponse:
    """GET services.xml / services.json: every active topic that can be requested."""
    if (err := _check_jurisdiction(request, fmt)) is not None:
        return err
    topics = Topic.objects.filter(is_active=True).select_related("parent").order_by("code")
    body = [{
        "service_code": t.code, "service_name": t.name, "description": " / ".join(t.path_names()),
        "metadata": True, "type": "realtime", "keywords": t.keywords.replace("，", ","),
        "group": t.parent.name if t.parent else t.name,
    } for t in topics]
    return _answer(fmt, "services", body)


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str = "json") -> HttpResponse:
    """GET services/{service_code}.xml / .json: the attributes a request of this service may carry."""
    if (err := _check_jurisdiction(request, fmt)) is not None:
        return err
    if not Topic.objects.filter(code=code, is_active=True).exists():
        return _error(fmt, 404, f"service_code {code} not found")
    return _answer(fmt, "service_definition", {"service_code": code, "attributes": _attributes()})


def _status_notes(ticket: Ticket) -> str:
    notes = Status(ticket.status).label
    if ticket.status == Status.MERGED and ticket.merged_into_id:
        notes += f"：并入工单 {Ticket.objects.values_list('number', flat=True).get(pk=ticket.merged_into_id)}"
    return notes


def _expected(ticket: Ticket) -> dt.datetime | None:
    if ticket.status not in OPEN_STATUSES:
        return None
    return ticket.rework_due or ticket.handling_due or ticket.sign_due or ticket.consult_due or ticket.dispatch_due


def _as_request(ticket: Ticket) -> dict[str, Any]:
    hidden = ticket.is_confidential
    return {
        "service_request_id": ticket.number,
        "status": "open" if ticket.status in OPEN_STATUSES else "closed",
        "status_notes": _status_notes(ticket),
        "service_name": ticket.topic.name if ticket.topic else "",
        "service_code": ticket.topic.code if ticket.topic else "",
        "description": "（保密工单，内容不公开）" if hidden else ticket.content,
        "agency_responsible": ticket.lead_unit.name if ticket.lead_unit else "",
        "service_notice": "",
        "requested_datetime": _iso(ticket.created_at),
        "updated_datetime": _iso(ticket.updated_at),
        "expected_datetime": _iso(_expected(ticket)),
        "address": "" if hidden else ticket.address,
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _public() -> QuerySet[Ticket]:
    return Ticket.objects.exclude(status=Status.DECLINED).select_related("topic", "lead_unit")


def _filtered(request: HttpRequest) -> QuerySet[Ticket] | str:
    """The requests the query asks for, or the description of what is wrong with the query."""
    qs = _public()
    ids = request.GET.get("service_request_id")
    if ids:  # the spec: a list of ids overrides every other filter
        return qs.filter(number__in=[i.strip() for i in ids.split(",") if i.strip()])
    now = timezone.now()
    start, end = request.GET.get("start_date"), request.GET.get("end_date")
    start_at = parse_datetime(start) if start else None
    end_at = parse_datetime(end) if end else None
    if (start and (start_at is None or start_at.tzinfo is None)) or (end and (end_at is None or end_at.tzinfo is None)):
        return "start_date and end_date must be ISO 8601 with a time zone"
    # Checked on the dates as sent: year 1 or 9999 overflows once converted to UTC or moved by 90 days.
    if any(moment is not None and not FIRST_DAY <= moment.date() <= LAST_DAY for moment in (start_at, end_at)):
        return f"start_date and end_date must lie between {FIRST_DAY} and {LAST_DAY}"
    end_at = end_at or now
    start_at = start_at or end_at - DEFAULT_SPAN
    if end_at - start_at > DEFAULT_SPAN or end_at < start_at:
        return "the date range must run forwards and span at most 90 days"
    qs = qs.filter(created_at__gte=start_at, created_at__lte=end_at)
    if code := request.GET.get("service_code"):
        qs = qs.filter(topic__code__in=[c.strip() for c in code.split(",")])
    if status := request.GET.get("status"):
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            return "status must be open, closed or both"
        if wanted == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
    return qs


@csrf_exempt
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="30/m", method="POST", block=False)
def requests_collection(request: HttpRequest, fmt: str = "json") -> HttpResponse:
    """GET requests.xml / .json lists service requests with the spec's filters; POST creates one (form-encoded)."""
    if (err := _check_jurisdiction(request, fmt)) is not None:
        return err
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _error(fmt, 429, "too many requests, try again later")
        return _create(request, fmt)
    qs = _filtered(request)
    if isinstance(qs, str):
        return _error(fmt, 400, qs)
    return _answer(fmt, "service_requests", [_as_request(t) for t in qs.order_by("-created_at")[:MAX_RESULTS]])


def _location(data: Any) -> str | None:
    """The place as text: address_string, else `lat,long` (numbers of degrees), else the address_id."""
    if address := data.get("address_string", "").strip():
        return str(address)
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    if lat or long:
        try:
            inside = -90 <= float(lat) <= 90 and -180 <= float(long) <= 180  # false for NaN too
        except ValueError:
            return None
        return f"{lat},{long}" if inside else None
    return data.get("address_id", "").strip() or None


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    try:
        key = services.authenticate_key(data.get("api_key"))
    except DomainError:
        return _error(fmt, 403, "api_key is missing or invalid")
    code = data.get("service_code", "").strip()
    if not code:
        return _error(fmt, 400, "service_code is required")
    if (place := _location(data)) is None:
        return _error(fmt, 400, "a location is required: lat and long (degrees), address_string or address_id")
    description = data.get("description", "").strip()
    if not description:
        return _error(fmt, 400, "description is required")
    confidential = data.get("attribute[confidential]", "")
    if confidential not in ("", "true", "false"):  # the attribute's keys (singlevaluelist); "yes" is not one
        return _error(fmt, 400, "attribute[confidential] must be true or false")
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p).strip()
    payload = {
        "topic": code, "content": description,
        "address": place,
        "request_type": data.get("attribute[request_type]") or RequestType.HELP,
        "is_confidential": confidential == "true",
        "requester": {"name": name, "phone": data.get("phone", "")},
    }
    try:
        ticket = services.submit(key.channel, payload)
    except DomainError as exc:
        return _error(fmt, 404 if exc.code == "unknown_topic" else 400, f"{exc.field or ''} {exc.message}".strip())
    services.issue_tracking(ticket)
    return _answer(fmt, "service_requests", [{
        "service_request_id": ticket.number, "token": ticket.tracking.token,
        "service_notice": f"已受理，转派时限 {_iso(ticket.dispatch_due)}", "account_id": None,
    }])


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str = "json") -> HttpResponse:
    """GET requests/{service_request_id}.xml / .json: one request, as a one-element list."""
    if (err := _check_jurisdiction(request, fmt)) is not None:
        return err
    ticket = _public().filter(number=request_id).first()
    if ticket is None:
        return _error(fmt, 404, f"service_request_id {request_id} not found")
    return _answer(fmt, "service_requests", [_as_request(ticket)])


@require_GET
def token_detail(request: HttpRequest, token: str, fmt: str = "json") -> HttpResponse:
    """GET tokens/{token}.xml / .json: the service request id a token stands for."""
    if (err := _check_jurisdiction(request, fmt)) is not None:
        return err
    tracking = Tracking.objects.select_related("ticket").filter(token=token).first()
    if tracking is None:
        return _error(fmt, 404, f"token {token} not found")
    return _answer(fmt, "service_requests", [{"service_request_id": tracking.ticket.number, "token": token}])

