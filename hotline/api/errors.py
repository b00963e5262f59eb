"""Every API error becomes one JSON shape in this one place (STYLE 8): {"code", "message", "field"?, "details"?}.

Domain errors carry their own status and code; ninja's and pydantic's validation errors become 400 `invalid_input`
with a Chinese message per field; a missing or bad token is 401 `unauthenticated`. Nothing a client sends may end
in an HTML 500 page: unknown codes and malformed bodies are 400, and an unforeseen fault is a logged JSON 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pydantic
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from hotline.lib import outage
from hotline.lib.errors import DomainError
from hotline.privacy.security import record_denial

log = logging.getLogger(__name__)

# Where ninja says a value came from; the first element of `loc`, dropped from the field name.
_SOURCES = frozenset({"body", "query", "path", "form", "file", "header", "cookie"})

# Chinese messages for pydantic's error types; anything unlisted falls back to a generic message.
_MESSAGES: dict[str, str] = {
    "missing": "此项为必填",
    "string_type": "须为字符串",
    "string_too_short": "不能为空",
    "string_too_long": "不能超过{max_length}个字",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "datetime_type": "须为 ISO 8601 日期时间，如 2026-02-13T10:00:00+08:00",
    "datetime_parsing": "须为 ISO 8601 日期时间，如 2026-02-13T10:00:00+08:00",
    "datetime_from_date_parsing": "须为 ISO 8601 日期时间，如 2026-02-13T10:00:00+08:00",
    "timezone_aware": "须带时区偏移，如 +08:00",
    "date_type": "须为日期，如 2026-02-13",
    "date_parsing": "须为日期，如 2026-02-13",
    "date_from_datetime_parsing": "须为日期，如 2026-02-13",
    "date_from_datetime_inexact": "须为日期，如 2026-02-13",
    "greater_than": "须大于{gt}",
    "greater_than_equal": "不能小于{ge}",
    "less_than": "须小于{lt}",
    "less_than_equal": "不能大于{le}",
    "enum": "须为以下之一：{expected}",
    "literal_error": "须为以下之一：{expected}",
    "list_type": "须为列表",
    "too_long": "最多{max_length}项",
    "dict_type": "须为 JSON 对象",
    "model_type": "须为 JSON 对象",
    "model_attributes_type": "须为 JSON 对象",
    "extra_forbidden": "不支持此字段",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one error shape; `extra` adds `field`, `details` or `errors` when they say something."""
    body: dict[str, Any] = {"code": code, "message": message}
    body.update({key: value for key, value in extra.items() if value})
    return body


def _field_message(error: dict[str, Any]) -> dict[str, str]:
    # Union members add their tag to `loc` (`str-enum[Satisfaction]`); field names never contain brackets.
    loc = [str(part) for part in error.get("loc", ()) if "[" not in str(part)]
    if loc and loc[0] in _SOURCES:
        loc = loc[1:]
    # A body schema sits under its parameter name (`payload`); the client never sees that name.
    if error.get("_body_param") and loc:
        loc = loc[1:]
    ctx = error.get("ctx") or {}
    if error.get("type") == "value_error" and "error" in ctx:
        message = str(ctx["error"])  # our own validators raise ValueError with a Chinese message
    else:
        template = _MESSAGES.get(str(error.get("type")), "格式不正确")
        ctx = {key: str(value).replace(" or ", ", ") for key, value in ctx.items()}
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = template
    return {"field": ".".join(loc), "message": message}


def invalid_input_response(api: NinjaAPI, request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    """400 `invalid_input` listing each field and its Chinese message."""
    items: list[dict[str, str]] = []
    for error in errors:  # one message per field: a union reports each member's complaint
        item = _field_message(error)
        if all(item["field"] != seen["field"] for seen in items):
            items.append(item)
    first = items[0] if items else {"field": "", "message": "请求参数不正确"}
    message = f"{first['field']}：{first['message']}" if first["field"] else first["message"]
    body = error_body("invalid_input", f"请求参数不正确（{message}）", field=first["field"], errors=items)
    return api.create_response(request, body, status=400)


def _deny(request: HttpRequest, code: str) -> None:
    """Record a denial as a security event; the API's user is `request.auth`, not the session's user."""
    user = getattr(request, "auth", None)
    holder = user if getattr(user, "is_authenticated", False) else None
    record_denial(request, what=f"{request.path} {code}", user=holder)


def install(api: NinjaAPI) -> None:
    """Register every handler on `api`; the routers themselves never build an error response."""

    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if exc.status in (403, 404):  # invisible or forbidden: who probed what is audited (GB/T 22239)
            _deny(request, exc.code)
        return api.create_response(request, exc.as_dict(), status=exc.status)

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [dict(error, _body_param=error.get("loc", ("",))[0] == "body") for error in exc.errors]
        return invalid_input_response(api, request, errors)

    def pydantic_validation(request: HttpRequest, exc: pydantic.ValidationError) -> HttpResponse:
        return invalid_input_response(api, request, [dict(e) for e in exc.errors(include_url=False)])

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = error_body("unauthenticated", "未登录或令牌无效、已过期，请先获取令牌（POST /api/v1/auth/token）")
        response = api.create_response(request, body, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="hotline"'
        return response

    def forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        _deny(request, "forbidden")
        return api.create_response(request, error_body("forbidden", "无权执行此操作"), status=403)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja's only 400: a body that is not JSON
            body = error_body("malformed_body", "请求体不是有效的 JSON")
        elif isinstance(exc, Throttled):
            body = error_body("throttled", "请求过于频繁，请稍后再试")
        else:
            body = error_body(f"http_{exc.status_code}", str(exc.message))
        return api.create_response(request, body, status=exc.status_code)

    def unknown_reference(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        # Routers look codes up with a field-naming helper; this is the backstop for any lookup that was missed.
        return api.create_response(request, error_body("unknown_reference", "引用的对象不存在"), status=400)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        _deny(request, "not_found")
        return api.create_response(request, error_body("not_found", "资源不存在"), status=404)

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if outage.is_outage(exc):  # the database is away, read-only or full: 503/507, saying whether it was saved
            log.warning("API %s %s: database unavailable: %s", request.method, request.path, exc)
            return outage.outage_for(request, exc)
        log.exception("API error on %s %s", request.method, request.path)
        return api.create_response(request, error_body("internal_error", "服务器内部错误，已记录，请稍后再试"),
                                   status=500)

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (DomainError, domain), (ValidationError, validation), (pydantic.ValidationError, pydantic_validation),
        (AuthenticationError, unauthenticated), (AuthorizationError, forbidden), (HttpError, http_error),
        (ObjectDoesNotExist, unknown_reference), (Http404, not_found), (Exception, unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
