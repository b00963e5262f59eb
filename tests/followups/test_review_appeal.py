"""review_appeal: the hotline upholds or rejects an appeal with a reason; an upheld one excludes the rating from the
assessment without changing it, counted in the rating's month unless that month was already published (Art. 25)."""

import datetime as dt

import pytest

from hotline.followups import freeze
from hotline.followups.appeals import file_appeal, review_appeal
from hotline.followups.models import Appeal
from hotline.lib.errors import ConcurrentChange, Conflict, Forbidden, InvalidInput
from hotline.reports import closing, sources
from hotline.reports.facts import Period
from hotline.tickets.choices import Action, AppealState
from hotline.tickets.models import Event, FollowUp
from tests.base import local
from tests.followups.support import FollowUpTestCase, contact_proof


class TestReviewAppeal(FollowUpTestCase):
    def filed(self, **fields):
        ticket, fu = self.rated_dissatisfied(**fields)
        a = file_appeal(fu, by=self.unit_a_handler, ground="untrue", statement="通话记录证明已多次联系",
                        evidence=[contact_proof()])
        return ticket, fu, a

    def test_it_upholds_and_excludes_the_rating_without_changing_it(self):
        ticket, fu, a = self.filed()
        before = self.events(ticket)
        review_appeal(a, by=self.reviewer, approve=True, note="通话记录属实")
        stored = FollowUp.objects.get(pk=fu.pk)
        assert (stored.satisfaction, stored.excluded_from_assessment) == ("2", True)
        a.refresh_from_db()
        assert (a.state, a.reviewer, a.decision_note, a.counts_in) == (AppealState.UPHELD, self.reviewer,
                                                                       "通话记录属实", dt.date(2026, 3, 1))
        assert self.events(ticket) == before + 1
        event = Event.objects.filter(ticket=ticket).order_by("-id").first()
        assert (event.action, event.article, event.data["upheld"]) == (Action.REVIEW_APPEAL, "第二十五条", True)

    def test_it_rejects_with_a_reason_and_keeps_the_rating_counted(self):
        _ticket, fu, a = self.filed()
        review_appeal(a, by=self.manager, approve=False, note="证据不足")
        a.refresh_from_db()
        assert (a.state, a.counts_in) == (AppealState.REJECTED, None)
        assert FollowUp.objects.get(pk=fu.pk).excluded_from_assessment is False

    def test_it_needs_a_reason(self):
        _ticket, _fu, a = self.filed()
        with pytest.raises(InvalidInput) as caught:
            review_appeal(a, by=self.reviewer, approve=True, note=" ")
        assert caught.value.field == "note"

    def test_it_refuses_units_and_follow_up_agents(self):
        _ticket, _fu, a = self.filed()
        for person in (self.unit_a_handler, self.followup, self.operator):
            with pytest.raises(Forbidden):
                review_appeal(a, by=person, approve=True, note="x")

    def test_it_refuses_a_second_decision(self):
        _ticket, _fu, a = self.filed()
        review_appeal(a, by=self.reviewer, approve=False, note="证据不足")
        with pytest.raises(Conflict) as caught:
            review_appeal(Appeal.objects.get(pk=a.pk), by=self.manager, approve=True, note="改判")
        assert caught.value.code == "appeal_decided"

    def test_one_of_two_reviewers_deciding_at_once_wins(self):
        _ticket, fu, a = self.filed()
        stale = Appeal.objects.get(pk=a.pk)
        review_appeal(a, by=self.reviewer, approve=False, note="证据不足")
        with pytest.raises(ConcurrentChange):
            review_appeal(stale, by=self.manager, approve=True, note="通话记录属实")
        assert Appeal.objects.get(pk=a.pk).state == AppealState.REJECTED
        assert FollowUp.objects.get(pk=fu.pk).excluded_from_assessment is False

    def test_an_appeal_upheld_after_the_statistics_closed_the_month_counts_in_the_next_month(self):
        self.move_to(local(2026, 3, 31, 10))
        _ticket, _fu, a = self.filed()
        self.move_to(local(2026, 4, 2, 9))
        closing.close_month(2026, 3, by=self.manager)  # the one month-freeze record: reports.MonthClose
        self.move_to(local(2026, 4, 2, 10))
        review_appeal(a, by=self.reviewer, approve=True, note="属实")
        assert Appeal.objects.get(pk=a.pk).counts_in == dt.date(2026, 4, 1)
        # The statistics count it where the appeal says: not in the frozen March, in April.
        assert sources.excluded_by_unit(Period.month(2026, 3)) == {}
        assert [e.ref for e in sources.excluded_by_unit(Period.month(2026, 4))[self.unit_a.pk]] == [str(a.pk)]

    def test_an_appeal_upheld_before_the_month_was_closed_counts_in_the_ratings_month_even_when_decided_later(self):
        self.move_to(local(2026, 3, 31, 10))
        _ticket, _fu, a = self.filed()
        self.move_to(local(2026, 4, 1, 9))
        review_appeal(a, by=self.reviewer, approve=True, note="属实")
        assert Appeal.objects.get(pk=a.pk).counts_in == dt.date(2026, 3, 1)
        # March is still open: its closing takes the exclusion in; April's figures do not count it twice.
        assert [e.ref for e in sources.excluded_by_unit(Period.month(2026, 3))[self.unit_a.pk]] == [str(a.pk)]
        assert sources.excluded_by_unit(Period.month(2026, 4)) == {}
        self.move_to(local(2026, 4, 1, 10))
        snapshot = closing.close_month(2026, 3, by=self.manager).snapshot
        assert snapshot["city"]["counts"]["excluded_by_appeal"] == 1

    def test_a_month_closed_again_is_frozen_from_its_latest_closing(self):
        self.move_to(local(2026, 3, 31, 10))
        _ticket, _fu, a = self.filed()
        self.move_to(local(2026, 4, 1, 9))
        closing.close_month(2026, 3, by=self.manager)
        self.move_to(local(2026, 4, 1, 10))
        closing.close_month(2026, 3, by=self.manager)  # closed again before review: frozen from 10:00
        assert freeze.frozen_at(dt.date(2026, 3, 1)) == local(2026, 4, 1, 10)
        assert freeze.frozen_at(dt.date(2026, 4, 1)) is None
        self.move_to(local(2026, 4, 1, 11))
        review_appeal(a, by=self.reviewer, approve=True, note="属实")
        assert Appeal.objects.get(pk=a.pk).counts_in == dt.date(2026, 4, 1)
