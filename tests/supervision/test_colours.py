"""Warning colours (WAVE2 §1): blue once 80 % of the window has passed, yellow on the due day, red when overdue."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from hotline.supervision.selectors import CaseFilter, colour, filtered, ticket_colour, visible_cases
from tests.base import local
from tests.supervision.support import SupervisionTestCase

OPENED = local(2026, 3, 9, 10)
DUE = local(2026, 3, 17)  # 24:00 Monday 16 March


class ColourRuleTest(SimpleTestCase):
    def test_it_turns_blue_yellow_red_at_the_thresholds(self) -> None:
        # The window is 182 hours; 80 % of it has passed at 11:36 on Sunday 15 March.
        assert colour(OPENED, DUE, local(2026, 3, 15, 11, 35)) == ""
        assert colour(OPENED, DUE, local(2026, 3, 15, 11, 36)) == "blue"
        assert colour(OPENED, DUE, local(2026, 3, 16, 0, 0)) == "yellow"
        assert colour(OPENED, DUE, local(2026, 3, 16, 23, 59)) == "yellow"
        assert colour(OPENED, DUE, local(2026, 3, 17, 0, 0)) == "red"
        assert colour(OPENED, DUE, local(2026, 3, 17, 0, 0), live=False) == ""

    @override_settings(SUPERVISION_BLUE_FRACTION=0.5)
    def test_the_blue_threshold_is_a_setting(self) -> None:
        assert colour(OPENED, DUE, local(2026, 3, 13, 10)) == "blue"


class ColourFilterTest(SupervisionTestCase):
    def test_the_list_filters_by_colour_and_a_supervised_ticket_shows_its_case_colour(self) -> None:
        ticket = self.signed_ticket()
        case = self.open_case(ticket)
        qs = visible_cases(self.supervisor)
        self.move_to(local(2026, 3, 16, 12))
        assert list(filtered(qs, CaseFilter(colour="yellow"), local(2026, 3, 16, 12))) == [case]
        assert list(filtered(qs, CaseFilter(colour="red"), local(2026, 3, 16, 12))) == []
        assert ticket_colour(ticket, local(2026, 3, 16, 12)) == ("yellow", case)
        assert list(filtered(qs, CaseFilter(overdue=True), local(2026, 3, 17))) == [case]
        assert list(filtered(qs, CaseFilter(colour="blue"), local(2026, 3, 15, 12))) == [case]

    def test_a_unit_sees_only_the_cases_that_name_it(self) -> None:
        case = self.open_case()
        assert list(visible_cases(self.unit_a_handler)) == [case]
        assert list(visible_cases(self.unit_b_handler)) == []
