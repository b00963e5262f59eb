"""Schemathesis over /api/v1/openapi.json against Django's test server: generated requests to every operation,
with and without a token, never get a server error (STYLE 8: nothing a client sends ends in a 500)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from hotline.api import tokens
from hotline.directory.choices import Role
from hotline.directory.models import Staff

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
