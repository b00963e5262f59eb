"""file_appeal: the lead unit contests a dissatisfied rating on a ground of Art. 25, within 3 working days, with a
statement and evidence that includes proof of contact with the requester; one appeal per rating."""

import pytest

from hotline.followups.appeals import file_appeal
from hotline.followups.models import Appeal
from hotline.lib.errors import Conflict, Forbidden, InvalidInput
from hotline.tickets import workflow
from hotline.tickets.choices import Action, AppealState
from hotline.tickets.models import Event
from tests.base import local
from tests.followups.support import FollowUpTestCase, contact_proof, other_file
from tests.tickets.support import MINUTE


def appeal(fu, by, **fields):
    values = {"ground": "untrue", "statement": "服务对象所称未联系不属实，附通话记录", "evidence": [contact_proof()]}
    values.update(fields)
    return file_appeal(fu, by=by, **values)


class TestFileAppeal(FollowUpTestCase):
    def test_it_files_an_appeal_with_its_evidence_and_one_event(self):
        ticket, fu = self.rated_dissatisfied()
        before = self.events(ticket)
        a = appeal(fu, self.unit_a_handler, evidence=[contact_proof(), other_file()])
        assert (a.state, a.unit, a.ground, a.filed_by) == (AppealState.PENDING, self.unit_a, "untrue",
                                                           self.unit_a_handler)
        assert sorted(a.evidence.values_list("kind", flat=True)) == ["contact_proof", "other"]
        assert self.events(ticket) == before + 1
        event = Event.objects.filter(ticket=ticket).order_by("-id").first()
        assert (event.action, event.from_status, event.to_status, event.article, event.actor_unit) == (
            Action.APPEAL, "closed", "closed", "第二十五条", self.unit_a)
        assert (event.data["appeal"], event.data["follow_up"], event.data["evidence"]) == (a.pk, fu.pk, 2)

    def test_it_takes_an_appeal_the_minute_before_the_window_closes(self):
        _ticket, fu = self.rated_dissatisfied()
        assert fu.appeal_due == local(2026, 3, 13)  # 3 working days after Monday: 24:00 on Thursday 12 March
        self.move_to(local(2026, 3, 13) - MINUTE)
        assert appeal(fu, self.unit_a_handler).pk

    def test_it_refuses_an_appeal_the_minute_after_the_window_closed(self):
        _ticket, fu = self.rated_dissatisfied()
        self.move_to(local(2026, 3, 13) + MINUTE)
        with pytest.raises(Conflict) as caught:
            appeal(fu, self.unit_a_handler)
        assert caught.value.code == "appeal_window_closed"
        assert not Appeal.objects.exists()

    def test_it_refuses_a_second_appeal_on_one_rating(self):
        _ticket, fu = self.rated_dissatisfied()
        appeal(fu, self.unit_a_handler)
        with pytest.raises(Conflict) as caught:
            appeal(fu, self.unit_a_manager, ground="policy")
        assert caught.value.code == "already_appealed"
        assert Appeal.objects.count() == 1

    def test_it_refuses_an_appeal_on_a_satisfied_rating(self):
        ticket = self.resolved_ticket()
        fu = workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="3", solved=True,
                                unit_contacted=True, unit_contact_method="visit")
        with pytest.raises(Conflict) as caught:
            appeal(fu, self.unit_a_handler)
        assert caught.value.code == "not_dissatisfied"

    def test_it_refuses_an_appeal_without_proof_of_contact(self):
        ticket, fu = self.rated_dissatisfied()
        before = self.events(ticket)
        for evidence in ([], [other_file()]):
            with pytest.raises(InvalidInput) as caught:
                appeal(fu, self.unit_a_handler, evidence=evidence)
            assert (caught.value.field, caught.value.code) == ("evidence", "contact_proof_required")
        assert not Appeal.objects.exists()
        assert self.events(ticket) == before

    def test_it_refuses_a_ground_outside_article_25_and_an_empty_statement(self):
        _ticket, fu = self.rated_dissatisfied()
        with pytest.raises(InvalidInput) as caught:
            appeal(fu, self.unit_a_handler, ground="unfair")
        assert caught.value.field == "ground"
        with pytest.raises(InvalidInput) as caught:
            appeal(fu, self.unit_a_handler, statement="  ")
        assert caught.value.field == "statement"

    def test_it_takes_an_appeal_on_each_ground_of_article_25(self):
        for ground in ("lawful_handling", "untrue", "policy", "malicious"):
            _ticket, fu = self.rated_dissatisfied()
            assert appeal(fu, self.unit_a_handler, ground=ground).ground == ground

    def test_it_lets_only_the_lead_unit_appeal(self):
        _ticket, fu = self.rated_dissatisfied()
        for person, code in ((self.unit_b_handler, "not_lead_unit"), (self.followup, "role_not_allowed"),
                             (self.reviewer, "role_not_allowed")):
            with pytest.raises(Forbidden) as caught:
                appeal(fu, person)
            assert caught.value.code == code

    def test_it_lets_the_unit_appeal_a_rating_that_sent_the_ticket_back(self):
        ticket, fu = self.rated_dissatisfied(fault="unit")
        assert self.reload(ticket).status == "in_progress"
        assert appeal(fu, self.unit_a_handler, ground="untrue").pk
