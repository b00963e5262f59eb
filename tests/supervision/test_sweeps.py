"""The automatic triggers (Art. 24(1)-(3)) as sweeps: each fires exactly once per rule and ticket, opening a case
or proposing one (SUPERVISION_AUTO_MODE)."""

from __future__ import annotations

from django.test import override_settings

from hotline.supervision import sweeps, triggers
from hotline.supervision.choices import ProposalState
from hotline.supervision.models import SupervisionCase, TriggerRecord
from hotline.tickets import workflow
from hotline.tickets.selectors import dissatisfied_after_rework
from tests.base import local
from tests.supervision.support import SupervisionTestCase


def drain(job) -> int:  # type: ignore[no-untyped-def]
    count = 0
    while job() and count < 100:
        count += 1
    return count


class OverdueSweepTest(SupervisionTestCase):
    @override_settings(SUPERVISION_AUTO_MODE="open")
    def test_it_opens_one_system_case_per_overdue_ticket_once_at_the_due(self) -> None:
        ticket = self.signed_ticket()  # handling due 00:00 Tuesday 17 March (5 working days)
        self.move_to(local(2026, 3, 16, 23, 59))
        assert drain(sweeps.supervise_one_overdue) == 0
        self.move_to(local(2026, 3, 17, 0, 0))
        assert drain(sweeps.supervise_one_overdue) == 1
        case = SupervisionCase.objects.get()
        assert (case.trigger, case.method, case.automatic) == ("overdue", "system", True)
        assert list(case.tickets.all()) == [ticket] and list(case.units.all()) == [self.unit_a]
        assert drain(sweeps.supervise_one_overdue) == 0  # run twice: still one case
        self.move_to(local(2026, 3, 20))
        assert drain(sweeps.supervise_one_overdue) == 0
        assert SupervisionCase.objects.count() == 1

    def test_by_default_it_proposes_and_the_supervisor_opens_or_dismisses(self) -> None:
        first, second = self.signed_ticket(), self.signed_ticket()
        self.move_to(local(2026, 3, 18))
        assert drain(sweeps.supervise_one_overdue) == 2
        assert SupervisionCase.objects.count() == 0
        queue = triggers.proposals()
        assert [[r.ticket for r in group] for group in queue] == [[first], [second]]
        case = triggers.open_proposal(queue[0][0].pk, by=self.supervisor, method="phone")
        assert case.method == "phone" and not case.automatic
        triggers.dismiss_proposal(queue[1][0].pk, by=self.supervisor, note="已电话沟通，当日办结")
        assert triggers.proposals() == []
        assert drain(sweeps.supervise_one_overdue) == 0
        assert TriggerRecord.objects.get(ticket=second).state == ProposalState.DISMISSED


class DissatisfiedSweepTest(SupervisionTestCase):
    def call(self, ticket, satisfaction: str, fault: str) -> None:  # type: ignore[no-untyped-def]
        workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction=satisfaction, solved=False,
                           unit_contacted=True, unit_contact_method="phone", fault=fault)

    def rated(self, *, at_fault: bool, satisfaction: str = "2"):  # type: ignore[no-untyped-def]
        ticket = self.resolved_ticket()
        self.call(ticket, "2", "unit")  # dissatisfied through the unit: back for rework in the same step
        self.finish(ticket)
        dissatisfied = satisfaction in ("1", "2")
        self.call(ticket, satisfaction, ("unit" if at_fault else "policy") if dissatisfied else "")
        return ticket

    @override_settings(SUPERVISION_AUTO_MODE="open")
    def test_it_fires_only_when_the_rework_visit_is_dissatisfied_and_the_unit_is_at_fault(self) -> None:
        not_fault = self.rated(at_fault=False)
        satisfied = self.rated(at_fault=True, satisfaction="4")
        at_fault = self.rated(at_fault=True)
        assert [dissatisfied_after_rework(t) for t in (not_fault, satisfied, at_fault)] == [False, False, True]
        assert drain(sweeps.supervise_one_dissatisfied) == 1
        case = SupervisionCase.objects.get()
        assert case.trigger == "dissatisfied_after_rework" and list(case.tickets.all()) == [at_fault]
        assert drain(sweeps.supervise_one_dissatisfied) == 0

    def test_a_first_dissatisfied_visit_before_any_rework_does_not_fire(self) -> None:
        ticket = self.resolved_ticket()
        self.call(ticket, "1", "unit")
        assert not dissatisfied_after_rework(ticket)
        assert drain(sweeps.supervise_one_dissatisfied) == 0


class HotspotSweepTest(SupervisionTestCase):
    def complaint(self):  # type: ignore[no-untyped-def]
        return self.dispatched_ticket(content="双清区龙须塘街道建材市场夜间施工噪音扰民严重",
                                      address="双清区龙须塘街道建材市场")

    @override_settings(SUPERVISION_AUTO_MODE="open")
    def test_a_growing_hotspot_opens_one_case_and_later_tickets_join_it(self) -> None:
        self.move_to(local(2026, 3, 9, 9))
        self.complaint()
        self.move_to(local(2026, 3, 12, 9))
        tickets = [self.complaint(), self.complaint()]
        assert drain(sweeps.supervise_one_hotspot) == 1
        case = SupervisionCase.objects.get()
        assert case.trigger == "hotspot" and case.tickets.count() == 3
        assert drain(sweeps.supervise_one_hotspot) == 0
        self.move_to(local(2026, 3, 13, 9))
        later = self.complaint()
        assert drain(sweeps.supervise_one_hotspot) == 1
        assert SupervisionCase.objects.count() == 1
        assert set(case.tickets.all()) >= {later, *tickets}
        assert [e.action for e in self.case_events(case)] == ["open", "join"]
