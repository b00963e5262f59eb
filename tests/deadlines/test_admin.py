"""The calendar in the admin: an administrator lists, filters, searches and corrects dates (DESIGN §4)."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from hotline.deadlines.models import CalendarDay
from hotline.directory.models import Staff


class TestCalendarAdmin(TestCase):
    admin_user: Staff

    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin_user = Staff.objects.create_superuser("calendar-admin", "", "Admin-Pass-2026")

    def setUp(self) -> None:
        self.client.force_login(self.admin_user)

    def listed_dates(self, query: str) -> list[str]:
        response = self.client.get(reverse("admin:deadlines_calendarday_changelist") + query)
        assert response.status_code == 200
        return [str(day.date) for day in response.context["cl"].result_list]

    def test_it_filters_the_make_up_days_of_one_year(self) -> None:
        assert self.listed_dates("?year=2026&kind=workday") == [
            "2026-10-10", "2026-09-20", "2026-05-09", "2026-02-28", "2026-02-14", "2026-01-04"]

    def test_it_searches_by_holiday_name(self) -> None:
        assert self.listed_dates("?year=2025&q=国庆节调休") == ["2025-10-11", "2025-09-28"]

    def test_it_shows_the_weekday_beside_each_date(self) -> None:
        response = self.client.get(reverse("admin:deadlines_calendarday_changelist") + "?year=2026&kind=workday")
        assert "星期六" in response.content.decode()

    def test_it_lists_published_years_with_their_counts(self) -> None:
        response = self.client.get(reverse("admin:deadlines_publishedyear_changelist") + "?q=2026")
        assert response.status_code == 200
        assert [year.year for year in response.context["cl"].result_list] == [2026]

    def test_it_refuses_a_make_up_day_on_a_weekday(self) -> None:
        response = self.client.post(reverse("admin:deadlines_calendarday_add"),
                                    {"date": "2027-02-08", "kind": "workday", "name": "春节调休"})
        assert response.status_code == 200
        assert "调休上班日只能是周六或周日" in response.content.decode()
        assert not CalendarDay.objects.filter(date="2027-02-08").exists()

    def test_it_adds_a_make_up_saturday(self) -> None:
        response = self.client.post(reverse("admin:deadlines_calendarday_add"),
                                    {"date": "2027-02-06", "kind": "workday", "name": "春节调休"})
        assert response.status_code == 302
        assert CalendarDay.objects.get(date="2027-02-06").kind == "workday"
