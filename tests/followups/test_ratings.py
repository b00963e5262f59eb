"""Every channel of rating is a follow-up record (Art. 17): the portal and SMS replies, shown beside the calls; a
later call by an agent takes precedence in the statistics."""

import pytest

from hotline.followups import ratings, selectors
from hotline.followups.appeals import file_appeal, review_appeal
from hotline.lib.errors import Conflict, Forbidden, InvalidInput
from hotline.tickets import workflow
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import FollowUp
from tests.followups.support import FollowUpTestCase, contact_proof
from tests.tickets.support import MINUTE


class TestRatings(FollowUpTestCase):
    def test_a_portal_rating_is_a_follow_up_record_that_moves_nothing(self):
        ticket = self.resolved_ticket()
        before = self.events(ticket)
        fu = ratings.rate_on_portal(ticket, satisfaction="2", comment="路灯又坏了")
        assert (fu.channel, fu.agent, fu.reached, fu.satisfaction, fu.note) == ("portal", None, True, "2",
                                                                                "路灯又坏了")
        assert (fu.unit_contacted, fu.solved, fu.fault) == (None, None, "")
        assert fu.appeal_due is not None  # a dissatisfied rating of any channel may be appealed (Art. 25)
        assert self.reload(ticket).status == Status.RESOLVED
        event = self.assert_event(ticket, before, action=Action.FOLLOW_UP, actor=None, unit=None,
                                  frm=Status.RESOLVED, to=Status.RESOLVED, article="第十七条")
        assert event.data == {"follow_up": fu.pk, "channel": "portal", "reached": True, "satisfaction": "2",
                              "solved": None, "unit_contacted": None, "fault": "", "unit_at_fault": False}

    def test_it_takes_one_portal_rating_per_ticket(self):
        ticket = self.resolved_ticket()
        ratings.rate_on_portal(ticket, satisfaction="5")
        with pytest.raises(Conflict) as caught:
            ratings.rate_on_portal(ticket, satisfaction="1")
        assert caught.value.code == "already_rated"

    def test_it_refuses_a_rating_before_resolution(self):
        with pytest.raises(Conflict):
            ratings.rate_on_portal(self.signed_ticket(), satisfaction="5")

    def test_an_sms_reply_from_the_requesters_phone_is_a_rating(self):
        ticket = self.resolved_ticket()
        fu = ratings.rate_by_sms(ticket, phone="13987654321", text="3 还是没人来修")
        assert (fu.channel, fu.satisfaction, fu.note) == ("sms", "2", "还是没人来修")

    def test_it_reads_the_sms_menu_and_the_words_of_the_five_levels(self):
        assert ratings.parse_sms_reply("1") == ("4", "")
        assert ratings.parse_sms_reply("2、谢谢") == ("3", "谢谢")
        assert ratings.parse_sms_reply("非常不满意，没人处理")[0] == "1"
        assert ratings.parse_sms_reply("非常满意")[0] == "5"
        for text in ("", "12", "好的"):
            with pytest.raises(InvalidInput):
                ratings.parse_sms_reply(text)

    def test_it_refuses_an_sms_from_another_phone(self):
        ticket = self.resolved_ticket()
        with pytest.raises(Forbidden):
            ratings.rate_by_sms(ticket, phone="13700000000", text="3")

    def test_a_later_call_takes_precedence_over_the_portal_rating_in_the_statistics(self):
        ticket = self.resolved_ticket()
        portal = ratings.rate_on_portal(ticket, satisfaction="1")
        assert list(ratings.counted(FollowUp.objects.all())) == [portal]
        self.move_to(portal.at + MINUTE)
        call = workflow.follow_up(ticket, by=self.followup, reached=True, satisfaction="4", solved=True,
                                  unit_contacted=True, unit_contact_method="phone")
        assert list(ratings.counted(FollowUp.objects.order_by("id"))) == [call]
        assert list(selectors.records(ticket)) == [portal, call]  # both shown
        assert selectors.satisfaction(FollowUp.objects.all()).raw == 100

    def test_an_unreached_call_does_not_override_the_rating(self):
        ticket = self.resolved_ticket()
        portal = ratings.rate_on_portal(ticket, satisfaction="5")
        workflow.follow_up(ticket, by=self.followup, reached=False)
        assert list(ratings.counted(FollowUp.objects.exclude(reached=False))) == [portal]


class TestRawAndAssessedSatisfaction(FollowUpTestCase):
    def test_ten_visits_two_dissatisfied_one_upheld_is_88_89_per_cent(self):
        rated = []
        for level in ("5", "4", "4", "4", "3", "5", "4", "4", "2", "1"):
            ticket = self.resolved_ticket()
            rated.append(ratings.rate_on_portal(ticket, satisfaction=level))
        a = file_appeal(rated[-1], by=self.unit_a_handler, ground="malicious", statement="反复无理投诉",
                        evidence=[contact_proof()])
        review_appeal(a, by=self.reviewer, approve=True, note="属实")
        figures = selectors.satisfaction(FollowUp.objects.all())
        assert (figures.valid, figures.dissatisfied, figures.excluded) == (10, 2, 1)
        assert (str(figures.raw), str(figures.assessed)) == ("80.00", "88.89")

    def test_no_rating_is_no_rate_not_a_hundred_per_cent(self):
        figures = selectors.satisfaction(FollowUp.objects.none())
        assert (figures.raw, figures.assessed) == (None, None)
