"""The county desk's screens: queues, list, ticket pages and dispatch choices within its platform (Art. 30)."""

from tests.platforms import PlatformsTestCase


class TestCountyScreens(PlatformsTestCase):
    def setUp(self):
        self.at_sq = self.county_ticket(self.operator_sq, title="双清区受理")
        self.at_xs = self.county_ticket(self.operator_xs, title="新邵县受理")
        self.at_city = self.new_ticket(title="市平台受理")

    def test_it_answers_404_for_ticket_pages_outside_the_county(self):
        self.client.force_login(self.dispatcher_sq)
        assert self.client.get(f"/tickets/{self.at_sq.number}/").status_code == 200
        for other in (self.at_xs, self.at_city):
            assert self.client.get(f"/tickets/{other.number}/").status_code == 404
            response = self.client.post(f"/tickets/{other.number}/dispatch/", {"lead_unit": self.unit_c.pk})
            assert response.status_code == 404

    def test_it_shows_the_city_every_platforms_ticket_pages(self):
        self.client.force_login(self.dispatcher)
        for ticket in (self.at_sq, self.at_xs, self.at_city):
            assert self.client.get(f"/tickets/{ticket.number}/").status_code == 200

    def test_it_queues_only_the_countys_tickets(self):
        self.client.force_login(self.dispatcher_sq)
        rows = self.client.get("/desk/?queue=dispatch").context["rows"]
        assert list(rows) == [self.at_sq]
        self.client.force_login(self.dispatcher)
        assert set(self.client.get("/desk/?queue=dispatch").context["rows"]) == {self.at_sq, self.at_xs,
                                                                                self.at_city}

    def test_the_menu_offers_a_county_desk_no_city_wide_screen(self):
        # Each of these answers 403 to a sub-centre's desk; the menu used to offer them anyway.
        city_only = ('href="/reports/channels/"', 'href="/reports/months/"', 'href="/exchange/', 'href="/supervision/"')
        self.client.force_login(self.dispatcher_sq)
        page = self.client.get("/desk/").content.decode()
        assert not [link for link in city_only if link in page]
        for path in ("/reports/channels/", "/reports/months/", "/exchange/orders/", "/supervision/"):
            assert self.client.get(path).status_code == 403, path
        self.client.force_login(self.dispatcher)
        page = self.client.get("/desk/").content.decode()
        assert all(link in page for link in city_only)

    def test_it_lists_only_the_countys_tickets(self):
        self.client.force_login(self.operator_xs)
        response = self.client.get("/tickets/")
        self.assertContains(response, self.at_xs.number)
        self.assertNotContains(response, self.at_sq.number)
        self.assertNotContains(response, self.at_city.number)

    def test_it_offers_the_county_dispatcher_only_its_units(self):
        self.client.force_login(self.dispatcher_sq)
        response = self.client.get(f"/tickets/{self.at_sq.number}/")
        self.assertContains(response, self.unit_c.name)
        self.assertNotContains(response, self.unit_a.name)
        self.assertNotContains(response, self.unit_x.name)

    def test_it_refuses_a_posted_unit_of_another_platform(self):
        self.client.force_login(self.dispatcher_sq)
        response = self.client.post(f"/tickets/{self.at_sq.number}/dispatch/", {"lead_unit": self.unit_a.pk})
        assert response.status_code == 400
        self.at_sq.refresh_from_db()
        assert self.at_sq.lead_unit is None
        response = self.client.post(f"/tickets/{self.at_sq.number}/dispatch/", {"lead_unit": self.unit_c.pk})
        assert response.status_code in (200, 302)
        self.at_sq.refresh_from_db()
        assert self.at_sq.lead_unit == self.unit_c
