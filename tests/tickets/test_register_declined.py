"""register_declined: a contact declined at intake (Art. 10) is one `decline` event from no status; it was never
accepted (Art. 11), so statistics count it apart and no dispatch clock runs. A decline after acceptance stays two."""

from __future__ import annotations

from hotline.channels import intake
from hotline.lib.errors import Forbidden, InvalidInput
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Channel, Status
from hotline.tickets.models import Event, Ticket
from hotline.tickets.workflow import Contact
from tests.tickets.support import MONDAY, WorkflowTestCase

CONTACT = Contact(channel=Channel.PHONE, request_type="help", content="反复来电，内容与此前完全相同",
                  requester={"name": "赵六", "phone": "13600001111"})


class TestRegisterDeclined(WorkflowTestCase):
    def test_it_writes_one_decline_event_from_no_status_citing_the_item_of_article_ten(self):
        ticket = workflow.register_declined(by=self.operator, contact=CONTACT, reason_code="9",
                                            explanation="骚扰电话，已告知")
        stored = self.reload(ticket)
        assert (stored.status, stored.decline_reason, stored.explanation) == (Status.DECLINED, "9", "骚扰电话，已告知")
        assert stored.dispatch_due is None
        assert stored.closed_at == MONDAY
        [event] = Event.objects.filter(ticket=ticket)
        assert (event.action, event.from_status, event.to_status) == (Action.DECLINE, "", Status.DECLINED)
        assert (event.actor, event.actor_unit, event.at) == (self.operator, self.operator.unit, MONDAY)
        assert event.article == "第十条第九项"
        assert event.reason == "骚扰电话，已告知"
        assert event.data == {"reason_code": "9", "channel": Channel.PHONE}
        assert (event.seq, event.prev_hash) == (1, "")

    def test_it_keeps_what_the_intake_rules_found_beside_the_reason_and_channel(self):
        ticket = workflow.register_declined(by=self.dispatcher, contact=CONTACT, reason_code="10", explanation="其它",
                                            data={"deputy": 7})
        event = ticket.events.get()
        assert event.article == "第十条第十项"
        assert event.data == {"reason_code": "10", "channel": Channel.PHONE, "deputy": 7}

    def test_it_refuses_roles_that_do_not_take_contacts(self):
        for person in (self.reviewer, self.followup, self.supervisor, self.unit_a_handler, None):
            try:
                workflow.register_declined(by=person, contact=CONTACT, reason_code="9", explanation="骚扰电话")
                raise AssertionError(f"{person} must not register a declined contact")
            except Forbidden as exc:
                assert exc.code == "role_not_allowed"
        assert not Ticket.objects.exists()

    def test_it_refuses_a_reason_outside_article_ten_naming_the_field(self):
        for code in ("11", "0", "", "nine"):
            try:
                workflow.register_declined(by=self.operator, contact=CONTACT, reason_code=code, explanation="说明")
                raise AssertionError(f"reason {code!r} must be refused")
            except InvalidInput as exc:
                assert (exc.field, exc.code) == ("reason_code", "invalid_reason_code")
        assert not Ticket.objects.exists()

    def test_it_refuses_a_missing_explanation(self):
        try:
            workflow.register_declined(by=self.operator, contact=CONTACT, reason_code="9", explanation="  ")
            raise AssertionError("an explanation is required")
        except InvalidInput as exc:
            assert exc.field == "explanation"
        assert not Ticket.objects.exists()


class TestDeclinedAtTheCallDesk(WorkflowTestCase):
    def test_a_call_declined_at_the_desk_has_no_accept_event_and_no_dispatch_clock(self):
        ticket = intake.take_call(by=self.operator, data={
            "channel": "phone", "request_type": "help", "content": "要求热线帮忙起诉邻居", "phone": "13600001111",
            "action": "decline", "decline_reason": "2"})
        stored = self.reload(ticket)
        assert stored.status == Status.DECLINED
        assert stored.dispatch_due is None
        assert not ticket.events.filter(action=Action.ACCEPT).exists()
        [event] = ticket.events.all()
        assert (event.action, event.from_status, event.article) == (Action.DECLINE, "", "第十条第二项")
        assert (event.data["reason_code"], event.data["channel"]) == ("2", Channel.PHONE)

    def test_a_bad_reason_at_the_desk_names_the_forms_field(self):
        try:
            intake.take_call(by=self.operator, data={
                "channel": "phone", "request_type": "help", "content": "内容", "action": "decline",
                "decline_reason": "12"})
            raise AssertionError("reason 12 must be refused")
        except InvalidInput as exc:
            assert exc.field == "decline_reason"
        assert not Ticket.objects.exists()


class TestDeclineAfterAcceptance(WorkflowTestCase):
    def test_declining_an_accepted_ticket_still_writes_accept_then_decline(self):
        ticket = self.new_ticket()
        due = ticket.dispatch_due
        workflow.decline(ticket, by=self.operator, reason_code="5", explanation="属于其他受理渠道")
        events = list(ticket.events.order_by("seq"))
        assert [(e.action, e.from_status, e.to_status) for e in events] == [
            (Action.ACCEPT, "", Status.PENDING_DISPATCH),
            (Action.DECLINE, Status.PENDING_DISPATCH, Status.DECLINED),
        ]
        assert events[1].article == "第十条第五项"
        stored = self.reload(ticket)
        assert stored.status == Status.DECLINED
        assert due is not None
        assert stored.dispatch_due == due  # the clock it ran while accepted stays on record
