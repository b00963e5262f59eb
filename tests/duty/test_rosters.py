"""rosters.submit and rosters.on_duty: a 24-hour unit's monthly roster covers every minute (Art. 20), is due on the
25th of the month before (Art. 27), and tells the desk who is on duty now."""

import datetime as dt

import pytest
import time_machine

from hotline.directory.models import DutyRoster, DutyRosterRefusal
from hotline.duty import rosters
from hotline.lib.errors import Forbidden, InvalidInput
from tests.base import local
from tests.duty.support import DECEMBER, NIGHT_PHONE, DutyTestCase, full_month

ON_TIME = local(2026, 11, 25, 23, 59)
ON_THE_26TH = local(2026, 11, 26, 0, 1)


class TestSubmitRoster(DutyTestCase):
    def submit(self, shifts=None, *, at=ON_TIME, by=None, unit=None):
        with time_machine.travel(at, tick=False):
            return rosters.submit(by=by or self.gas_manager, unit=unit or self.gas_company, month=DECEMBER,
                                  shifts=full_month() if shifts is None else shifts)

    def test_it_accepts_a_roster_covering_every_minute_of_the_month_on_time(self):
        roster = self.submit()
        assert (roster.is_late, roster.due_at) == (False, local(2026, 11, 26))
        assert roster.entries.count() == 63  # 00:00-08:00 on the 1st, then two shifts a day

    def test_it_refuses_a_gap_from_two_to_eight_naming_it(self):
        hole = (local(2026, 12, 3, 2), local(2026, 12, 3, 8))
        with pytest.raises(InvalidInput) as caught:
            self.submit(full_month(skip=hole))
        assert caught.value.code == "roster_gap"
        assert "2026年12月03日 02:00 至 08:00" in caught.value.message
        assert not DutyRoster.objects.exists()
        refusal = DutyRosterRefusal.objects.get()  # kept for the assessment (Art. 27)
        assert (refusal.unit, refusal.month, refusal.reason) == (self.gas_company, DECEMBER, caught.value.message)

    def test_it_refuses_a_month_that_ends_uncovered(self):
        shifts = [s for s in full_month() if s.end <= local(2026, 12, 31, 20)]
        with pytest.raises(InvalidInput) as caught:
            self.submit(shifts)
        assert "2026年12月31日 20:00 至 24:00" in caught.value.message

    def test_it_records_a_roster_first_sent_on_the_26th_as_late(self):
        assert self.submit(at=ON_THE_26TH).is_late is True

    def test_a_correction_after_the_due_keeps_a_timely_roster_on_time(self):
        self.submit()
        roster = self.submit(at=ON_THE_26TH)
        assert roster.is_late is False
        assert DutyRoster.objects.count() == 1

    def test_it_takes_the_due_day_from_the_setting(self):
        with self.settings(HOTLINE_ROSTER_DUE_DAY=20):
            assert rosters.due_at(DECEMBER) == local(2026, 11, 21)

    def test_it_keeps_duty_phones_encrypted(self):
        roster = self.submit()
        raw = type(roster.entries.first()).objects.values_list("phone", flat=True).first()
        assert raw.startswith("aesgcm") and NIGHT_PHONE not in raw

    def test_it_refuses_another_units_staff_and_a_unit_without_24_hour_response(self):
        with pytest.raises(Forbidden):
            self.submit(by=self.unit_b_handler)
        with pytest.raises(InvalidInput) as caught:
            self.submit(by=self.manager, unit=self.unit_b)
        assert caught.value.code == "not_24h_unit"


class TestOnDuty(DutyTestCase):
    def test_it_names_the_night_shift_at_23_00(self):
        with time_machine.travel(ON_TIME, tick=False):
            rosters.submit(by=self.gas_manager, unit=self.gas_company, month=DECEMBER, shifts=full_month())
        on = rosters.on_duty(self.gas_company, local(2026, 12, 8, 23, 0))
        assert [(e.person, e.phone) for e in on] == [("李夜班", NIGHT_PHONE)]
        assert rosters.on_duty(self.gas_company, local(2027, 1, 1, 0, 0)) == []
        assert rosters.on_duty(self.gas_company, local(2026, 12, 8, 20, 0))[0].starts_at == local(2026, 12, 8, 20)
        assert dt.timedelta(hours=12) == on[0].ends_at - on[0].starts_at
