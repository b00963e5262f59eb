"""The role matrix is enforced: every URL pattern and every API operation, as every role, in every ticket scope,
answers what hotline/privacy/matrix.py (and docs/roles.md) says; a URL or operation without an entry fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

from hotline.privacy import matrix
from tests.base import HotlineTestCase
from tests.security.world import ROLES, SCOPES, World, fill, operations, routes

ROLES_DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def probe(client: Client, method: str, path: str, headers: dict[str, Any]) -> Any:
    """A harmless request: GET, or the method with an empty JSON body / empty form."""
    if method == "GET":
        return client.get(path, **headers)
    if path.startswith("/api/"):
        return client.generic(method, path, "{}", content_type="application/json", **headers)
    return client.generic(method, path, "", content_type="application/x-www-form-urlencoded", **headers)


class TestPermissionMatrix(World, HotlineTestCase):
    """Crawls the whole URL map and the OpenAPI document."""

    def setUp(self) -> None:
        self.build_world()
        self.clients = {role: self.client_for(role) for role in ROLES}

    def api_routes(self) -> set[str]:
        """URL names of the API that are crawled as operations (their patterns match a documented path)."""
        paths = {op.path for op in operations()}
        return {r.name for r in routes() if r.name.startswith("api:")
                and "/" + r.pattern.replace("<number>", "{number}") in paths}

    def test_it_has_an_entry_for_every_url_and_api_operation(self) -> None:
        covered = self.api_routes()
        missing = [r.name for r in routes() if r.name not in covered and matrix.lookup("url", r.name) is None]
        missing += [op.key for op in operations() if matrix.lookup("api", op.key) is None]
        assert missing == [], f"add these to hotline/privacy/matrix.py and docs/roles.md: {missing}"

    def test_it_answers_every_role_as_the_matrix_says(self) -> None:
        checks, mismatches = 0, []
        covered = self.api_routes()
        for route in routes():
            row = matrix.lookup("url", route.name)
            if route.name in covered or row is None:
                continue  # missing entries fail the test above
            for scope in SCOPES if row.scoped else ("own",):
                path = fill(route.pattern, self.path_values(scope))
                for role in ROLES:
                    got = probe(self.clients[role], row.method, path, {}).status_code
                    checks += 1
                    if got != row.expected(role, scope):
                        mismatches.append(f"{route.name} {row.method} {path} as {role}: {got}, "
                                          f"matrix says {row.expected(role, scope)}")
        for op in operations():
            row = matrix.lookup("api", op.key)
            if row is None:
                continue
            for scope in SCOPES if "{number}" in op.path else ("own",):
                path = op.path.replace("{number}", self.tickets[scope].number)
                for role in ROLES:
                    got = probe(self.clients["anonymous"], op.method, path, self.api_headers(role)).status_code
                    checks += 1
                    if got != row.expected(role, scope):
                        mismatches.append(f"{op.key} {path} as {role}: {got}, matrix says {row.expected(role, scope)}")
        print(f"\npermission matrix: {checks} checks, {len(mismatches)} mismatches")
        assert mismatches == [], "\n".join(mismatches)
        assert checks > 1000, "the crawl must reach every URL and operation"


def test_it_keeps_docs_roles_md_rendered_from_the_matrix() -> None:
    text = ROLES_DOC.read_text(encoding="utf-8")
    assert matrix.render_markdown() in text, "regenerate docs/roles.md: python -m hotline.privacy.matrix"
