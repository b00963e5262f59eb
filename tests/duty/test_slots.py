"""Leader answering days and unit heads' rotation (Art. 8): a slot and its notice, the call desk showing who answers
and tagging each call taken in the slot, the tickets keeping Art. 14's clocks, and the slot's board."""

import datetime as dt

import time_machine
from django.test import Client

from hotline.channels import intake
from hotline.directory.choices import DutyKind
from hotline.duty import slots
from hotline.tickets import workflow
from hotline.tickets.choices import Channel
from hotline.tickets.models import Ticket
from tests.base import PASSWORD, local
from tests.duty.support import DutyTestCase

THURSDAY_MORNING = local(2026, 12, 10, 9, 0)
CALL = {"channel": "phone", "request_type": "help", "content": "小区路灯坏了一个月", "phone": "13987654321",
        "action": "transfer"}


class SlotTestCase(DutyTestCase):
    def leader_day(self):
        with time_machine.travel(local(2026, 12, 1, 9), tick=False):
            return slots.create_slot(slots.SlotInput(
                kind=DutyKind.LEADER_DAY, starts_at=THURSDAY_MORNING, ends_at=THURSDAY_MORNING + dt.timedelta(
                    hours=2, minutes=30), person="张明", office="副市长", scope="城市管理、供水供气"), by=self.manager)


class TestSlotAndNotice(SlotTestCase):
    def test_it_writes_the_notice_with_time_person_scope_and_other_channels(self):
        slot = self.leader_day()
        assert slot.notice.startswith("12345政务服务便民热线领导接听日公告")
        assert "2026年12月10日（星期四）09:00至11:30，副市长张明" in slot.notice
        assert "接听范围：城市管理、供水供气" in slot.notice
        assert "微信公众号" in slot.notice

    def test_the_notice_prints_as_a_page(self):
        slot = self.leader_day()
        self.client.force_login(self.operator)
        response = self.client.get(f"/duty/slots/{slot.pk}/notice/")
        self.assertContains(response, "领导接听日公告")
        self.assertContains(response, "data-print")  # app.js prints; no inline handler (CSP)


class TestDeskDuringASlot(SlotTestCase):
    def test_the_desk_shows_who_is_answering_and_a_call_is_tagged_to_the_slot(self):
        slot = self.leader_day()
        client = Client()
        with time_machine.travel(THURSDAY_MORNING + dt.timedelta(minutes=5), tick=False):
            client.login(username="operator", password=PASSWORD)
            page = client.get("/desk/call/")
            self.assertContains(page, "副市长张明正在接听")
            client.post("/desk/call/", CALL)
        ticket = Ticket.objects.get()
        assert (ticket.channel, ticket.origin_slot) == (Channel.LEADER_DAY, slot)
        assert ticket.events.first().data["duty_slot"] == slot.pk

    def test_a_call_after_the_slot_is_an_ordinary_phone_call(self):
        self.leader_day()
        with time_machine.travel(THURSDAY_MORNING + dt.timedelta(hours=2, minutes=30), tick=False):
            ticket = intake.take_call(by=self.operator, data=CALL)
        assert (ticket.channel, ticket.origin_slot) == (Channel.PHONE, None)

    def test_web_contacts_during_the_slot_are_not_tagged(self):
        self.leader_day()
        with time_machine.travel(THURSDAY_MORNING + dt.timedelta(minutes=5), tick=False):
            ticket = intake.take(intake.Contact(channel="web", request_type="help", content="路灯坏了"), by=None)
        assert ticket.origin_slot is None

    def test_leader_day_tickets_keep_the_article_14_clocks(self):
        self.leader_day()
        with time_machine.travel(THURSDAY_MORNING + dt.timedelta(minutes=5), tick=False):
            ticket = intake.take_call(by=self.operator, data=CALL)
            workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
            workflow.sign(ticket, by=self.unit_a_handler)
        assert ticket.handling_due == local(2026, 12, 18)  # help: 5 working days from Thursday (Art. 14)


class TestSlotBoard(SlotTestCase):
    def test_it_lists_the_slots_tickets_and_their_progress_until_they_close(self):
        slot = self.leader_day()
        with time_machine.travel(THURSDAY_MORNING + dt.timedelta(minutes=5), tick=False):
            first = intake.take_call(by=self.operator, data=CALL)
            second = intake.take_call(by=self.operator, data=CALL | {"content": "公交站台破损", "phone": "13911112222"})
            workflow.dispatch(second, by=self.dispatcher, lead_unit=self.unit_a)
        self.client.force_login(self.supervisor)
        response = self.client.get(f"/duty/slots/{slot.pk}/")
        self.assertContains(response, first.number)
        self.assertContains(response, second.number)
        self.assertContains(response, "共受理 2 件；办理中 2 件")
        self.assertContains(response, "市城管执法局")

    def test_units_do_not_see_the_calendar_or_boards(self):
        slot = self.leader_day()
        self.client.force_login(self.unit_a_handler)
        assert self.client.get("/duty/").status_code == 403
        assert self.client.get(f"/duty/slots/{slot.pk}/").status_code == 403
