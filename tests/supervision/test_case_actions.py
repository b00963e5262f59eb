"""Urge, reply, accept, send back, the single extension and escalation (Art. 24): one sealed event each."""

from __future__ import annotations

import pytest

from hotline.lib.errors import ConcurrentChange, Forbidden, InvalidInput, TransitionNotAllowed
from hotline.supervision import cases
from hotline.supervision.choices import CaseStatus
from hotline.supervision.models import SupervisionCase, chain_intact
from hotline.tickets.choices import ReviewState
from tests.base import local
from tests.supervision.support import SupervisionTestCase


class UrgeTest(SupervisionTestCase):
    def test_it_logs_the_method_person_and_promise_without_moving_the_case(self) -> None:
        case = self.open_case()
        attempt = cases.urge(case, by=self.supervisor, method="phone", person_reached="王科长",
                             promise="明日下午前完成整改", unit=self.unit_a)
        assert (attempt.method, attempt.person_reached, attempt.promise) == ("phone", "王科长", "明日下午前完成整改")
        event = self.case_events(case)[-1]
        assert (event.action, event.from_status, event.to_status) == ("urge", "open", "open")
        assert event.data["person_reached"] == "王科长"

    def test_it_refuses_a_unit_an_unknown_method_and_no_person(self) -> None:
        case = self.open_case()
        with pytest.raises(Forbidden):
            cases.urge(case, by=self.unit_a_handler, method="phone", person_reached="王")
        with pytest.raises(InvalidInput):
            cases.urge(case, by=self.supervisor, method="pigeon", person_reached="王")
        with pytest.raises(InvalidInput) as caught:
            cases.urge(case, by=self.supervisor, method="phone", person_reached=" ")
        assert caught.value.field == "person_reached"


class ReplyAcceptTest(SupervisionTestCase):
    def test_the_unit_replies_and_the_supervisor_accepts_once_the_ticket_is_dealt_with(self) -> None:
        ticket = self.signed_ticket()
        case = self.open_case(ticket)
        rep = cases.reply(case, by=self.unit_a_handler, actions_taken="现场督促", result="已修复", evidence="照片")
        assert case.status == CaseStatus.ANSWERED and case.answered_at is not None
        with pytest.raises(TransitionNotAllowed) as caught:
            cases.accept(case, by=self.supervisor)
        assert caught.value.code == "tickets_open"
        self.finish(ticket)
        cases.accept(case, by=self.supervisor, note="同意办结")
        assert self.reload_case(case).status == CaseStatus.CLOSED
        rep.refresh_from_db()
        assert rep.state == ReviewState.APPROVED
        assert [e.action for e in self.case_events(case)] == ["open", "reply", "accept"]
        assert chain_intact(self.case_events(case))

    def test_only_a_target_unit_replies(self) -> None:
        case = self.open_case()
        for user in (self.unit_b_handler, self.supervisor):
            with pytest.raises(Forbidden) as caught:
                cases.reply(case, by=user, actions_taken="x", result="y")
            assert caught.value.code == "not_target_unit"

    def test_send_back_reopens_the_case_under_the_same_due_and_needs_a_reason(self) -> None:
        case = self.answered_case()
        due = case.due_at
        with pytest.raises(InvalidInput):
            cases.send_back(case, by=self.supervisor, note="")
        cases.send_back(case, by=self.supervisor, note="整改不到位")
        case = self.reload_case(case)
        assert (case.status, case.due_at, case.answered_at) == (CaseStatus.OPEN, due, None)
        assert case.replies.get().state == ReviewState.REJECTED

    def test_closing_one_of_three_hotspot_tickets_leaves_the_case_open(self) -> None:
        tickets = [self.signed_ticket() for _ in range(3)]
        case = self.open_case(*tickets, trigger="hotspot")
        self.finish(tickets[0])
        cases.reply(case, by=self.unit_a_handler, actions_taken="集中整治", result="部分解决")
        with pytest.raises(TransitionNotAllowed) as caught:
            cases.accept(case, by=self.supervisor)
        assert caught.value.details["tickets"] == sorted(t.number for t in tickets[1:])
        assert self.reload_case(case).status == CaseStatus.ANSWERED
        for ticket in tickets[1:]:
            self.finish(ticket)
        cases.accept(case, by=self.supervisor)
        assert self.reload_case(case).status == CaseStatus.CLOSED

    def test_of_two_concurrent_reviews_one_wins_and_the_other_is_a_conflict(self) -> None:
        case = self.answered_case()
        self.finish(case.tickets.get())
        stale = SupervisionCase.objects.get(pk=case.pk)
        cases.send_back(case, by=self.supervisor, note="再核实")
        with pytest.raises((ConcurrentChange, TransitionNotAllowed)):
            cases.accept(stale, by=self.manager)
        assert self.reload_case(case).status == CaseStatus.OPEN


class ExtensionTest(SupervisionTestCase):
    def test_it_extends_once_by_at_most_ten_working_days_from_the_last_day_of_the_period(self) -> None:
        case = self.open_case()  # due 24:00 Monday 16 March
        ext = cases.request_extension(case, by=self.unit_a_handler, working_days=10, reason="涉及多部门，情况复杂")
        assert ext.old_due == local(2026, 3, 17)
        cases.review_extension(case, by=self.supervisor, approve=True)
        case = self.reload_case(case)
        assert case.due_at == local(2026, 3, 17)  # the first due is kept
        assert case.extended_due_at == local(2026, 3, 31)  # ten more working days: 17 March to 30 March
        with pytest.raises(TransitionNotAllowed) as caught:
            cases.request_extension(case, by=self.unit_a_handler, working_days=1, reason="再延")
        assert caught.value.code == "extension_used"

    def test_it_refuses_eleven_days_zero_and_a_boolean(self) -> None:
        case = self.open_case()
        for value in (11, 0, True):
            with pytest.raises(InvalidInput) as caught:
                cases.request_extension(case, by=self.unit_a_handler, working_days=value, reason="复杂")
            assert caught.value.field == "working_days"

    def test_it_refuses_a_request_at_or_after_the_due_and_a_hotline_requester(self) -> None:
        case = self.open_case()
        with pytest.raises(Forbidden):
            cases.request_extension(case, by=self.supervisor, working_days=3, reason="复杂")
        self.move_to(local(2026, 3, 16, 23, 59))
        self.clock.move_to(local(2026, 3, 17))
        with pytest.raises(TransitionNotAllowed) as caught:
            cases.request_extension(case, by=self.unit_a_handler, working_days=3, reason="复杂")
        assert caught.value.code == "deadline_passed"

    def test_a_rejected_request_may_be_asked_again_and_rejection_needs_a_reason(self) -> None:
        case = self.open_case()
        cases.request_extension(case, by=self.unit_a_handler, working_days=3, reason="复杂")
        with pytest.raises(InvalidInput):
            cases.review_extension(case, by=self.supervisor, approve=False)
        cases.review_extension(case, by=self.supervisor, approve=False, note="理由不充分")
        assert self.reload_case(case).extended_due_at is None
        cases.request_extension(case, by=self.unit_a_handler, working_days=2, reason="补充材料")


class EscalateTest(SupervisionTestCase):
    def test_it_is_refused_the_minute_before_the_due_and_allowed_at_it_once(self) -> None:
        case = self.open_case()  # due 00:00 Tuesday 17 March
        self.move_to(local(2026, 3, 16, 23, 59))
        with pytest.raises(TransitionNotAllowed) as caught:
            cases.escalate(case, by=self.supervisor, note="逾期未解决")
        assert caught.value.code == "not_due_yet"
        self.move_to(local(2026, 3, 17, 0, 0))
        cases.escalate(case, by=self.supervisor, note="逾期未解决，呈报市政府督查室")
        case = self.reload_case(case)
        assert case.status == CaseStatus.ESCALATED and case.escalated_at == local(2026, 3, 17)
        with pytest.raises(TransitionNotAllowed) as caught:
            cases.escalate(case, by=self.supervisor, note="再次呈报")
        assert caught.value.code == "already_escalated"
        assert [e.action for e in self.case_events(case)] == ["open", "escalate"]

    def test_an_approved_extension_moves_the_escalation_line(self) -> None:
        case = self.open_case()
        cases.request_extension(case, by=self.unit_a_handler, working_days=2, reason="复杂")
        cases.review_extension(case, by=self.supervisor, approve=True)
        self.move_to(local(2026, 3, 17, 9))
        with pytest.raises(TransitionNotAllowed):
            cases.escalate(case, by=self.supervisor, note="未解决")
        self.move_to(local(2026, 3, 19))
        assert cases.escalate(self.reload_case(case), by=self.supervisor, note="未解决").status == "escalated"

    def test_only_supervisors_escalate(self) -> None:
        case = self.open_case()
        self.move_to(local(2026, 3, 18))
        with pytest.raises(Forbidden):
            cases.escalate(case, by=self.unit_a_manager, note="x")
