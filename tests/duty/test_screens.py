"""The duty screens: a gas outage at 23:00 shows the person on duty beside dispatch and runs its 30-minute clock;
rosters are uploaded from the XLSX template, refused with the gap named, marked late; phones stay masked."""

import datetime as dt
import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from hotline.directory.models import DutyRoster
from hotline.duty import rosters
from hotline.duty.roster_sheet import HEADERS
from hotline.lib.sheets import workbook
from hotline.privacy.models import AccessLog
from hotline.tickets import workflow
from tests.base import local
from tests.duty.support import DECEMBER, NIGHT_PHONE, DutyTestCase, full_month

AT_23 = local(2026, 12, 8, 23, 0)
MINUTE = dt.timedelta(minutes=1)


def xlsx(shifts) -> SimpleUploadedFile:
    data = workbook("值班表", list(HEADERS), [[s.start, s.end, s.person, s.phone] for s in shifts])
    return SimpleUploadedFile("roster.xlsx", data)


class TestGasOutageAt23(DutyTestCase):
    def setUp(self):
        super().setUp()
        with time_machine.travel(local(2026, 11, 20), tick=False):
            rosters.submit(by=self.gas_manager, unit=self.gas_company, month=DECEMBER, shifts=full_month())

    def test_it_shows_the_person_on_duty_and_the_30_minute_clock_the_minute_before_and_after(self):
        with time_machine.travel(AT_23, tick=False):
            ticket = workflow.create_ticket(by=self.operator, channel="phone", request_type="help",
                                            content="整栋楼突然停气", topic=self.topic_gas,
                                            requester={"name": "赵六", "phone": "13700001234"})
            self.client.force_login(self.dispatcher)
            page = self.client.get(f"/tickets/{ticket.number}/")
            self.assertContains(page, "/duty/now/")  # the dispatch form loads who is on duty for the chosen unit
            panel = self.client.get("/duty/now/", {"lead_unit": self.gas_company.pk})
            self.assertContains(panel, "李夜班 138****1111")
            self.assertNotContains(panel, NIGHT_PHONE)
            revealed = self.client.post("/duty/now/reveal/", {"unit": self.gas_company.pk})
            self.assertContains(revealed, f"李夜班 {NIGHT_PHONE}")
            assert AccessLog.objects.filter(staff=self.dispatcher, allowed=True).count() == 1
            workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.gas_company)
        for at, overdue in ((AT_23 + 29 * MINUTE, False), (AT_23 + 31 * MINUTE, True)):
            with time_machine.travel(at, tick=False):
                self.client.force_login(self.dispatcher)
                rows = {r.rule: r for r in self.client.get(f"/tickets/{ticket.number}/").context["clocks"]}
            row = rows["即时响应时限"]
            assert (row.running, row.countdown.overdue, row.article) == (True, overdue, "第二十条")

    def test_the_call_desk_shows_who_is_on_duty_for_the_chosen_unit(self):
        with time_machine.travel(AT_23, tick=False):
            self.client.force_login(self.operator)
            self.assertContains(self.client.get("/desk/call/"), 'hx-get="/duty/now/"')
            self.assertContains(self.client.get("/duty/now/", {"lead_unit": self.gas_company.pk}), "李夜班")

    def test_a_unit_without_24_hour_response_has_no_duty_panel(self):
        self.client.force_login(self.dispatcher)
        self.assertContains(self.client.get("/duty/now/", {"lead_unit": self.unit_b.pk}), "不是24小时响应单位")


class TestRosterScreens(DutyTestCase):
    def test_the_template_has_a_month_of_day_and_night_shifts(self):
        self.client.force_login(self.gas_manager)
        response = self.client.get("/duty/rosters/template.xlsx", {"month": "2026-12"})
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("开始时间", "结束时间", "值班人", "值班电话")
        assert (rows[1][0], rows[1][1]) == (dt.datetime(2026, 12, 1, 0, 0), dt.datetime(2026, 12, 1, 8, 0))
        assert rows[-1][1] == dt.datetime(2027, 1, 1, 0, 0)

    def test_a_unit_uploads_its_roster_and_a_gap_is_refused_with_its_interval(self):
        with time_machine.travel(local(2026, 11, 26, 10), tick=False):
            self.client.force_login(self.gas_manager)
            hole = (local(2026, 12, 3, 2), local(2026, 12, 3, 8))
            refused = self.client.post("/duty/rosters/", {"unit": self.gas_company.pk, "month": "2026-12",
                                                           "file": xlsx(full_month(skip=hole))})
            assert refused.status_code == 400
            self.assertContains(refused, "2026年12月03日 02:00 至 08:00 无人值班", status_code=400)
            done = self.client.post("/duty/rosters/", {"unit": self.gas_company.pk, "month": "2026-12",
                                                        "file": xlsx(full_month())})
            roster = DutyRoster.objects.get()
            assert done.url == f"/duty/rosters/{roster.pk}/"
            assert roster.is_late  # sent on the 26th (Art. 27)
            listing = self.client.get("/duty/rosters/")
            self.assertContains(listing, "逾期报送")
            detail = self.client.get(done.url)
            self.assertContains(detail, "138****1111")
            self.assertNotContains(detail, NIGHT_PHONE)

    def test_another_units_roster_is_404(self):
        with time_machine.travel(local(2026, 11, 20), tick=False):
            roster = rosters.submit(by=self.gas_manager, unit=self.gas_company, month=DECEMBER, shifts=full_month())
        self.client.force_login(self.unit_b_handler)
        assert self.client.get(f"/duty/rosters/{roster.pk}/").status_code == 404
