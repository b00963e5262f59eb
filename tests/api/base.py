"""An API test case: the personas of tests.base plus helpers that call /api/v1/ with a bearer token."""

from __future__ import annotations

from typing import Any

import time_machine
from django.test.client import Client

from hotline.api import tokens
from hotline.directory.models import Staff
from tests.base import HotlineTestCase, local

PREFIX = "/api/v1"
MONDAY = local(2026, 3, 2, 9)  # an ordinary working Monday, no holiday within two weeks

# A body each verb accepts, for checks that run over every verb (404s, the OpenAPI document).
VALID_BODIES: dict[str, dict[str, Any]] = {
    "decline": {"reason_code": "9", "explanation": "骚扰电话，已告知"},
    "answer": {"text": "可登录住房公积金网上服务大厅办理"},
    "consult": {"unit": "zjj"},
    "dispatch": {"lead_unit": "cgzf"},
    "sign": {},
    "return": {"kind": "desk", "reason": "不属本单位职责", "basis": "机构职能规定", "suggested_unit": "zjj"},
    "return-review": {"approve": True},
    "extension": {"working_days": 3, "reason": "需协调多个部门"},
    "extension-review": {"approve": True},
    "reply": {"handler_name": "李工", "handled_at": "2026-03-02T10:00:00+08:00", "process": "现场更换灯具",
              "result": "路灯已修复", "contact_note": "电话告知服务对象", "contacted": True},
    "reply-review": {"approve": True},
    "follow-up": {"reached": True, "satisfaction": "5", "solved": True, "unit_contacted": True,
                  "unit_contact_method": "phone"},
    "rework": {"note": "服务对象反映问题未解决"},
    "merge": {"into": "20260302000001"},
    "hand-off": {"line": "110", "summary": "有人持刀闹事"},
    "contact-attempt": {"method": "call", "reached": False},
    "arrival": {"remote": False},
}


class ApiTestCase(HotlineTestCase):
    """Requests as a persona: `self.get("/tickets", as_=self.operator)`; `as_=None` sends no token."""

    client: Client

    def freeze(self, when: Any = MONDAY) -> time_machine.Traveller:
        """Stop the clock at `when` for the rest of the test (deadlines are asserted exactly)."""
        traveller = time_machine.travel(when, tick=False)
        coordinates = traveller.start()
        self.addCleanup(traveller.stop)
        return coordinates

    def headers(self, user: Staff | None) -> dict[str, str]:
        if user is None:
            return {}
        token, _expires = tokens.issue(user)
        return {"Authorization": f"Bearer {token}"}

    def get(self, path: str, *, as_: Staff | None, **params: Any) -> Any:
        return self.client.get(PREFIX + path, params, headers=self.headers(as_))

    def post(self, path: str, body: Any = None, *, as_: Staff | None) -> Any:
        return self.client.post(PREFIX + path, body if body is not None else {}, content_type="application/json",
                                headers=self.headers(as_))

    def verb(self, number: str, verb: str, body: Any = None, *, as_: Staff | None) -> Any:
        return self.post(f"/tickets/{number}/{verb}", body, as_=as_)

    def assert_error(self, response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
        """The response is the one error shape with this status, code and (if given) field."""
        assert response.status_code == status, (response.status_code, response.content.decode())
        body = response.json()
        assert body["code"] == code, body
        assert body["message"]
        if field is not None:
            assert body.get("field") == field, body
        return body
