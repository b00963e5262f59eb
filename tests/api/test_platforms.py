"""GET /platforms and the platform codes on tickets: the API within the caller's platform (Art. 30)."""

from tests.api.base import ApiTestCase
from tests.platforms import PlatformsTestCase


class PlatformsApiTestCase(ApiTestCase, PlatformsTestCase):
    pass


class TestListPlatforms(PlatformsApiTestCase):
    def test_it_lists_every_platform_to_the_city_with_parents_and_kinds(self):
        response = self.get("/platforms", as_=self.operator)
        assert response.status_code == 200
        assert response.json() == [
            {"code": "city", "name": self.city.name, "parent": None, "kind": "city"},
            {"code": "shuangqing", "name": "双清区12345分中心", "parent": "city", "kind": "county"},
            {"code": "xinshao", "name": "新邵县12345分中心", "parent": "city", "kind": "county"},
        ]

    def test_it_lists_a_countys_own_platform_to_its_desk(self):
        assert [p["code"] for p in self.get("/platforms", as_=self.dispatcher_sq).json()] == ["shuangqing"]

    def test_it_lists_a_units_platform_to_its_staff(self):
        assert [p["code"] for p in self.get("/platforms", as_=self.xs_handler).json()] == ["xinshao"]

    def test_it_asks_for_a_token(self):
        self.assert_error(self.get("/platforms", as_=None), 401, "unauthenticated")


class TestTicketsCarryPlatforms(PlatformsApiTestCase):
    def setUp(self):
        self.at_sq = self.county_ticket(self.operator_sq)
        self.at_xs = self.county_ticket(self.operator_xs)
        self.at_city = self.new_ticket()

    def test_it_lists_only_the_countys_tickets_with_their_platform(self):
        body = self.get("/tickets", as_=self.operator_sq).json()
        assert [(i["number"], i["platform"], i["received_by"]) for i in body["items"]] == [
            (self.at_sq.number, "shuangqing", "shuangqing")]
        assert body["total"] == 1

    def test_it_lists_every_platforms_tickets_to_the_city(self):
        body = self.get("/tickets", as_=self.operator).json()
        assert {(i["number"], i["platform"]) for i in body["items"]} == {
            (self.at_sq.number, "shuangqing"), (self.at_xs.number, "xinshao"), (self.at_city.number, "city")}

    def test_it_answers_404_for_another_platforms_ticket(self):
        self.assert_error(self.get(f"/tickets/{self.at_xs.number}", as_=self.operator_sq), 404, "ticket_not_found")
        self.assert_error(self.get(f"/tickets/{self.at_city.number}", as_=self.operator_sq), 404, "ticket_not_found")
        assert self.get(f"/tickets/{self.at_xs.number}", as_=self.operator).json()["platform"] == "xinshao"

    def test_it_refuses_a_countys_dispatch_to_a_city_unit(self):
        response = self.verb(self.at_sq.number, "dispatch", {"lead_unit": "cgzf"}, as_=self.dispatcher_sq)
        self.assert_error(response, 400, "unit_not_on_platform", field="lead_unit")

    def test_it_describes_platforms_in_the_openapi_document(self):
        schemas = self.client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        assert {"code", "name", "parent", "kind"} <= set(schemas["PlatformOut"]["properties"])
        assert {"platform", "received_by"} <= set(schemas["TicketOut"]["required"])
