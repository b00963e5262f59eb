"""County sub-centres see and act only on their own platform's tickets and units; the city platform sees all
(Art. 30). Intake records where a ticket came in and who holds it."""

import pytest

from hotline.lib.errors import InvalidInput, NotFound
from hotline.tickets import workflow
from hotline.tickets.access import access_ticket, visible_tickets
from hotline.tickets.selectors import Scope
from tests.platforms import PlatformsTestCase


class TestIntakeRecordsThePlatform(PlatformsTestCase):
    def test_it_holds_and_receives_a_county_desks_ticket_at_the_county(self):
        ticket = self.county_ticket(self.operator_sq)
        assert (ticket.platform, ticket.received_by) == (self.shuangqing, self.shuangqing)

    def test_it_holds_and_receives_the_city_desks_ticket_at_the_city(self):
        ticket = self.new_ticket()
        assert (ticket.platform, ticket.received_by) == (self.city, self.city)

    def test_it_numbers_tickets_of_every_platform_from_one_sequence(self):
        numbers = [self.county_ticket(self.operator_sq).number, self.new_ticket().number,
                   self.county_ticket(self.operator_xs).number]
        assert len(set(numbers)) == 3
        assert numbers == sorted(numbers)


class TestCountyScope(PlatformsTestCase):
    def setUp(self):
        self.at_sq = self.county_ticket(self.operator_sq)
        self.at_xs = self.county_ticket(self.operator_xs)
        self.at_city = self.new_ticket()

    def test_it_answers_404_for_another_countys_ticket_and_a_city_ticket(self):
        for user in (self.operator_sq, self.dispatcher_sq, self.reviewer_sq, self.followup_sq, self.supervisor_sq,
                     self.manager_sq):
            assert access_ticket(user, self.at_sq.number) == self.at_sq
            for other in (self.at_xs, self.at_city):
                with pytest.raises(NotFound):
                    access_ticket(user, other.number)

    def test_it_lets_the_city_read_every_platforms_tickets(self):
        for ticket in (self.at_sq, self.at_xs, self.at_city):
            assert access_ticket(self.operator, ticket.number) == ticket
        assert set(visible_tickets(self.dispatcher)) >= {self.at_sq, self.at_xs, self.at_city}

    def test_it_lists_only_the_countys_tickets(self):
        assert list(visible_tickets(self.dispatcher_xs)) == [self.at_xs]

    def test_it_offers_a_county_only_its_own_units(self):
        assert set(Scope.of(self.dispatcher_sq).units()) == {self.unit_c, self.unit_c.parent}
        assert self.unit_a in Scope.of(self.dispatcher).units()

    def test_it_lets_a_county_dispatch_only_to_its_own_units(self):
        with pytest.raises(InvalidInput) as error:
            workflow.dispatch(self.at_sq, by=self.dispatcher_sq, lead_unit=self.unit_a)
        assert error.value.code == "unit_not_on_platform"
        with pytest.raises(InvalidInput):
            workflow.dispatch(self.at_sq, by=self.dispatcher_sq, lead_unit=self.unit_c, assisting_units=[self.unit_x])
        workflow.dispatch(self.at_sq, by=self.dispatcher_sq, lead_unit=self.unit_c)
        self.at_sq.refresh_from_db()
        assert self.at_sq.lead_unit == self.unit_c

    def test_it_lets_the_city_dispatch_to_a_countys_unit(self):
        workflow.dispatch(self.at_city, by=self.dispatcher, lead_unit=self.unit_x)
        assert self.at_city.lead_unit == self.unit_x

    def test_it_keeps_a_county_units_scope_to_its_assignments(self):
        workflow.dispatch(self.at_xs, by=self.dispatcher_xs, lead_unit=self.unit_x)
        assert list(visible_tickets(self.xs_handler)) == [self.at_xs]
