"""An appeal on the ground of a malicious request (Art. 25, 29): the reviewer sees the nuisance flags on the
requester beside the unit's evidence; the flags live in channels and reach the appeal screen through its
registration, not an import against the floors."""

from __future__ import annotations

from django.test import Client

from hotline.channels import desk
from hotline.followups import appeal_evidence
from hotline.followups.appeals import file_appeal
from hotline.tickets.choices import AppealGround
from tests.followups.support import FollowUpTestCase, contact_proof

PHONE = "13987654321"  # the requester of the personas' tickets


class TestNuisanceFlagsOnAppeals(FollowUpTestCase):
    def appeal_on(self, ground: str):  # type: ignore[no-untyped-def]
        _ticket, fu = self.rated_dissatisfied()
        return file_appeal(fu, by=self.unit_a_handler, ground=ground, statement="该来电人反复来电辱骂",
                           evidence=[contact_proof()])

    def page(self, appeal) -> str:  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(self.reviewer)
        return client.get(f"/followups/appeals/{appeal.pk}/").content.decode()

    def test_the_reviewer_sees_the_requesters_flags_on_a_malicious_ground(self) -> None:
        appeal = self.appeal_on(AppealGround.MALICIOUS)
        confirmed = desk.raise_flag(by=self.operator, phone=PHONE, kind="repeat",
                                    evidence="一周内来电17次，录音编号R-0312")
        desk.review_flag(confirmed, by=self.manager, confirm=True, note="属实")
        dismissed = desk.raise_flag(by=self.operator, phone=PHONE, kind="abuse", evidence="误标的一次来电")
        desk.review_flag(dismissed, by=self.manager, confirm=False, note="不属实")
        desk.raise_flag(by=self.operator, phone="13700000000", kind="occupy", evidence="另一来电人三次")
        page = self.page(appeal)
        assert "骚扰来电标记（第二十九条）" in page
        assert "一周内来电17次，录音编号R-0312" in page and "无新情况反复来电" in page
        assert "已确认" in page
        assert "误标的一次来电" not in page and "另一来电人" not in page
        assert PHONE not in page  # masked, as everywhere (Art. 23)

    def test_it_says_so_when_there_is_no_flag(self) -> None:
        page = self.page(self.appeal_on(AppealGround.MALICIOUS))
        assert "骚扰来电标记（第二十九条）" in page and "无相关记录" in page

    def test_other_grounds_do_not_show_flags(self) -> None:
        desk.raise_flag(by=self.operator, phone=PHONE, kind="repeat", evidence="一周内来电17次")
        appeal = self.appeal_on(AppealGround.UNTRUE)
        assert appeal_evidence.for_appeal(appeal) == []
        assert "骚扰来电标记" not in self.page(appeal)
