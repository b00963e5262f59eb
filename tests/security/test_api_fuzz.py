"""Schemathesis over /api/v1/openapi.json against Django's test server: generated requests to every operation,
with and without a token, never get a server error (STYLE 8: nothing a client sends ends in a 500). Beside the
generated ones, every operation gets the inputs that once did end in a 500: a deeply nested JSON body and dates
in year 1 and 9999, sent by the staff who reach the code behind the schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from hotline.api import tokens
from hotline.directory.choices import Role
from hotline.directory.models import Staff
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.api.base import VALID_BODIES
from tests.base import make_directory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api_schema(live_server: Any) -> Any:
    """The served OpenAPI document, loaded from the running test server."""
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


@pytest.fixture
def dispatcher(live_server: Any) -> Staff:
    """A hotline role that reaches every operation past the permission checks."""
    return Staff.objects.create_user(username="fuzz-dispatcher", password="Fuzz-Pass-2026", role=Role.DISPATCHER)


def bearer(staff: Staff) -> dict[str, str]:
    """A fresh token per call: the generated DELETE /auth/token revokes the one it is sent with."""
    token, _ = tokens.issue(staff)
    return {"Authorization": f"Bearer {token}"}


# schemathesis's pytest plugin does not run under this pytest; each operation's strategy is driven by Hypothesis here.
MAX_EXAMPLES = 8


def test_it_never_answers_a_server_error(api_schema: Any, dispatcher: Staff) -> None:
    failures: list[str] = []
    calls = 0
    statuses_seen: set[int] = set()
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case: Any) -> None:
            nonlocal calls
            for headers in (bearer(dispatcher), {}):
                response = case.call(headers=headers)
                calls += 1
                statuses_seen.add(response.status_code)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path}: {response.status_code} "
                                    f"{response.text[:200]}")

        run()
    statuses = sorted(statuses_seen)
    print(f"\nschemathesis: {calls} calls to {len(list(api_schema.get_all_operations()))} operations, "
          f"{len(failures)} server errors; statuses {statuses}")
    assert calls > 100 and {200, 400, 401, 404} <= statuses_seen, "the fuzz must get past authentication"
    assert failures == []


DEEP = "[" * 100_000 + "]" * 100_000  # past the JSON parser's recursion limit
EDGE_DATES = ("0001-01-01", "9999-12-31", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00")


@pytest.fixture
def world(live_server: Any) -> dict[str, Any]:
    """A ticket signed by unit A, so the unit's verbs get past role and state checks to their input."""
    people = make_directory()
    ticket = workflow.create_ticket(by=people["operator"], channel="phone", request_type="complaint",
                                    content="小区门口路灯不亮")
    workflow.dispatch(ticket, by=people["dispatcher"], lead_unit=people["unit_a"])
    workflow.sign(ticket, by=people["unit_a_handler"])
    return {**people, "ticket": ticket}


def _is_date(schema: dict[str, Any]) -> bool:
    options = [schema, *schema.get("anyOf", [])]
    return any(option.get("format") in ("date", "date-time") for option in options)


def edge_cases(operation: Any, ticket: Ticket) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(case, extra request arguments) for the nested body and the year-1 and year-9999 dates of one operation."""
    definition = operation.definition.raw
    # Every path parameter gets a value: the ticket's number, or "1" for another record's id.
    path_parameters = {name: ticket.number if name == "number" else "1"
                       for name in re.findall(r"{(\w+)}", operation.path)}
    if "application/json" in definition.get("requestBody", {}).get("content", {}):
        yield operation.Case(path_parameters=path_parameters, media_type="application/json"), {
            "data": DEEP.encode(), "headers": {"Content-Type": "application/json"}}
    for parameter in definition.get("parameters", []):
        if parameter["in"] == "query" and (parameter["name"] == "start" or _is_date(parameter.get("schema", {}))):
            for value in EDGE_DATES:
                yield operation.Case(path_parameters=path_parameters, query={parameter["name"]: value}), {}
    verb = operation.path.rpartition("/")[2]
    for field in VALID_BODIES.get(verb, {}):
        if field.endswith("_at"):
            for edge in EDGE_DATES[2:]:
                body = {**VALID_BODIES[verb], field: edge}
                yield operation.Case(path_parameters=path_parameters, body=body, media_type="application/json"), {}


SIGNED_PATHS = ("/exchange/orders", "/exchange/sub-centres/tickets", "/exchange/reports")


def test_it_refuses_nested_bodies_and_out_of_range_dates_without_a_server_error(api_schema: Any,
                                                                                world: dict[str, Any]) -> None:
    failures: list[str] = []
    calls = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for case, extra in edge_cases(operation, world["ticket"]):
            for who in ("dispatcher", "unit_a_handler"):
                extra_headers = dict(extra.get("headers", {}))
                response = case.call(headers={**bearer(world[who]), **extra_headers},
                                     **{k: v for k, v in extra.items() if k != "headers"})
                calls += 1
                # Partners' signed requests are refused as unsigned (401) before their body is read.
                signed = operation.path.endswith(SIGNED_PATHS) and response.status_code == 401
                if response.status_code != 400 and response.status_code not in (403, 404, 409) and not signed:
                    failures.append(f"{case.method} {case.formatted_path} {case.query} as {who}: "
                                    f"{response.status_code} {response.text[:200]}")
    print(f"\nschemathesis edge cases: {calls} calls, {len(failures)} unexpected answers")
    assert calls > 50
    assert failures == []
