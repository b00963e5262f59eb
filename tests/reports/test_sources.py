"""The records statistics read from other apps: every name resolves, and a 推诿 recorded by coordination is
deducted (Art. 27)."""

from __future__ import annotations

from django.apps import apps

from hotline.reports import assessment, sources
from hotline.reports.facts import Period
from hotline.reports.indicators import Figures
from hotline.supervision import coordination
from hotline.tickets import workflow
from tests.base import local
from tests.supervision.support import SupervisionTestCase


def test_it_names_only_installed_models_with_the_fields_it_reads() -> None:
    for label, fields in sources.SOURCES.items():
        if label in sources.EXPECTED_MISSING:
            continue
        found = sources.model(label, *fields)
        assert found is not None, f"{label} with {fields} is not installed"
        assert found is apps.get_model(label)


class TestShirkIsDeducted(SupervisionTestCase):
    def test_it_deducts_two_points_for_each_shirk_a_coordination_recorded(self) -> None:
        ticket = self.dispatched_ticket(topic=self.topic_streetlight)
        # Unit A returns it as not its own; the return is approved and it goes to unit B.
        workflow.request_return(ticket, by=self.unit_a_handler, kind="desk", reason="非本单位职责", basis="三定方案")
        workflow.review_return(ticket, by=self.reviewer, approve=True)
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_b)
        coord = coordination.flag(ticket, by=self.supervisor, reason="职责交叉")
        coordination.record_meeting(coord, by=self.supervisor, meeting_at=local(2026, 3, 9, 9),
                                    units_present=[self.unit_a, self.unit_b], minutes="经协调，路灯由城管执法局负责")
        self.move_to(local(2026, 3, 10, 15))
        coordination.decide(coord, by=self.supervisor, lead_unit=self.unit_a, basis="市政府办公室职责分工文件")

        evidence = assessment.evidence_by_unit(Period.month(2026, 3))
        shirks = evidence[self.unit_a.pk]["shirking"]
        assert [e.label for e in shirks] == [f"推诿（工单{ticket.number}）"]
        assert "shirking" not in evidence.get(self.unit_b.pk, {})
        # The default rule set: 推诿 costs 2 points each, at most 6.
        sheet = assessment.score(assessment.DEFAULT_ITEMS, Figures(), evidence[self.unit_a.pk])
        assert {line.key: line.points for line in sheet.lines}["shirking"] == -2
        assert "shirking" not in assessment.evidence_by_unit(Period.month(2026, 4)).get(self.unit_a.pk, {})
