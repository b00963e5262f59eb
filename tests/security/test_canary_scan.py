"""Canary scan: distinctive personal values seeded on tickets of every scope (and a confidential one) never appear
unmasked in any page, HTMX fragment, API response or export that unit staff — lead, assisting or other unit — can
reach, nor on the public portal and Open311 pages of a confidential ticket (Art. 23)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.test import Client
from django.utils import timezone

from hotline.channels import services
from hotline.channels.models import Tracking
from hotline.directory.models import Topic
from hotline.duty import rosters
from hotline.privacy import matrix
from hotline.tickets import workflow
from tests.base import HotlineTestCase
from tests.duty.support import full_month
from tests.security.test_permission_matrix import probe
from tests.security.world import World, fill, operations, routes

PERSON = {"name": "欧阳金丝雀", "phone": "15873920461", "id_number": "430502198807164219",
          "address": "双清区金丝雀巷17号402室", "ip": "203.0.113.77"}
SECRET = {"name": "司马百灵", "phone": "13698765432", "id_number": "430503200001019876",
          "address": "北塔区画眉街9号", "ip": "198.51.100.23"}
DUTY_PHONE = "15873920999"
# Who is scanned: unit A leads `own` and assists `assisting`; B leads `assisting` and `other`; C assists `other`.
UNIT_STAFF = ("unit_a_handler", "unit_a_manager", "unit_b_handler", "unit_c_handler")


class TestCanaryScan(World, HotlineTestCase):
    """Renders everything unit staff can reach and counts unmasked canaries."""

    def setUp(self) -> None:
        self.build_world(**PERSON)
        confidential = workflow.create_ticket(
            by=self.operator, channel="phone", request_type="complaint", content="楼下夜间施工噪音",
            address="双清区滨江路", topic=Topic.objects.get(code="0103"), requester=dict(SECRET))
        workflow.dispatch(confidential, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])
        self.tickets["confidential"] = confidential
        # Art. 20, 27: a 24-hour unit's duty phones are personal data too; unit A's roster covers this month.
        month = timezone.localdate().replace(day=1)
        rosters.submit(by=self.manager, unit=self.unit_a, month=month,
                       shifts=[replace(s, phone=DUTY_PHONE) for s in full_month(month)])
        self.responses = 0
        self.found: list[str] = []

    def needles(self) -> list[str]:
        return [*PERSON.values(), *SECRET.values(), DUTY_PHONE]

    def scan(self, label: str, body: bytes) -> None:
        self.responses += 1
        for needle in self.needles():
            if needle.encode() in body:
                self.found.append(f"{needle} in {label}")

    def scan_pages(self, who: str, client: Client) -> None:
        for route in routes():
            row = matrix.lookup("url", route.name)
            if route.name.startswith("admin:") or row is None or route.name == "web:logout":
                continue
            scopes = tuple(self.tickets) if row.scoped else ("own",)
            if route.name == "web:ticket_contact":
                # The lead unit's deliberate, logged reveal for contacting the requester (docs/regulation.md I30,
                # tests/web/test_unit_contacts_requester.py); it must still reveal nothing of a confidential ticket.
                scopes = ("confidential",)
            for scope in scopes:
                path = fill(route.pattern, self.path_values(scope))
                self.scan(f"{who} {row.method} {path}", probe(client, row.method, path, {}).content)
                if row.method == "GET":  # the HTMX fragment of the same page
                    self.scan(f"{who} htmx {path}", client.get(path, HTTP_HX_REQUEST="true").content)

    def scan_api(self, who: str) -> None:
        headers: dict[str, Any] = self.api_headers(who)
        for op in operations():
            if op.key == "DELETE /api/v1/auth/token":
                continue  # would end this token's session; it answers 204 without a body
            row = matrix.lookup("api", op.key)
            method = row.method if row else op.method
            for scope in self.tickets if "{number}" in op.path else ("own",):
                path = op.path.replace("{number}", self.tickets[scope].number)
                self.scan(f"{who} {method} {path}", probe(Client(), method, path, headers).content)

    def path_values(self, scope: str) -> dict[str, str]:
        values = super().path_values(scope)
        tracking = Tracking.objects.filter(ticket=self.tickets[scope]).first()
        if tracking is not None:
            values.update(request_id=tracking.token, token=tracking.token)
        return values

    def scan_public_pages(self) -> None:
        ticket = self.tickets["confidential"]
        code = services.issue_tracking(ticket)
        citizen = Client()
        tracked = citizen.post("/portal/track/", {"number": ticket.number, "code": code})
        assert tracked.status_code == 302, "the citizen's own query code must open the status page"
        self.scan("portal status", citizen.get(f"/portal/track/{ticket.number}/").content)
        token = Tracking.objects.get(ticket=ticket).token
        for path in ("/open311/v2/requests.json", f"/open311/v2/requests/{token}.json",
                     f"/open311/v2/tokens/{token}.json"):
            self.scan(f"public {path}", citizen.get(path).content)

    def test_it_shows_unit_staff_and_the_public_0_unmasked_canaries(self) -> None:
        for who in UNIT_STAFF:
            self.scan_pages(who, self.client_for(who))
            self.scan_api(who)
        self.scan_public_pages()
        print(f"\ncanary scan: {self.responses} responses, {len(self.found)} unmasked")
        assert self.responses > 500
        assert self.found == [], "\n".join(self.found)

    def test_it_shows_a_county_desk_0_canaries_of_the_citys_tickets(self) -> None:
        # Art. 30: a county sub-centre's desk holds none of these tickets; nothing of their requesters reaches it,
        # though its manager and operator would see a requester in full on a ticket of their own platform.
        for who in ("county_manager", "county_operator"):
            self.scan_pages(who, self.client_for(who))
            self.scan_api(who)
        print(f"\ncanary scan (county desk): {self.responses} responses, {len(self.found)} unmasked")
        assert self.responses > 500
        assert self.found == [], "\n".join(self.found)

    def test_it_would_see_a_canary_that_is_shown(self) -> None:
        # The scan must be able to fail: the hotline's manager sees the full phone on the ticket page.
        client = self.client_for("manager")
        body = client.get(f"/tickets/{self.tickets['own'].number}/").content
        self.scan("manager ticket page", body)
        assert self.found, "a hotline manager's ticket page shows the requester in full; the scan must notice"
