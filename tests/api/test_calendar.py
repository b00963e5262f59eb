"""GET /api/v1/calendar/deadline: the working-day calculator over the seeded State Council calendar."""

from __future__ import annotations

from urllib.parse import quote

from tests.api.base import PREFIX, ApiTestCase


class TestDeadline(ApiTestCase):
    def deadline(self, query: str):
        return self.client.get(f"{PREFIX}/calendar/deadline?{query}")

    def test_it_counts_the_spring_festival_make_up_saturday_as_the_first_working_day(self):
        # 2026-02-13 is a Friday; Saturday 02-14 is a make-up working day (班) before the Feb 15-23 holiday.
        response = self.deadline(f"start={quote('2026-02-13T10:00:00+08:00')}&working_days=1")
        assert response.status_code == 200
        assert response.json() == {"due": "2026-02-15T00:00:00+08:00", "estimated": False, "unpublished_years": []}

    def test_it_skips_the_whole_spring_festival_holiday_for_the_second_working_day(self):
        # After 02-14 the next working day is Tuesday 02-24; its 24:00 is 02-25 00:00.
        response = self.deadline(f"start={quote('2026-02-13T10:00:00+08:00')}&working_days=2")
        assert response.json()["due"] == "2026-02-25T00:00:00+08:00"

    def test_it_counts_five_working_days_across_the_national_day_week(self):
        # 2026-09-30 (Wed): Oct 1-7 are holidays, Sat Oct 10 is worked; Oct 8, 9, 10, 12, 13 are the five days.
        response = self.deadline(f"start={quote('2026-09-30T16:00:00+08:00')}&working_days=5")
        assert response.json()["due"] == "2026-10-14T00:00:00+08:00"

    def test_it_adds_clock_hours_and_answers_in_beijing_time(self):
        response = self.deadline(f"start={quote('2026-02-14T23:30:00Z')}&hours=2")
        assert response.json() == {"due": "2026-02-15T09:30:00+08:00", "estimated": False, "unpublished_years": []}

    def test_it_accepts_fractional_hours(self):
        response = self.deadline(f"start={quote('2026-03-02T09:00:00+08:00')}&hours=0.5")
        assert response.json()["due"] == "2026-03-02T09:30:00+08:00"

    def test_it_reads_an_unencoded_plus_offset_as_meant(self):
        # curl users type '+08:00' unencoded; in a query string '+' arrives as a space.
        response = self.deadline("start=2026-02-13T10:00+08:00&working_days=1")
        assert response.status_code == 200
        assert response.json()["due"] == "2026-02-15T00:00:00+08:00"

    def test_it_marks_a_deadline_reaching_an_unpublished_year_as_estimated(self):
        response = self.deadline(f"start={quote('2026-12-30T10:00:00+08:00')}&working_days=5")
        body = response.json()
        # Dec 31 (Thu), then weekend fallback in 2027: Jan 1 (Fri), 4, 5, 6 (Wed) -> 24:00 of Jan 6.
        assert body == {"due": "2027-01-07T00:00:00+08:00", "estimated": True, "unpublished_years": [2027]}

    def test_it_needs_no_token(self):
        response = self.deadline(f"start={quote('2026-03-02T09:00:00+08:00')}&working_days=0")
        assert response.status_code == 200
        assert response.json()["due"] == "2026-03-02T09:00:00+08:00"

    def test_it_refuses_a_naive_start(self):
        self.assert_error(self.deadline("start=2026-02-13T10:00:00&working_days=1"), 400, "naive_start", "start")

    def test_it_refuses_an_unparsable_start(self):
        self.assert_error(self.deadline("start=next-friday&working_days=1"), 400, "invalid_start", "start")

    def test_it_refuses_a_missing_start_naming_the_field(self):
        body = self.assert_error(self.deadline("working_days=1"), 400, "invalid_input", "start")
        assert body["errors"] == [{"field": "start", "message": "此项为必填"}]

    def test_it_refuses_both_working_days_and_hours(self):
        query = f"start={quote('2026-03-02T09:00:00+08:00')}&working_days=1&hours=2"
        self.assert_error(self.deadline(query), 400, "amount_ambiguous", "working_days")

    def test_it_refuses_neither_working_days_nor_hours(self):
        self.assert_error(self.deadline(f"start={quote('2026-03-02T09:00:00+08:00')}"), 400, "amount_required",
                          "working_days")

    def test_it_refuses_negative_working_days(self):
        query = f"start={quote('2026-03-02T09:00:00+08:00')}&working_days=-1"
        self.assert_error(self.deadline(query), 400, "amount_out_of_range", "working_days")

    def test_it_refuses_absurd_values(self):
        start = quote("2026-03-02T09:00:00+08:00")
        self.assert_error(self.deadline(f"start={start}&working_days=366"), 400, "amount_out_of_range", "working_days")
        self.assert_error(self.deadline(f"start={start}&hours=1e9"), 400, "amount_out_of_range", "hours")
        self.assert_error(self.deadline(f"start={start}&hours=nan"), 400, "amount_out_of_range", "hours")

    def test_it_refuses_a_start_in_year_one_or_9999_instead_of_overflowing(self):
        for start in ("9999-12-31T10:00:00+08:00", "0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00-08:00",
                      "2100-01-01T00:00:00+08:00"):
            for amount in ("working_days=5", "hours=5"):
                body = self.assert_error(self.deadline(f"start={quote(start)}&{amount}"), 400, "start_out_of_range",
                                         "start")
                assert body["message"] == "start 须在 1970-01-01 至 2099-12-31 之间"

    def test_it_refuses_a_non_integer_working_days_naming_the_field(self):
        start = quote("2026-03-02T09:00:00+08:00")
        body = self.assert_error(self.deadline(f"start={start}&working_days=1.5"), 400, "invalid_input",
                                 "working_days")
        assert body["errors"][0]["message"] == "须为整数"
