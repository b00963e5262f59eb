"""Shared steps of the follow-up specifications: a resolved ticket rated dissatisfied, evidence files."""

from __future__ import annotations

from hotline.followups.appeals import Evidence
from hotline.tickets import workflow
from hotline.tickets.choices import EvidenceKind
from hotline.tickets.models import FollowUp, Ticket
from tests.tickets.support import PNG, WorkflowTestCase, photo

DISSATISFIED = {"reached": True, "satisfaction": "2", "solved": False, "unit_contacted": True,
                "unit_contact_method": "phone", "fault": "requester"}


def contact_proof() -> Evidence:
    """A screenshot of the call log with the requester: the proof of contact Art. 25 asks for."""
    return Evidence(photo("call-log.png", PNG), EvidenceKind.CONTACT_PROOF)


def other_file() -> Evidence:
    return Evidence(photo("minutes.png", PNG), EvidenceKind.OTHER)


class FollowUpTestCase(WorkflowTestCase):
    """Personas, a frozen clock (Monday 9 March 2026, 10:00) and a dissatisfied rating to appeal."""

    def rated_dissatisfied(self, **fields: object) -> tuple[Ticket, FollowUp]:
        ticket = self.resolved_ticket()
        fu = workflow.follow_up(ticket, by=self.followup, **{**DISSATISFIED, **fields})
        return ticket, fu
