"""The JSON API (django-ninja): one NinjaAPI, one router per resource, errors mapped in `errors.install`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from hotline.api import errors
from hotline.api.routers import (
    auth,
    calendar,
    deputies,
    duty,
    exchange,
    followups,
    platforms,
    statistics,
    supervision,
    tickets,
    transitions,
)
from hotline.api.security import bearer


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese characters as they are, not `\\uXXXX` escapes: readable in logs and curl."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="12345 政务服务便民热线 API",
    version="1",
    description="工单受理、转派、签收、退回、延期、办结、回访的 JSON 接口；错误格式与代码见 docs/api.md。",
    auth=bearer,
    renderer=ChineseJSONRenderer(),
    urls_namespace="api",
    # ninja serves Swagger UI from its own static files only when it is an installed app; otherwise it would
    # load it from a CDN, which a government intranet cannot reach. Without it the page is simply not offered.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
errors.install(api)
api.add_router("/auth", auth.router)
api.add_router("/calendar", calendar.router)
api.add_router("/tickets", tickets.router)
api.add_router("/tickets", transitions.router)
api.add_router("", statistics.router)
api.add_router("/tickets", followups.tickets_router)
api.add_router("/appeals", followups.appeals_router)
api.add_router("/duty", duty.router)  # Art. 8, 20, 27
api.add_router("/deputies", deputies.router)  # Art. 18
api.add_router("/supervision", supervision.router)
api.add_router("/coordination", supervision.coordination_router)
api.add_router("/exchange", exchange.router)  # Art. 7, 27
api.add_router("/platforms", platforms.router)  # Art. 30
