"""The world the permission crawl and the canary scan walk: one ticket per scope, a client per role, every URL.

Scopes are seen from unit A (the unit of `unit_handler` and `unit_manager`): `own` is led by unit A, `assisting` is
led by unit B with unit A assisting, `other` is led by unit B with unit C assisting, `unassigned` is not dispatched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from hotline.api import tokens
from hotline.directory.choices import PlatformKind
from hotline.directory.models import Platform, Staff, root_platform_id
from hotline.knowledge.models import Article
from hotline.privacy import matrix
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.base import PersonaMixin

SCOPES = ("own", "assisting", "other", "unassigned")
ROLES = matrix.ROLES
PERSONA = {"unit_handler": "unit_a_handler", "unit_manager": "unit_a_manager"}


@dataclass(frozen=True)
class Route:
    """One URL pattern of the resolver: its full name, its pattern text and the keyword arguments it takes."""

    name: str
    pattern: str
    kwargs: tuple[str, ...]


def routes() -> list[Route]:
    """Every URL pattern of the project, found by walking the resolver (a new URL shows up here by itself)."""
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                text = prefix + str(entry.pattern)
                kwargs = tuple(entry.pattern.regex.groupindex)
                found.append(Route(namespace + (entry.name or text), text, kwargs))

    walk(get_resolver().url_patterns, "", "")
    return found


def fill(pattern: str, values: dict[str, str]) -> str:
    """The concrete path of `pattern` with each keyword argument replaced by its value."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m.group(1), "1"), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


class World(PersonaMixin):
    """Tickets in every scope, an article of unit A, logged-in clients and API tokens for every role."""

    tickets: dict[str, Ticket]

    def build_world(self, **requester: str) -> None:
        """Create the scope tickets (with `requester` as their requester when given)."""
        person = requester or {"name": "张三", "phone": "13987654321"}
        own = self.new_ticket(requester=dict(person))
        workflow.dispatch(own, by=self.dispatcher, lead_unit=self.unit_a)
        workflow.sign(own, by=self.unit_a_handler)
        assisting = self.new_ticket(requester=dict(person))
        workflow.dispatch(assisting, by=self.dispatcher, lead_unit=self.unit_b, assisting_units=[self.unit_a])
        other = self.new_ticket(requester=dict(person))
        workflow.dispatch(other, by=self.dispatcher, lead_unit=self.unit_b, assisting_units=[self.unit_c])
        unassigned = self.new_ticket(requester=dict(person))
        self.tickets = {"own": own, "assisting": assisting, "other": other, "unassigned": unassigned}
        # A county sub-centre's desk (Art. 30): the `county_*` roles, holding none of the tickets above.
        county = Platform.objects.create(code="xinshao", name="新邵县12345分中心", kind=PlatformKind.COUNTY,
                                         parent_id=root_platform_id())
        for role in matrix.HOTLINE:
            setattr(self, f"county_{role}", Staff.objects.create_user(
                username=f"{role}-xinshao", password="Persona-Pass-2026", role=role, platform=county,
                display_name=f"新邵县{role}"))
        now = timezone.now()
        self.article = Article.objects.create(title="路灯报修口径", answer="拨打12345登记", owner_unit=self.unit_a,
                                              created_by=self.unit_a_handler, created_at=now, updated_at=now)

    def staff_for(self, role: str) -> Staff | None:
        """The persona playing `role` (unit roles are unit A's), None for anonymous."""
        if role == "anonymous":
            return None
        return getattr(self, PERSONA.get(role, role))  # type: ignore[no-any-return]

    def client_for(self, role: str) -> Client:
        """A browser session logged in as `role` (or anonymous)."""
        client = Client()
        user = self.staff_for(role)
        if user is not None:
            client.force_login(user)
        return client

    def api_headers(self, role: str) -> dict[str, str]:
        """The bearer header for `role`'s fresh API token (none for anonymous)."""
        user = self.staff_for(role)
        if user is None:
            return {}
        token, _ = tokens.issue(user)
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def path_values(self, scope: str) -> dict[str, str]:
        """Values for every URL keyword argument, the ticket ones taken from `scope`."""
        number = self.tickets[scope].number
        return {"number": number, "pk": str(self.article.pk), "verb": "sign", "action": "publish",
                "code": "0101", "request_id": number, "token": "unknown-token", "key": "unknown",
                "object_id": "1", "app_label": "tickets", "content_type_id": "1", "url": "x"}


def scoped(route: Route) -> bool:
    """Whether a route names a ticket, so it is crawled once per scope."""
    return "number" in route.kwargs or "request_id" in route.kwargs


def crawl_scopes(route: Route) -> Iterator[str]:
    """The scopes a route is crawled in: every scope for ticket routes, one otherwise."""
    yield from (SCOPES if scoped(route) else ("own",))


@dataclass(frozen=True)
class Operation:
    """One API operation of the OpenAPI document: its method and templated path."""

    method: str
    path: str

    @property
    def key(self) -> str:
        """How the matrix names it: `POST /api/v1/tickets/{number}/sign`."""
        return f"{self.method} {self.path}"


def operations() -> list[Operation]:
    """Every operation the API documents (a new endpoint shows up here by itself)."""
    from hotline.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return [Operation(method.upper(), path) for path, methods in schema["paths"].items()
            for method in methods if method in ("get", "post", "put", "patch", "delete")]
