"""The rating SMS (Art. 17 全面回访): the resolution invites the requester to rate through the outbox, and the
reply that the SMS gateway posts back becomes a follow-up record of the SMS channel — end to end."""

from __future__ import annotations

import json
from unittest import mock

from django.test import Client

from hotline.channels import services
from hotline.followups import ratings
from hotline.tickets import outbox, workflow
from hotline.tickets.choices import Channel, Fault, FollowUpChannel, Satisfaction
from hotline.tickets.models import Event, FollowUp, Outbox
from tests.tickets.support import WorkflowTestCase

PHONE = "13987654321"  # the requester of the personas' tickets


class TestRatingSms(WorkflowTestCase):
    def send_all(self) -> list[outbox.Message]:
        sent: list[outbox.Message] = []
        with mock.patch.object(outbox, "sender", return_value=sent.append):
            while outbox.send_one():
                pass
        return sent

    def reply(self, number: str, text: str, phone: str = PHONE):  # type: ignore[no-untyped-def]
        _key, raw = services.create_key("短信网关", Channel.SMS)
        return Client().post("/channels/ratings/sms", json.dumps({"number": number, "phone": phone, "text": text}),
                             content_type="application/json", HTTP_AUTHORIZATION=f"Key {raw}")

    def test_the_resolution_invites_a_rating_and_the_reply_is_an_sms_follow_up(self) -> None:
        ticket = self.replied_ticket()
        assert not Outbox.objects.filter(kind="sms.rating").exists()  # nothing before the resolution
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        [row] = Outbox.objects.filter(kind="sms.rating")
        assert row.payload == {"ticket": ticket.number, "requester": ticket.requester_id}

        [message] = self.send_all()
        assert (message.phone, message.ticket) == (PHONE, ticket.number)
        assert ticket.number in message.text and "回复1 满意 / 2 基本满意 / 3 不满意" in message.text
        assert ratings.SMS_PROMPT in message.text  # the menu sent is the menu read

        response = self.reply(ticket.number, "2 基本解决了")
        assert response.status_code == 201, response.content
        fu = FollowUp.objects.get(pk=response.json()["follow_up"])
        assert (fu.ticket, fu.channel, fu.satisfaction, fu.note) == (
            ticket, FollowUpChannel.SMS, Satisfaction.NEUTRAL, "基本解决了")
        event = Event.objects.filter(ticket=ticket).order_by("-id").first()
        assert event is not None and (event.action, event.data["channel"]) == ("follow_up", "sms")
        assert self.reply(ticket.number, "1").json()["code"] == "already_rated"
        assert self.reply(ticket.number, "1", phone="13700000000").json()["code"] == "phone_mismatch"

    def test_a_rejected_reply_sends_nothing_and_a_rework_does_not_ask_twice(self) -> None:
        ticket = self.replied_ticket()
        workflow.review_reply(ticket, by=self.reviewer, approve=False, note="未联系服务对象")
        assert not Outbox.objects.filter(kind="sms.rating").exists()
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=ticket.created_at,
                       process="补充联系", result="已修复", contact_note="电话告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        self.send_all()
        assert self.reply(ticket.number, "3 没修好").status_code == 201
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction=Satisfaction.DISSATISFIED,
                           solved=False, unit_contacted=True, unit_contact_method="phone", fault=Fault.UNIT)
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=ticket.created_at,
                       process="重办", result="已修复", contact_note="电话告知", contacted=True)
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        assert Outbox.objects.filter(kind="sms.rating").count() == 1  # already rated by SMS: not asked again

    def test_a_ticket_without_a_phone_sends_nothing(self) -> None:
        ticket = self.replied_ticket(requester={"name": "匿名"})
        workflow.review_reply(ticket, by=self.reviewer, approve=True)
        assert not Outbox.objects.filter(kind="sms.rating").exists()
