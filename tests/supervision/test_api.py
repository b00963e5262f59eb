"""The supervision and coordination API (binding contract): paths, field names, strict types, the ticket API's
error codes, 404 for invisible cases, 409 for state conflicts."""

from __future__ import annotations

from urllib.parse import quote

from hotline.supervision import cases
from hotline.tickets import workflow
from tests.api.base import ApiTestCase
from tests.base import local


class SupervisionApiTest(ApiTestCase):
    def setUp(self) -> None:
        self.freeze(local(2026, 3, 9, 10))
        self.ticket = workflow.sign(workflow.dispatch(self.new_ticket(), by=self.dispatcher, lead_unit=self.unit_a),
                                    by=self.unit_a_handler)

    def open(self, **body):  # type: ignore[no-untyped-def]
        payload = {"trigger": "overdue", "method": "system", "tickets": [self.ticket.number], **body}
        return self.post("/supervision/cases", payload, as_=self.supervisor)

    def case_path(self, number: str, verb: str = "") -> str:
        return f"/supervision/cases/{quote(number)}" + (f"/{verb}" if verb else "")

    def test_it_opens_a_case_and_answers_the_contract_fields(self) -> None:
        response = self.open(method="letter")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["number"] == "督办〔2026〕第1号"
        assert (body["status"], body["trigger"], body["method"]) == ("open", "overdue", "letter")
        assert body["tickets"] == [self.ticket.number] and body["units"] == ["cgzf"]
        assert body["opened_at"] == "2026-03-09T10:00:00+08:00"
        assert body["due_at"] == "2026-03-24T00:00:00+08:00"
        assert body["extended_due_at"] is None and body["escalated_at"] is None
        read = self.get(self.case_path(body["number"]), as_=self.unit_a_handler)
        assert read.status_code == 200 and read.json()["number"] == body["number"]

    def test_it_refuses_missing_evidence_unknown_codes_and_invisible_tickets(self) -> None:
        self.assert_error(self.open(trigger="media"), 400, "required", "evidence.media_name")
        self.assert_error(self.open(trigger="rumour"), 400, "invalid_input", "trigger")
        self.assert_error(self.open(units=["nope"]), 400, "unknown_unit", "units")
        self.assert_error(self.open(tickets=["20990101000001"]), 400, "unknown_ticket", "tickets")
        self.assert_error(self.post("/supervision/cases", {"trigger": "overdue", "method": "system",
                                                           "tickets": [self.ticket.number]}, as_=self.operator),
                          403, "role_not_allowed")

    def test_it_walks_urge_reply_send_back_extension_review_and_escalate(self) -> None:
        number = self.open().json()["number"]
        urged = self.post(self.case_path(number, "urge"), {"method": "phone", "person_reached": "王科长",
                                                            "promise": "周三前办结"}, as_=self.supervisor)
        assert urged.status_code == 200 and urged.json()["urges"][0]["person_reached"] == "王科长"
        self.assert_error(self.post(self.case_path(number, "extension"), {"working_days": "3", "reason": "复杂"},
                                    as_=self.unit_a_handler), 400, "invalid_input", "working_days")
        self.assert_error(self.post(self.case_path(number, "extension"), {"working_days": 11, "reason": "复杂"},
                                    as_=self.unit_a_handler), 400, "invalid_working_days", "working_days")
        ok = self.post(self.case_path(number, "extension"), {"working_days": 2, "reason": "复杂"},
                       as_=self.unit_a_handler)
        assert ok.status_code == 200
        self.assert_error(self.post(self.case_path(number, "extension-review"), {"approve": "true"},
                                    as_=self.supervisor), 400, "invalid_input", "approve")
        reviewed = self.post(self.case_path(number, "extension-review"), {"approve": True}, as_=self.supervisor)
        assert reviewed.json()["extended_due_at"] == "2026-03-19T00:00:00+08:00"
        replied = self.post(self.case_path(number, "reply"), {"actions_taken": "督促", "result": "已办"},
                            as_=self.unit_a_handler)
        assert replied.json()["status"] == "answered"
        self.assert_error(self.post(self.case_path(number, "accept"), {}, as_=self.supervisor), 409, "tickets_open")
        back = self.post(self.case_path(number, "send-back"), {"note": "未解决"}, as_=self.supervisor)
        assert back.json()["status"] == "open"
        self.assert_error(self.post(self.case_path(number, "escalate"), {"note": "未解决"}, as_=self.supervisor),
                          409, "not_due_yet")
        self.freeze(local(2026, 3, 19))
        escalated = self.post(self.case_path(number, "escalate"), {"note": "未解决"}, as_=self.supervisor)
        assert escalated.json()["escalated_at"] == "2026-03-19T00:00:00+08:00"
        self.assert_error(self.post(self.case_path(number, "escalate"), {"note": "再报"}, as_=self.supervisor),
                          409, "already_escalated")

    def test_it_filters_the_list_and_hides_other_units_cases(self) -> None:
        self.open()
        cases.open_case(by=self.supervisor, trigger="media", method="onsite", tickets=[self.ticket],
                        units=[self.unit_b], evidence={"media_name": "邵阳日报", "media_link": "https://x.cn/1"})
        everything = self.get("/supervision/cases", as_=self.supervisor).json()
        assert everything["total"] == 2
        assert self.get("/supervision/cases", as_=self.supervisor, trigger="media").json()["total"] == 1
        assert self.get("/supervision/cases", as_=self.supervisor, unit="zjj").json()["total"] == 1
        assert self.get("/supervision/cases", as_=self.supervisor, overdue="true").json()["total"] == 0
        assert self.get("/supervision/cases", as_=self.unit_a_handler).json()["total"] == 1
        number = everything["items"][1]["number"]
        self.assert_error(self.get(self.case_path(everything["items"][0]["number"]), as_=self.unit_b_handler)
                          if everything["items"][0]["units"] == ["cgzf"] else
                          self.get(self.case_path(number), as_=self.unit_b_handler), 404, "case_not_found")


    def test_it_refuses_an_offset_beyond_the_list_with_400_not_a_server_error(self) -> None:
        # Found by the API fuzz: SQLite refused the integer and the list answered 500.
        response = self.get("/supervision/cases", as_=self.supervisor, offset="9223372036854775808")
        self.assert_error(response, 400, "invalid_input")
        assert self.get("/supervision/cases", as_=self.supervisor, offset="1000000").status_code == 200


class CoordinationApiTest(ApiTestCase):
    def test_it_flags_decides_and_redispatches(self) -> None:
        self.freeze(local(2026, 3, 9, 10))
        ticket = workflow.dispatch(self.new_ticket(), by=self.dispatcher, lead_unit=self.unit_a)
        flagged = self.post("/coordination", {"ticket": ticket.number, "reason": "职责交叉"}, as_=self.supervisor)
        assert flagged.status_code == 201 and flagged.json()["status"] == "pool"
        self.assert_error(self.post(f"/coordination/{ticket.number}/decide",
                                    {"lead_unit": "zjj", "basis": "文件", "update_catalogue": 1},
                                    as_=self.supervisor), 400, "invalid_input", "update_catalogue")
        decided = self.post(f"/coordination/{ticket.number}/decide", {"lead_unit": "zjj", "basis": "职责分工文件"},
                            as_=self.supervisor)
        assert decided.json()["lead_unit"] == "zjj"
        assert self.get(f"/tickets/{ticket.number}", as_=self.supervisor).json()["status"] == "dispatched"
        self.assert_error(self.post(f"/coordination/{ticket.number}/undetermined", {"leader": "市长"},
                                    as_=self.supervisor), 409, "coordination_decided")
        assert self.get("/coordination", as_=self.unit_a_handler).json() == []
        self.assert_error(self.get(f"/coordination/{ticket.number}", as_=self.unit_a_handler), 404,
                          "coordination_not_found")
