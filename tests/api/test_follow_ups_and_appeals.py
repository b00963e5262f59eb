"""GET /tickets/{number}/follow-ups, POST /tickets/{number}/appeal and /appeal-review, GET /appeals (Art. 17, 25):
every channel's records, a unit's appeal with its files, the review, and the ledger with filters."""

from __future__ import annotations

from hotline.followups import ratings
from hotline.followups.models import Appeal
from hotline.tickets import workflow
from tests.api.base import PREFIX, ApiTestCase
from tests.tickets.support import PNG, photo

DISSATISFIED = {"reached": True, "satisfaction": "2", "solved": False, "unit_contacted": True,
                "unit_contact_method": "phone", "fault": "requester"}


class AppealCase(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.resolved_ticket()
        self.portal = ratings.rate_on_portal(self.ticket, satisfaction="1", comment="没人处理")
        self.call = workflow.follow_up(self.ticket, by=self.followup, **DISSATISFIED)

    def file(self, *, as_=None, proof=True, **fields):
        body = {"follow_up": str(self.call.pk), "ground": "untrue", "statement": "已多次电话联系，附通话记录"}
        body.update(fields)
        if proof:
            body["contact_proof"] = photo("call-log.png", PNG)
        body["evidence"] = photo("minutes.png", PNG)
        return self.client.post(f"{PREFIX}/tickets/{self.ticket.number}/appeal", body,
                                headers=self.headers(as_ or self.unit_a_handler))


class TestFollowUpList(AppealCase):
    def test_it_lists_every_record_of_every_channel_with_strict_types(self):
        body = self.get(f"/tickets/{self.ticket.number}/follow-ups", as_=self.unit_a_handler).json()
        assert [row["channel"] for row in body] == ["portal", "call"]
        portal, call = body
        assert (portal["id"], portal["reached"], portal["satisfaction"], portal["solved"],
                portal["unit_contacted"], portal["fault"]) == (self.portal.pk, True, "1", None, None, None)
        assert (call["solved"], call["unit_contacted"], call["fault"], call["excluded_from_assessment"]) == (
            False, True, "requester", False)
        assert call["at"].endswith("+08:00")

    def test_it_is_404_for_a_unit_that_cannot_see_the_ticket(self):
        self.assert_error(self.get(f"/tickets/{self.ticket.number}/follow-ups", as_=self.unit_b_handler), 404,
                          "ticket_not_found")


class TestAppeal(AppealCase):
    def test_it_files_an_appeal_with_its_files(self):
        response = self.file()
        assert response.status_code == 201, response.content.decode()
        body = response.json()
        assert (body["follow_up"], body["ground"], body["state"], body["unit"]) == (self.call.pk, "untrue",
                                                                                    "pending", "cgzf")
        assert sorted(e["kind"] for e in body["evidence"]) == ["contact_proof", "other"]

    def test_it_refuses_an_appeal_without_proof_of_contact(self):
        self.assert_error(self.file(proof=False), 400, "contact_proof_required", "evidence")

    def test_it_refuses_a_second_appeal_on_one_rating_with_409(self):
        assert self.file().status_code == 201
        self.assert_error(self.file(as_=self.unit_a_manager), 409, "already_appealed")

    def test_it_refuses_an_unknown_ground_and_a_rating_of_another_ticket(self):
        self.assert_error(self.file(ground="unfair"), 400, "invalid_input", "ground")
        other = self.resolved_ticket()
        foreign = ratings.rate_on_portal(other, satisfaction="1")
        self.assert_error(self.file(follow_up=str(foreign.pk)), 400, "unknown_follow_up", "follow_up")

    def test_it_forbids_hotline_roles(self):
        self.assert_error(self.file(as_=self.reviewer), 403, "role_not_allowed")


class TestAppealReview(AppealCase):
    def test_it_upholds_and_shows_the_rating_excluded_yet_unchanged(self):
        self.file()
        body = self.verb(self.ticket.number, "appeal-review", {"approve": True, "note": "通话记录属实"},
                         as_=self.reviewer).json()
        assert (body["state"], body["satisfaction"], body["excluded_from_assessment"]) == ("upheld", "2", True)
        rows = self.get(f"/tickets/{self.ticket.number}/follow-ups", as_=self.reviewer).json()
        assert [row["excluded_from_assessment"] for row in rows] == [False, True]

    def test_it_takes_only_a_json_boolean(self):
        self.file()
        self.assert_error(self.verb(self.ticket.number, "appeal-review", {"approve": "yes", "note": "x"},
                                    as_=self.reviewer), 400, "invalid_input", "approve")

    def test_it_needs_a_reason(self):
        self.file()
        self.assert_error(self.verb(self.ticket.number, "appeal-review", {"approve": False}, as_=self.reviewer),
                          400, "required", "note")

    def test_it_answers_409_when_nothing_is_pending_and_for_a_second_decision(self):
        self.assert_error(self.verb(self.ticket.number, "appeal-review", {"approve": True, "note": "x"},
                                    as_=self.reviewer), 409, "no_pending_appeal")
        self.file()
        appeal = Appeal.objects.get()
        self.verb(self.ticket.number, "appeal-review", {"approve": False, "note": "证据不足"}, as_=self.reviewer)
        self.assert_error(self.verb(self.ticket.number, "appeal-review",
                                    {"approve": True, "note": "改判", "appeal": appeal.pk}, as_=self.manager),
                          409, "appeal_decided")

    def test_it_forbids_the_unit(self):
        self.file()
        self.assert_error(self.verb(self.ticket.number, "appeal-review", {"approve": True, "note": "x"},
                                    as_=self.unit_a_handler), 403, "role_not_allowed")


class TestAppealList(AppealCase):
    def test_it_lists_with_filters_and_only_what_the_caller_sees(self):
        self.file()
        assert self.get("/appeals", as_=self.reviewer).json()["total"] == 1
        assert self.get("/appeals", as_=self.reviewer, state="upheld").json()["total"] == 0
        assert self.get("/appeals", as_=self.reviewer, unit="cgzf", ground="untrue").json()["total"] == 1
        assert self.get("/appeals", as_=self.unit_b_handler).json()["total"] == 0

    def test_it_refuses_an_unknown_filter_value(self):
        self.assert_error(self.get("/appeals", as_=self.reviewer, state="maybe"), 400, "invalid_input", "state")
        self.assert_error(self.get("/appeals", as_=self.reviewer, unit="nowhere"), 400, "unknown_unit", "unit")
