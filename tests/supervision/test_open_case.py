"""Opening a case (Art. 24): the eight triggers with their evidence, the five methods with their dues."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.lib.errors import Forbidden, InvalidInput
from hotline.supervision import cases
from hotline.supervision.choices import TRIGGER_ARTICLES, CaseStatus, Method, Trigger
from hotline.supervision.models import chain_intact
from tests.base import local
from tests.supervision.support import SupervisionTestCase

EVIDENCE = {
    "assigned": {"document_number": "邵政督〔2026〕12号"},
    "media": {"media_name": "邵阳日报", "media_link": "https://example.org/news/1"},
    "impact": {"description": "引发群体聚集"},
    "assessment_loss": {"deduction_notice": "湘政务热线〔2026〕3号"},
    "other": {"description": "市领导批示"},
}


class OpenCaseTest(SupervisionTestCase):
    def test_it_numbers_the_case_and_writes_one_sealed_event_citing_the_item(self) -> None:
        ticket = self.signed_ticket()
        case = self.open_case(ticket)
        assert case.number == "督办〔2026〕第1号"
        assert case.status == CaseStatus.OPEN
        assert list(case.tickets.all()) == [ticket]
        assert list(case.units.all()) == [self.unit_a]
        events = self.case_events(case)
        assert [e.action for e in events] == ["open"]
        assert events[0].article == "第二十四条第一项、第二十四条"
        assert events[0].data["tickets"] == [ticket.number]
        assert chain_intact(events)
        assert self.open_case().number == "督办〔2026〕第2号"

    def test_it_opens_each_of_the_eight_triggers_with_its_evidence(self) -> None:
        ticket = self.signed_ticket()
        for trigger in Trigger.values:
            case = self.open_case(ticket, trigger=trigger, evidence=EVIDENCE.get(trigger))
            assert case.trigger == trigger
            assert case.evidence == EVIDENCE.get(trigger, {})
            assert self.case_events(case)[0].article.startswith(TRIGGER_ARTICLES[trigger])

    def test_it_refuses_a_trigger_without_its_evidence_naming_the_field(self) -> None:
        ticket = self.signed_ticket()
        for trigger, evidence in EVIDENCE.items():
            field = next(iter(evidence))
            with pytest.raises(InvalidInput) as caught:
                self.open_case(ticket, trigger=trigger, evidence={k: v for k, v in evidence.items() if k != field})
            assert caught.value.field == f"evidence.{field}"
        with pytest.raises(InvalidInput) as caught:
            self.open_case(ticket, trigger="media", evidence={"media_name": "报", "media_link": "javascript:1"})
        assert caught.value.code == "invalid_link"

    def test_it_gives_system_supervision_five_working_days_and_the_other_methods_ten(self) -> None:
        # Monday 9 March 2026, 10:00; a plain fortnight: the 5th working day is Monday 16th, the 10th Monday 23rd.
        for method in Method.values:
            case = self.open_case(method=method)
            expected = local(2026, 3, 17) if method == "system" else local(2026, 3, 24)
            assert (case.due_days, case.due_at) == ((5, expected) if method == "system" else (10, expected))

    def test_it_counts_the_national_day_holiday_out_and_the_make_up_saturday_in(self) -> None:
        # Wednesday 30 Sep 2026: 1-7 Oct are off, Saturday 10 Oct is worked. Working days 8, 9, 10, 12, 13 Oct.
        self.move_to(local(2026, 9, 30, 10))
        ticket = self.signed_ticket()
        system = self.open_case(ticket)
        assert system.due_at == local(2026, 10, 14)
        letter = self.open_case(ticket, method="letter")
        assert letter.due_at == local(2026, 10, 21)  # 8,9,10,12,13,14,15,16,19,20 Oct

    def test_only_supervisors_and_the_manager_open_cases(self) -> None:
        ticket = self.signed_ticket()
        for user in (self.operator, self.reviewer, self.unit_a_handler):
            with pytest.raises(Forbidden):
                cases.open_case(by=user, trigger="overdue", method="system", tickets=[ticket])
        assert cases.open_case(by=self.manager, trigger="overdue", method="system", tickets=[ticket])

    def test_it_refuses_no_tickets_an_unknown_trigger_or_method_and_the_hotline_as_target(self) -> None:
        ticket = self.signed_ticket()
        for kwargs, field in (({"tickets": []}, "tickets"), ({"trigger": "rumour"}, "trigger"),
                              ({"method": "fax"}, "method"), ({"units": [self.unit_a.parent or self.hotline]},
                                                              "units")):
            args = {"trigger": "overdue", "method": "system", "tickets": [ticket], **kwargs}
            with pytest.raises(InvalidInput) as caught:
                cases.open_case(by=self.supervisor, **args)
            assert caught.value.field == field

    def test_a_sweep_may_open_only_the_three_automatic_triggers(self) -> None:
        ticket = self.signed_ticket()
        with pytest.raises(InvalidInput):
            cases.open_case(by=None, trigger="media", method="system", tickets=[ticket],
                            evidence=EVIDENCE["media"])
        case = cases.open_case(by=None, trigger="overdue", method="system", tickets=[ticket])
        assert case.automatic and case.opened_by is None

    def test_it_stores_the_due_in_the_case_row(self) -> None:
        case = self.open_case()
        assert self.reload_case(case).due_at - case.opened_at > dt.timedelta(days=5)
