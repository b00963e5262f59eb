"""/api/v1/duty: slots (Art. 8), rosters with the 24×7 check and the due date (Art. 20, 27), who is on duty now."""

from hotline.privacy.models import AccessLog
from tests.api.base import ApiTestCase
from tests.base import local
from tests.duty.support import NIGHT_PHONE, DutyTestCase, full_month


def entries(shifts):
    return [{"start": s.start.isoformat(), "end": s.end.isoformat(), "person": s.person, "phone": s.phone}
            for s in shifts]


class TestRostersApi(ApiTestCase, DutyTestCase):
    def test_it_accepts_a_full_roster_on_time(self):
        self.freeze(local(2026, 11, 20, 10))
        response = self.post("/duty/rosters", {"unit": "rqgs", "month": "2026-12", "entries": entries(full_month())},
                             as_=self.gas_manager)
        assert response.status_code == 201, response.content
        assert response.json() | {"submitted_at": None} == {
            "unit": "rqgs", "month": "2026-12", "entries": 63, "submitted_at": None,
            "due_at": "2026-11-26T00:00:00+08:00", "late": False}

    def test_it_answers_roster_gap_with_the_uncovered_interval(self):
        self.freeze(local(2026, 11, 20, 10))
        shifts = full_month(skip=(local(2026, 12, 3, 2), local(2026, 12, 3, 8)))
        response = self.post("/duty/rosters", {"unit": "rqgs", "month": "2026-12", "entries": entries(shifts)},
                             as_=self.gas_manager)
        body = self.assert_error(response, 400, "roster_gap", field="entries")
        assert "2026年12月03日 02:00 至 08:00" in body["message"]

    def test_it_records_late_when_sent_on_the_26th(self):
        self.freeze(local(2026, 11, 26, 9))
        response = self.post("/duty/rosters", {"unit": "rqgs", "month": "2026-12", "entries": entries(full_month())},
                             as_=self.gas_manager)
        assert response.json()["late"] is True

    def test_it_refuses_bad_months_naive_times_and_other_units(self):
        self.freeze(local(2026, 11, 20, 10))
        body = {"unit": "rqgs", "month": "2026-13", "entries": entries(full_month())}
        self.assert_error(self.post("/duty/rosters", body, as_=self.gas_manager), 400, "invalid_month")
        body = {"unit": "rqgs", "month": "2026-12",
                "entries": [{"start": "2026-12-01T00:00:00", "end": "2026-12-02T00:00:00", "person": "王",
                             "phone": NIGHT_PHONE}]}
        self.assert_error(self.post("/duty/rosters", body, as_=self.gas_manager), 400, "invalid_input")
        body = {"unit": "rqgs", "month": "2026-12", "entries": entries(full_month())}
        self.assert_error(self.post("/duty/rosters", body, as_=self.unit_b_handler), 403, "not_own_unit")
        self.assert_error(self.post("/duty/rosters", body, as_=None), 401, "unauthenticated")


class TestNowApi(ApiTestCase, DutyTestCase):
    def setUp(self):
        super().setUp()
        self.freeze(local(2026, 11, 20, 10))
        self.post("/duty/rosters", {"unit": "rqgs", "month": "2026-12", "entries": entries(full_month())},
                  as_=self.gas_manager)

    def test_it_gives_the_dispatcher_the_night_shift_phone_at_23_00_and_logs_it(self):
        self.freeze(local(2026, 12, 8, 23))
        body = self.get("/duty/now", as_=self.dispatcher, unit="rqgs").json()
        assert body["on_duty"] == [{"person": "李夜班", "phone": NIGHT_PHONE, "phone_masked": False,
                                    "start": "2026-12-08T20:00:00+08:00", "end": "2026-12-09T08:00:00+08:00"}]
        assert AccessLog.objects.filter(staff=self.dispatcher, field="phone", allowed=True).count() == 1

    def test_it_masks_the_phone_for_roles_that_may_not_reveal_it(self):
        self.freeze(local(2026, 12, 8, 23))
        body = self.get("/duty/now", as_=self.unit_b_handler, unit="rqgs").json()
        assert body["on_duty"][0]["phone"] == "138****1111"
        assert body["on_duty"][0]["phone_masked"] is True
        assert not AccessLog.objects.exists()

    def test_it_refuses_unknown_units_and_units_without_24_hour_response(self):
        self.assert_error(self.get("/duty/now", as_=self.dispatcher, unit="nope"), 400, "unknown_unit")
        self.assert_error(self.get("/duty/now", as_=self.dispatcher, unit="zjj"), 400, "not_24h_unit")


class TestSlotsApi(ApiTestCase, DutyTestCase):
    BODY = {"kind": "leader_day", "starts_at": "2026-12-10T09:00:00+08:00", "ends_at": "2026-12-10T11:30:00+08:00",
            "person": "张明", "office": "副市长", "scope": "城市管理、供水供气"}

    def test_the_manager_puts_a_leader_day_on_the_calendar_with_its_notice(self):
        self.freeze(local(2026, 12, 1, 9))
        response = self.post("/duty/slots", self.BODY, as_=self.manager)
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["kind_label"], body["tickets"]) == ("领导接听日", 0)
        assert "2026年12月10日（星期四）09:00至11:30，副市长张明" in body["notice"]
        listed = self.get("/duty/slots", as_=self.operator).json()
        assert [s["person"] for s in listed] == ["张明"]

    def test_it_refuses_other_roles_overlaps_and_bad_hours(self):
        self.freeze(local(2026, 12, 1, 9))
        self.assert_error(self.post("/duty/slots", self.BODY, as_=self.dispatcher), 403, "role_not_allowed")
        self.post("/duty/slots", self.BODY, as_=self.manager)
        self.assert_error(self.post("/duty/slots", self.BODY, as_=self.manager), 400, "slot_overlap")
        bad = self.BODY | {"ends_at": "2026-12-10T08:00:00+08:00", "starts_at": "2026-12-11T09:00:00+08:00"}
        self.assert_error(self.post("/duty/slots", bad, as_=self.manager), 400, "invalid_hours")
        rotation = self.BODY | {"kind": "unit_rotation", "starts_at": "2026-12-12T09:00:00+08:00",
                                "ends_at": "2026-12-12T11:00:00+08:00"}
        self.assert_error(self.post("/duty/slots", rotation, as_=self.manager), 400, "required", field="unit")
