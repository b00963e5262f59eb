"""The NPC deputies' channel (Art. 18): the registry from XLSX with terms and encrypted phones, recognition only
within the term, the ledger and its export, the quarterly report, and requests about court cases or bidding."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from hotline.channels import deputies, desk, intake
from hotline.channels.models import Deputy, DeputyTicket
from hotline.lib.errors import Forbidden
from hotline.lib.sheets import workbook
from hotline.tickets import workflow
from hotline.tickets.choices import Channel, Status
from tests.api.base import ApiTestCase
from tests.base import HotlineTestCase, local

PHONE = "13811112222"
TODAY = local(2026, 11, 23, 10)
CALL = {"channel": "phone", "request_type": "suggestion", "content": "建议增设公交站点", "phone": PHONE,
        "action": "transfer"}


def registry(*rows) -> SimpleUploadedFile:
    header = ["姓名", "层级", "选区/代表团", "任期开始", "任期届满", "联系电话", "其他电话"]
    return SimpleUploadedFile("deputies.xlsx", workbook("代表", header, rows))


class TestRecognition(HotlineTestCase):
    def test_an_expired_deputy_is_not_recognised(self):
        desk.register_deputy(name="刘代表", delegation="双清区", level="city", phone=PHONE,
                             term_start=dt.date(2021, 1, 1), term_end=dt.date(2026, 11, 22))
        with time_machine.travel(TODAY, tick=False):
            assert desk.deputy_for(PHONE) is None
            ticket = intake.take_call(by=self.operator, data=CALL)
            self.client.force_login(self.operator)
            panel = self.client.get("/desk/call/caller/", {"phone": PHONE})
        assert ticket.channel == Channel.PHONE
        assert not DeputyTicket.objects.exists()
        self.assertNotContains(panel, "deputy-badge")

    def test_a_deputy_is_recognised_on_the_last_day_of_the_term_and_by_the_other_phone(self):
        deputies.save_deputy({"name": "刘代表", "delegation": "双清区", "level": "city", "phone": PHONE,
                              "other_phone": "0739-5201234", "term_end": dt.date(2026, 11, 23)})
        with time_machine.travel(TODAY, tick=False):
            assert desk.deputy_for(PHONE).name == "刘代表"
            assert desk.deputy_for("07395201234").name == "刘代表"
            ticket = intake.take_call(by=self.operator, data=CALL)
        assert ticket.channel == Channel.DEPUTY
        assert DeputyTicket.objects.get().ticket == ticket


class TestRegistryImport(HotlineTestCase):
    def test_it_imports_updates_by_phone_and_reports_bad_rows(self):
        result = deputies.import_registry(registry(
            ["刘代表", "市", "双清区代表团", "2022-01-01", "2027-01-01", PHONE, ""],
            ["王代表", "乡镇", "火车南站街道", dt.datetime(2021, 10, 1), dt.datetime(2026, 9, 30), "13922223333", ""],
            ["", "市", "大祥区", "", "", "13933334444", ""],
            ["赵代表", "村", "大祥区", "", "", "13944445555", ""],
        ), by=self.manager)
        assert (result.created, result.updated) == (2, 0)
        assert [n for n, _why in result.rejected] == [4, 5]
        again = deputies.import_registry(registry(["刘代表", "省", "省人大", "", "", PHONE, ""]), by=self.manager)
        assert (again.created, again.updated) == (0, 1)
        liu = Deputy.objects.get(name="刘代表")
        assert (liu.level, liu.phone, liu.phone_masked) == ("provincial", PHONE, "138****2222")
        raw = Deputy.objects.filter(pk=liu.pk).values_list("phone", flat=True).get()
        assert PHONE not in raw
        assert Deputy.objects.get(name="王代表").term_end == dt.date(2026, 9, 30)

    def test_only_the_manager_imports(self):
        with pytest.raises(Forbidden):
            deputies.import_registry(registry(), by=self.operator)
        self.client.force_login(self.manager)
        response = self.client.post("/desk/deputies/import/", {"file": registry(
            ["刘代表", "市", "双清区代表团", "", "", PHONE, ""])})
        self.assertContains(response, "新增 1 人")


class TestMeddling(HotlineTestCase):
    def setUp(self):
        desk.register_deputy(name="刘代表", delegation="双清区", level="county", phone=PHONE)

    def test_a_request_about_a_pending_court_case_is_declined_with_articles_10_2_and_18_and_kept_in_the_ledger(self):
        ticket = intake.take_call(by=self.operator, data=CALL | {
            "content": "请热线督促法院尽快判决我选区群众的借款纠纷案件", "action": "decline", "decline_reason": "2"})
        assert (ticket.status, ticket.decline_reason) == (Status.DECLINED, "2")
        assert "第十八条" in ticket.explanation and "第十条第二项" in ticket.explanation
        event = ticket.events.get()
        assert (event.article, event.data["deputy_meddling"]) == ("第十条第二项", "court")
        assert DeputyTicket.objects.get().ticket == ticket
        assert deputies.rows(deputies.ledger())[0].handling.startswith("不予受理")

    def test_the_desk_warns_about_a_bidding_process(self):
        self.client.force_login(self.operator)
        panel = self.client.get("/desk/call/assist/", {"content": "某工程招标有内定，请热线干预", "phone": PHONE})
        self.assertContains(panel, "招标投标活动")
        other = self.client.get("/desk/call/assist/", {"content": "某工程招标有内定，请热线干预",
                                                       "phone": "13900009999"})
        self.assertNotContains(other, "deputy-meddling")


class TestLedgerAndReport(ApiTestCase):
    def setUp(self):
        self.liu = desk.register_deputy(name="刘代表", delegation="双清区", level="city", phone=PHONE)
        self.wang = desk.register_deputy(name="王代表", delegation="东风路街道", level="township",
                                         phone="13922223333")
        with time_machine.travel(local(2026, 10, 12, 9), tick=False):
            self.first = intake.take_call(by=self.operator, data=CALL)
            workflow.dispatch(self.first, by=self.dispatcher, lead_unit=self.unit_a)
            workflow.sign(self.first, by=self.unit_a_handler)
        with time_machine.travel(local(2026, 11, 2, 9), tick=False):
            self.second = intake.take_call(by=self.operator, data=CALL | {"phone": "13922223333",
                                                                            "content": "路灯不亮"})

    def test_the_ledger_exports_to_xlsx_with_each_stage(self):
        self.client.force_login(self.operator)
        response = self.client.get("/desk/deputies/ledger.xlsx", {"level": "city"})
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == tuple(deputies.LEDGER_HEADER)
        assert [(r[0], r[1], r[7]) for r in rows[1:]] == [(self.first.number, "刘代表", "市城管执法局 已签收")]
        assert PHONE.encode() not in response.content

    def test_the_api_lists_the_ledger_with_filters_and_as_xlsx(self):
        body = self.get("/deputies/ledger", as_=self.supervisor).json()
        assert [i["number"] for i in body["items"]] == [self.second.number, self.first.number]
        body = self.get("/deputies/ledger", as_=self.supervisor, level="township").json()
        assert [i["deputy"] for i in body["items"]] == ["王代表"]
        body = self.get("/deputies/ledger", as_=self.supervisor, date_from="2026-10-01",
                        date_to="2026-10-31").json()
        assert body["total"] == 1
        xlsx = self.get("/deputies/ledger", as_=self.supervisor, format="xlsx")
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        self.assert_error(self.get("/deputies/ledger", as_=self.unit_a_handler), 403, "role_not_allowed")
        self.assert_error(self.get("/deputies/ledger", as_=self.supervisor, level="village"), 400, "invalid_input")
        # Out-of-range paging and ids are refused, never passed to the database (SQLite answered 500).
        for field, value in (("offset", 2**63), ("limit", 0), ("deputy", 2**40)):
            self.assert_error(self.get("/deputies/ledger", as_=self.supervisor, **{field: value}), 400,
                              "invalid_input", field)

    def test_the_quarterly_report_counts_per_deputy_and_per_level(self):
        per_deputy, per_level = deputies.quarterly(2026, 4)
        assert [(t.label, t.total, t.open) for t in per_deputy] in (
            [("刘代表（市）", 1, 1), ("王代表（乡镇）", 1, 1)], [("王代表（乡镇）", 1, 1), ("刘代表（市）", 1, 1)])
        levels = {t.label: t.total for t in per_level}
        assert (levels["市"], levels["乡镇"], levels["全国"]) == (1, 1, 0)
        assert deputies.quarterly(2026, 3)[0] == []
        self.client.force_login(self.operator)
        self.assertContains(self.client.get("/desk/deputies/report/", {"year": "2026", "quarter": "4"}),
                            "2026年第4季度")
