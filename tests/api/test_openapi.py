"""GET /api/v1/openapi.json documents every endpoint and the bearer scheme."""

from __future__ import annotations

from tests.api.base import PREFIX, VALID_BODIES, ApiTestCase


class TestOpenApi(ApiTestCase):
    def test_it_serves_the_document_without_a_token(self):
        response = self.client.get(f"{PREFIX}/openapi.json")
        assert response.status_code == 200
        assert response.json()["openapi"].startswith("3.")

    def test_it_lists_every_transition_verb_as_a_post(self):
        paths = self.client.get(f"{PREFIX}/openapi.json").json()["paths"]
        verbs = ["decline", "answer", "consult", "dispatch", "sign", "return", "return-review", "extension",
                 "extension-review", "reply", "reply-review", "follow-up", "rework", "merge", "hand-off",
                 "contact-attempt", "arrival"]
        assert sorted(verbs) == sorted(VALID_BODIES)
        for verb in verbs:
            assert "post" in paths[f"{PREFIX}/tickets/{{number}}/{verb}"], verb

    def test_it_lists_the_resource_endpoints(self):
        paths = self.client.get(f"{PREFIX}/openapi.json").json()["paths"]
        assert {"post", "delete"} <= set(paths[f"{PREFIX}/auth/token"])
        assert {"get", "post"} <= set(paths[f"{PREFIX}/tickets"])
        assert "get" in paths[f"{PREFIX}/tickets/{{number}}"]
        assert "get" in paths[f"{PREFIX}/tickets/{{number}}/events"]
        assert "get" in paths[f"{PREFIX}/calendar/deadline"]

    def test_it_documents_both_bodies_of_the_return_verb(self):
        post = self.client.get(f"{PREFIX}/openapi.json").json()["paths"][f"{PREFIX}/tickets/{{number}}/return"]["post"]
        content = post["requestBody"]["content"]
        assert set(content) == {"application/json", "multipart/form-data"}
        assert content["multipart/form-data"]["schema"]["properties"]["photos"]["items"]["format"] == "binary"

    def test_it_declares_bearer_authentication(self):
        document = self.client.get(f"{PREFIX}/openapi.json").json()
        schemes = document["components"]["securitySchemes"]
        assert [scheme["scheme"] for scheme in schemes.values()] == ["bearer"]
