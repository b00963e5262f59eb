"""reply: the unit reports who handled it, when, how, the result and how the requester was contacted (Art. 15)."""

import datetime as dt

import pytest

from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import Action, ReviewState, Status
from hotline.tickets.models import Reply
from tests.base import local
from tests.tickets.support import MINUTE, MONDAY, WorkflowTestCase

HANDLING_DUE = local(2026, 3, 17)
FIELDS = {"handler_name": "李工", "process": "现场查看并更换灯具", "result": "路灯已修复", "contact_note": "电话告知",
          "contacted": True}


def send(ticket, by, **overrides):
    fields = {**FIELDS, "handled_at": MONDAY, **overrides}
    return workflow.reply(ticket, by=by, **fields)


class TestReply(WorkflowTestCase):
    def test_it_records_the_reply_for_review(self):
        ticket = self.signed_ticket()
        rep = send(ticket, self.unit_a_handler, contacted=False)
        assert (rep.unit, rep.state, rep.submitted_at, rep.contacted) == (self.unit_a, ReviewState.PENDING, MONDAY,
                                                                           False)
        assert (rep.handler_name, rep.process, rep.result) == ("李工", "现场查看并更换灯具", "路灯已修复")
        stored = self.reload(ticket)
        assert (stored.status, stored.replied_at) == (Status.REPLIED, MONDAY)
        event = self.assert_event(ticket, 3, action=Action.REPLY, actor=self.unit_a_handler, unit=self.unit_a,
                                  frm=Status.IN_PROGRESS, to=Status.REPLIED, article="第十五条")
        assert event.data == {"reply": rep.pk, "clock": "handling",
                              **self.against(self.reload(ticket).handling_due, False)}

    def test_it_marks_a_reply_after_the_handling_deadline_as_late(self):
        ticket = self.signed_ticket()
        self.move_to(HANDLING_DUE - MINUTE)
        assert send(ticket, self.unit_a_handler) and ticket.events.last().data["late"] is False
        ticket = self.signed_ticket()
        self.move_to(HANDLING_DUE + dt.timedelta(days=7))
        send(ticket, self.unit_a_handler, handled_at=HANDLING_DUE + dt.timedelta(days=7))
        assert ticket.events.last().data["late"] is True

    def test_it_refuses_missing_fields_naming_each(self):
        ticket = self.signed_ticket()
        for field in FIELDS:
            self.assert_refused(InvalidInput, send, ticket, self.unit_a_handler, field=field, **{field: " "})

    def test_it_refuses_a_handling_time_in_the_future_or_without_a_time_zone(self):
        ticket = self.signed_ticket()
        for handled_at in (MONDAY + dt.timedelta(hours=1), dt.datetime(2026, 3, 9, 9, 0), None):
            self.assert_refused(InvalidInput, send, ticket, self.unit_a_handler, handled_at=handled_at,
                                field="handled_at")

    def test_it_refuses_a_handling_time_even_a_minute_ahead_of_the_clock(self):
        ticket = self.signed_ticket()
        self.assert_refused(InvalidInput, send, ticket, self.unit_a_handler, handled_at=MONDAY + MINUTE,
                            field="handled_at")

    def test_it_refuses_a_handling_time_before_the_ticket_was_dispatched(self):
        ticket = self.signed_ticket()
        with self.assertRaisesMessage(InvalidInput, "办理时间不能早于工单转派时间（2026-03-09 10:00）"):
            send(ticket, self.unit_a_handler, handled_at=MONDAY - MINUTE)
        assert send(ticket, self.unit_a_handler, handled_at=MONDAY).handled_at == MONDAY

    def test_it_refuses_another_unit_an_assisting_unit_and_hotline_staff(self):
        ticket = self.new_ticket()
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_b])
        workflow.sign(ticket, by=self.unit_a_handler)
        for person in (self.unit_b_handler, self.unit_c_handler, self.reviewer):
            self.assert_refused(Forbidden, send, ticket, person)

    def test_it_refuses_an_unsigned_ticket_and_keeps_no_reply(self):
        self.assert_refused(TransitionNotAllowed, send, self.dispatched_ticket(), self.unit_a_handler)
        assert not Reply.objects.exists()


class TestContactedIsNeverDefaulted(WorkflowTestCase):
    """Art. 15, 17: whether the unit reached the requester is stated by the unit, never assumed."""

    def test_it_refuses_a_reply_that_does_not_say_whether_the_requester_was_reached(self):
        ticket = self.signed_ticket()
        fields = {k: v for k, v in FIELDS.items() if k != "contacted"}
        with pytest.raises(TypeError):
            workflow.reply(ticket, by=self.unit_a_handler, handled_at=MONDAY, **fields)
        with pytest.raises(InvalidInput) as refused:
            workflow.reply(ticket, by=self.unit_a_handler, handled_at=MONDAY, contacted=None, **fields)
        assert (refused.value.field, refused.value.message) == ("contacted", "请选择是否已联系服务对象")
        assert self.reload(ticket).status == Status.IN_PROGRESS
