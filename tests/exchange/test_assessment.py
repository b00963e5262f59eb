"""The assessment's higher-level item (Art. 27 上级考评) picks up a late 国办 or 领导批示 order by itself."""

from __future__ import annotations

import time_machine

from hotline.exchange import orders
from hotline.exchange.schemas import OrderIn
from hotline.reports.assessment import evidence_by_unit
from hotline.reports.facts import Period
from hotline.tickets import workflow
from tests.base import HotlineTestCase, local
from tests.exchange.support import make_partners


class UpperLateTest(HotlineTestCase):
    def setUp(self) -> None:
        self.province, _sub = make_partners(self.unit_b)

    def replied_late(self, external_id: str, flag: str) -> None:
        order = OrderIn.model_validate({"external_id": external_id, "content": "省平台交办：路灯不亮", "flag": flag,
                                        "deadline": local(2026, 11, 24, 12, 0), "topic": "0101"})
        with time_machine.travel(local(2026, 11, 23, 10, 0), tick=False):
            ticket = orders.take_order(self.province, order).order.ticket
            workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
            workflow.sign(ticket, by=self.unit_a_handler)
        with time_machine.travel(local(2026, 11, 24, 12, 1), tick=False):  # a minute past the upper deadline
            workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=local(2026, 11, 24, 11),
                           process="更换灯具", result="已修复", contact_note="电话告知", contacted=True)

    def test_a_late_state_council_order_is_evidence_against_the_unit_and_an_unmarked_one_is_not(self):
        self.replied_late("HN-1", "state_council")
        self.replied_late("HN-2", "")
        evidence = evidence_by_unit(Period.month(2026, 11))[self.unit_a.pk]["upper_late"]
        assert len(evidence) == 1
        assert "国办工单或领导批示件超期" in evidence[0].label
