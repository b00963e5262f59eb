"""Difficult matters (Art. 19): the pool fills itself at the third pass, the decision re-dispatches through the
ticket workflow (and versions the catalogue), 推诿 is recorded (Art. 27), "undetermined" opens a trigger-(4) case."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hotline.intake.catalogue import resolve
from hotline.intake.models import CatalogueRule
from hotline.lib.errors import ConcurrentChange, Forbidden, InvalidInput, TransitionNotAllowed
from hotline.supervision import coordination
from hotline.supervision.models import CaseEvent, Coordination, Shirk, chain_intact
from hotline.tickets import workflow
from hotline.tickets.choices import Status
from tests.base import local
from tests.supervision.support import SupervisionTestCase


class CoordinationTest(SupervisionTestCase):
    def bounce(self, ticket, unit, to):  # type: ignore[no-untyped-def]
        """`unit` returns the ticket from the desk, the return is approved and it is dispatched to `to`."""
        handler = {self.unit_a.pk: self.unit_a_handler, self.unit_b.pk: self.unit_b_handler,
                   self.unit_c.pk: self.unit_c_handler}[unit.pk]
        workflow.request_return(ticket, by=handler, kind="desk", reason="非本单位职责", basis="三定方案")
        workflow.review_return(ticket, by=self.reviewer, approve=True)
        return workflow.dispatch(ticket, by=self.dispatcher, lead_unit=to)

    def test_the_third_approved_return_flags_the_ticket_and_the_second_does_not(self) -> None:
        ticket = self.dispatched_ticket(topic=self.topic_streetlight)
        self.bounce(ticket, self.unit_a, self.unit_b)
        self.bounce(ticket, self.unit_b, self.unit_c)
        assert not coordination.flag_one_difficult()
        self.bounce(ticket, self.unit_c, self.unit_a)
        assert coordination.flag_one_difficult()
        assert not coordination.flag_one_difficult()  # once
        coord = Coordination.objects.get(ticket=ticket)
        assert (coord.source, coord.status) == ("auto", "pool")
        assert coord.flag_reason == "退回或改派3次、重办0次"

    def test_the_decision_redispatches_restarts_the_sign_clock_records_shirking_and_versions_the_catalogue(
            self) -> None:
        ticket = self.dispatched_ticket(topic=self.topic_streetlight)
        self.bounce(ticket, self.unit_a, self.unit_b)
        coord = coordination.flag(ticket, by=self.supervisor, reason="职责交叉")
        coordination.record_meeting(coord, by=self.supervisor, meeting_at=local(2026, 3, 9, 9),
                                    units_present=[self.unit_a, self.unit_b], minutes="经协调，路灯由城管执法局负责")
        self.move_to(local(2026, 3, 10, 15))
        coordination.decide(coord, by=self.supervisor, lead_unit=self.unit_a, assisting_units=[self.unit_b],
                            basis="市政府办公室职责分工文件", update_catalogue=True)
        ticket = self.reload(ticket)
        assert (ticket.status, ticket.lead_unit) == (Status.DISPATCHED, self.unit_a)
        assert ticket.sign_due == local(2026, 3, 12)  # one working day again, from Tuesday
        assert ticket.events.order_by("-id").first().action == "redispatch"
        assert [s.unit for s in Shirk.objects.filter(coordination=coord)] == [self.unit_a]
        rule = CatalogueRule.objects.get(topic=self.topic_streetlight, is_current=True)
        assert rule.lead_unit == self.unit_a and list(rule.assisting_units.all()) == [self.unit_b]
        assert resolve(self.topic_streetlight, None).lead_unit == self.unit_a
        events = list(CaseEvent.objects.filter(coordination=coord).order_by("seq"))
        assert [e.action for e in events] == ["flag", "meeting", "decide"]
        assert events[-1].article == "第十九条、第二十七条" and events[-1].data["shirk"] == ["cgzf"]
        assert chain_intact(events)
        workflow.sign(ticket, by=self.unit_a_handler)
        with pytest.raises(TransitionNotAllowed):
            coordination.decide(Coordination.objects.get(pk=coord.pk), by=self.supervisor, lead_unit=self.unit_b,
                                basis="再议")

    def test_undetermined_needs_a_leader_and_opens_a_trigger_four_case(self) -> None:
        ticket = self.signed_ticket()
        coord = coordination.flag(ticket, by=self.supervisor, reason="责任主体不明")
        with pytest.raises(InvalidInput) as caught:
            coordination.undetermined(coord, by=self.supervisor, leader=" ")
        assert caught.value.field == "leader"
        coordination.undetermined(coord, by=self.supervisor, leader="分管副市长")
        coord = Coordination.objects.get(pk=coord.pk)
        assert coord.status == "undetermined" and coord.leader == "分管副市长"
        case = coord.case
        assert (case.trigger, case.method) == ("assigned", "letter")
        assert "分管副市长" in case.evidence["document_number"]
        assert list(case.tickets.all()) == [ticket]

    def test_only_supervisors_coordinate_and_a_stale_copy_loses(self) -> None:
        ticket = self.signed_ticket()
        with pytest.raises(Forbidden):
            coordination.flag(ticket, by=self.dispatcher, reason="x")
        coord = coordination.flag(ticket, by=self.supervisor, reason="x")
        with pytest.raises(TransitionNotAllowed):
            coordination.flag(ticket, by=self.supervisor, reason="again")
        stale = Coordination.objects.get(pk=coord.pk)
        coordination.decide(coord, by=self.supervisor, lead_unit=self.unit_b, basis="职责文件")
        stale.status = "pool"
        with pytest.raises(ConcurrentChange):
            coordination.undetermined(stale, by=self.manager, leader="市长")

    def test_a_decision_for_a_ticket_without_topic_cannot_version_the_catalogue(self) -> None:
        coord = coordination.flag(self.signed_ticket(), by=self.supervisor, reason="x")
        with pytest.raises(InvalidInput):
            coordination.decide(coord, by=self.supervisor, lead_unit=self.unit_b, basis="文件", update_catalogue=True)
        assert timezone.now()
