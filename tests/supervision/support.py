"""Personas and shortcuts for the supervision specifications: a supervised ticket, a case, a case answered."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hotline.supervision import cases
from hotline.supervision.models import CaseEvent, SupervisionCase
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from tests.tickets.support import WorkflowTestCase


class SupervisionTestCase(WorkflowTestCase):
    """Personas, frozen time (a plain Monday in March 2026) and the case shortcuts."""

    def open_case(self, *tickets: Ticket, trigger: str = "overdue", method: str = "system",
                  **kwargs: Any) -> SupervisionCase:
        tickets = tickets or (self.signed_ticket(),)
        return cases.open_case(by=self.supervisor, trigger=trigger, method=method, tickets=list(tickets), **kwargs)

    def answered_case(self, **kwargs: Any) -> SupervisionCase:
        case = self.open_case(**kwargs)
        cases.reply(case, by=self.unit_a_handler, actions_taken="约谈并现场督促", result="已整改完毕",
                    evidence="整改照片3张")
        return case

    def finish(self, ticket: Ticket) -> Ticket:
        """Take a signed ticket through reply and approval (resolved, no longer open)."""
        workflow.reply(ticket, by=self.unit_a_handler, handler_name="李工", handled_at=timezone.now(),
                       process="现场处理", result="已处理", contact_note="电话告知", contacted=True)
        return workflow.review_reply(ticket, by=self.reviewer, approve=True)

    def case_events(self, case: SupervisionCase) -> list[CaseEvent]:
        return list(CaseEvent.objects.filter(case=case).order_by("seq"))

    def reload_case(self, case: SupervisionCase) -> SupervisionCase:
        return SupervisionCase.objects.get(pk=case.pk)
