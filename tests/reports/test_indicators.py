"""The monthly indicators (Art. 22, 26, 27) on a hand-built March whose figures are worked out here, event by event.

March 2026 has no holiday and no make-up day: working days are Monday to Friday; 2 March is a Monday. A deadline
of N working days ends at 24:00 of the Nth working day (stored as 00:00 of the next day).
"""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from hotline.knowledge.models import Article, UpdateRequest
from hotline.reports import sources
from hotline.reports.facts import Period
from hotline.reports.indicators import (
    Figures,
    assessed_unit_ids,
    city_figures,
    ratio,
    roll_up,
    show,
    unit_figures,
)
from hotline.tickets import sweeps, workflow
from tests.base import local
from tests.reports.test_facts import FactsTestCase

MARCH = Period.month(2026, 3)


class TestRatios:
    def test_a_zero_denominator_is_a_dash_never_100_percent(self):
        assert ratio(0, 0) is None
        assert show(None) == "—"
        assert ratio(2, 3) == 66.67
        assert show(ratio(4, 5)) == "80.00%"

    def test_an_empty_month_has_no_rate_at_all(self):
        assert set(Figures().rates().values()) == {None}


class TestAdaptersWithoutTheirApps:
    """Supervision, appeals, findings and rosters are other apps' records; without them every figure is absent."""

    def test_it_finds_no_model_that_is_not_installed(self):
        assert sources.model("supervision.NoSuchRecord") is None
        assert sources.model(sources.FOLLOW_UP, "no_such_field") is None  # the model exists, the field does not
        assert sources.model(sources.FOLLOW_UP, "at") is not None

    def test_it_returns_nothing_for_each_absent_source(self):
        assert sources.findings_by_unit(MARCH, sources.NON_COOPERATION) == {}


class MarchStory(FactsTestCase):
    """Six tickets of unit A and one of unit B in March, every clock kept or missed on purpose."""

    def build_march(self) -> None:
        # A: accepted Mon 2 Mar 09:00, dispatched 10:00 (due 11:00), signed 15:00 (due 24:00 Tue 3 Mar), replied
        # Thu 5 Mar (due 24:00 Mon 9 Mar), resolved, follow-up Fri 6 Mar 非常满意, the unit had called.
        self.at(2026, 3, 2, 9)
        a = self.new_ticket()
        self.at(2026, 3, 2, 10)
        self.dispatch(a)
        self.at(2026, 3, 2, 15)
        workflow.sign(a, by=self.unit_a_handler)
        # F: accepted 11:00, dispatched 11:30, signed 12:00, replied 16:00, resolved 16:30; Tue 3 Mar the requester
        # is dissatisfied through the unit's fault: rework, due 24:00 Tue 10 Mar; replied Mon 9 Mar, resolved,
        # follow-up Tue 10 Mar 满意.
        self.at(2026, 3, 2, 11)
        f = self.new_ticket()
        self.at(2026, 3, 2, 11, 30)
        self.dispatch(f)
        self.at(2026, 3, 2, 12)
        workflow.sign(f, by=self.unit_a_handler)
        self.at(2026, 3, 2, 16)
        self.reply(f)
        self.at(2026, 3, 2, 16, 30)
        workflow.review_reply(f, by=self.reviewer, approve=True)
        self.at(2026, 3, 3, 9)
        # Dissatisfied through the unit's fault: back to the unit for rework in the same step (Art. 17).
        workflow.follow_up(f, by=self.followup, reached=True, satisfaction="2", solved=False, unit_contacted=True,
                           unit_contact_method="phone", fault="unit")
        # B: accepted Tue 3 Mar 09:00, dispatched 12:00 (an hour late), deemed signed Thu 5 Mar 00:10 (late by
        # definition), handling due 24:00 Wed 11 Mar, marked overdue 12 Mar 01:00, replied late 12 Mar 10:00.
        b = self.new_ticket()
        # D: dispatched Tue 3 Mar 10:00 to unit A, returned at the desk 11:00, approved 14:00 (dispatch due again
        # 16:00), dispatched to unit B 15:00, signed by B 16:00, replied by B Thu 5 Mar (due 24:00 Tue 10 Mar).
        d = self.new_ticket()
        self.at(2026, 3, 3, 10)
        self.dispatch(d)
        self.at(2026, 3, 3, 11)
        self.desk_return(d, self.unit_a_handler)
        self.at(2026, 3, 3, 12)
        self.dispatch(b)
        self.at(2026, 3, 3, 14)
        workflow.review_return(d, by=self.reviewer, approve=True)
        self.at(2026, 3, 3, 15)
        self.dispatch(d, self.unit_b)
        self.at(2026, 3, 3, 16)
        workflow.sign(d, by=self.unit_b_handler)
        # E: accepted Wed 4 Mar 09:00, dispatched 10:00, signed 11:00, due 24:00 Wed 11 Mar, never replied.
        self.at(2026, 3, 4, 9)
        e = self.new_ticket()
        self.at(2026, 3, 4, 10)
        self.dispatch(e)
        self.at(2026, 3, 4, 11)
        workflow.sign(e, by=self.unit_a_handler)
        self.at(2026, 3, 5, 0, 10)
        workflow.deem_signed(b)
        self.at(2026, 3, 5, 10)
        self.reply(a)
        self.reply(d, by=self.unit_b_handler)
        self.at(2026, 3, 5, 11)
        workflow.review_reply(a, by=self.reviewer, approve=True)
        self.at(2026, 3, 6, 9)
        workflow.follow_up(a, by=self.followup, reached=True, satisfaction="5", solved=True, unit_contacted=True,
                           unit_contact_method="phone")
        self.at(2026, 3, 9, 10)
        self.reply(f)
        self.at(2026, 3, 9, 11)
        workflow.review_reply(f, by=self.reviewer, approve=True)
        self.at(2026, 3, 10, 9)
        workflow.follow_up(f, by=self.followup, reached=True, satisfaction="4", solved=True, unit_contacted=True,
                           unit_contact_method="phone")
        self.at(2026, 3, 12, 1)
        while sweeps.mark_one_overdue():  # B's and E's handling clocks
            pass
        self.at(2026, 3, 12, 10)
        self.reply(b)
        self.at(2026, 3, 12, 11)
        workflow.review_reply(b, by=self.reviewer, approve=True)
        self.at(2026, 3, 13, 9)
        # 基本满意, and the unit never called the requester (Art. 27 未及时联系服务对象).
        workflow.follow_up(b, by=self.followup, reached=True, satisfaction="3", solved=True, unit_contacted=False)
        # C: accepted Mon 23 Mar 09:00, dispatched 10:00, signed 11:00, due 24:00 Mon 30 Mar; an extension of 10
        # working days approved Fri 27 Mar moves it to 24:00 Mon 13 Apr: not due in March.
        self.at(2026, 3, 23, 9)
        c = self.new_ticket()
        self.at(2026, 3, 23, 10)
        self.dispatch(c)
        self.at(2026, 3, 23, 11)
        workflow.sign(c, by=self.unit_a_handler)
        self.at(2026, 3, 27, 10)
        workflow.request_extension(c, by=self.unit_a_handler, working_days=10, reason="需多部门会商")
        self.at(2026, 3, 27, 11)
        workflow.review_extension(c, by=self.reviewer, approve=True)
        self.at(2026, 4, 1, 9)
        while sweeps.mark_one_overdue():
            pass


class TestMarch(MarchStory):
    def test_it_counts_unit_a_as_worked_out_event_by_event(self):
        self.build_march()
        a = unit_figures(MARCH)[self.unit_a.pk]
        assert a.dispatched == a.received == 6  # A, B, C, D (before its return), E, F
        # Signings: A, C, E, F on time, B deemed (late); D was returned unsigned.
        assert (a.signs_due, a.signed_on_time, a.deemed_signed) == (5, 4, 1)
        assert (a.returns_requested, a.returns_reviewed, a.returns_approved) == (1, 1, 1)
        assert (a.extensions_requested, a.extensions_approved) == (1, 1)
        # 应办结: replies A (on time), F (on time), F after rework (on time), B (late); E overdue and unreplied;
        # B's overdue mark is not counted again because B was replied in March; C's due moved into April.
        assert (a.replies_due, a.replied_on_time, a.overdue) == (5, 3, 2)
        assert a.resolved == 4  # A, F twice, B
        assert a.reworks == 1
        assert (a.follow_up_calls, a.follow_ups, a.dissatisfied, a.basic_satisfied) == (4, 4, 1, 1)
        assert a.satisfied == 3  # 非常满意, 满意, 基本满意 at weight 1
        assert a.not_contacted == 1  # B
        rates = a.rates()
        assert rates["sign_on_time_rate"] == 80.0
        assert rates["return_rate"] == 16.67 and rates["return_upheld_rate"] == 100.0
        assert rates["extension_rate"] == 16.67
        assert rates["reply_on_time_rate"] == 60.0
        assert rates["follow_up_rate"] == 100.0
        assert rates["satisfaction_rate"] == 75.0
        assert rates["rework_rate"] == 25.0
        # 解决率: of the four calls that reached a requester (F dissatisfied at fault, A, F again, B), F's first
        # said not solved: 3 of 4.
        assert rates["solve_rate"] == 75.0
        assert rates["supervision_on_time_rate"] is None

    def test_unit_b_has_no_follow_up_so_no_satisfaction_rate(self):
        self.build_march()
        b = unit_figures(MARCH)[self.unit_b.pk]
        assert (b.dispatched, b.signs_due, b.signed_on_time, b.replies_due, b.replied_on_time) == (1, 1, 1, 1, 1)
        assert b.rates()["satisfaction_rate"] is None

    @override_settings(STATS_BASIC_SATISFIED_WEIGHT=0.8)
    def test_basic_satisfied_can_weigh_less(self):
        self.build_march()
        a = unit_figures(MARCH)[self.unit_a.pk]
        assert a.rates()["satisfaction_rate"] == 70.0  # (1 + 1 + 0.8) / 4

    def test_the_city_adds_the_units_and_reads_intake_and_the_dispatch_clock(self):
        self.build_march()
        figures = unit_figures(MARCH)
        city = city_figures(MARCH, figures.values())
        assert (city.received, city.accepted, city.declined, city.answered_directly) == (6, 6, 0, 0)
        # Dispatches: A, F, D, B (late), D again (due 16:00 after the approved return), E, C.
        assert (city.dispatch_due, city.dispatched_on_time) == (7, 6)
        assert city.dispatched == 7 and city.replies_due == 6 and city.replied_on_time == 4
        assert city.rates()["direct_answer_rate"] == 0.0

    def test_a_county_department_rolls_up_into_its_county(self):
        assessed = assessed_unit_ids()
        assert assessed[self.unit_c.pk] == self.county.pk
        assert assessed[self.unit_a.pk] == self.unit_a.pk
        assert self.hotline.pk not in assessed
        rolled = roll_up({self.unit_c.pk: Figures(dispatched=2), self.county.pk: Figures(dispatched=1),
                          None: Figures(dispatched=9)}, assessed)
        assert rolled == {self.county.pk: Figures(dispatched=3)}


class TestKnowledgeUpkeep(FactsTestCase):
    def test_update_requests_and_stale_articles_per_owner(self):
        # Art. 22: requests due in March or answered in March; articles past their review date at the month's end.
        now = local(2026, 3, 1, 9)
        kw = {"created_at": now, "updated_at": now}
        fresh = Article.objects.create(title="路灯报修", answer="拨打12345", owner_unit=self.unit_a, state="published",
                                       review_due=dt.date(2026, 6, 1), **kw)
        Article.objects.create(title="井盖", answer="拨打12345", owner_unit=self.unit_a, state="published",
                               review_due=dt.date(2026, 3, 31), **kw)
        Article.objects.create(title="草稿", answer="未发布", owner_unit=self.unit_a, state="draft",
                               review_due=dt.date(2026, 1, 1), **kw)

        def request(due: dt.datetime, done: dt.datetime | None) -> None:
            UpdateRequest.objects.create(article=fresh, unit=self.unit_a, due=due, requested_by=self.reviewer,
                                         requested_at=now, done_at=done, state="done" if done else "open")

        request(local(2026, 3, 10), local(2026, 3, 9))  # on time
        request(local(2026, 3, 10), local(2026, 3, 12))  # late
        request(local(2026, 3, 20), None)  # due in March, never answered
        request(local(2026, 2, 20), local(2026, 3, 2))  # due in February, answered late in March
        request(local(2026, 4, 20), None)  # not due yet
        a = unit_figures(MARCH)[self.unit_a.pk]
        assert (a.kb_requests_due, a.kb_requests_on_time) == (4, 1)
        assert (a.kb_articles, a.kb_stale) == (2, 1)  # the draft does not count; 31 Mar is past at the month's end
        assert a.rates()["kb_update_on_time_rate"] == 25.0 and a.rates()["kb_stale_rate"] == 50.0
        assert timezone.is_aware(now)
