"""The intake desk: Art. 10 reasons and scripts, caller history, merging repeated requests, nuisance callers,
emergencies, deputies, and the call page taking a call of each kind in one step (finding repeats: test_repeats)."""

from __future__ import annotations

from django.test import Client

from hotline.channels import desk, intake
from hotline.channels.acceptance import all_scripts, script
from hotline.channels.models import DeputyTicket, FlagState
from hotline.directory.choices import EmergencyCategory, UnitKind
from hotline.directory.models import Topic, Unit
from hotline.lib.errors import Conflict, Forbidden, InvalidInput
from hotline.tickets.choices import Channel, DeclineReason, Status
from hotline.tickets.models import Event, Ticket
from tests.base import PASSWORD, HotlineTestCase


class TestAcceptanceScripts(HotlineTestCase):
    def test_it_has_a_script_for_each_of_the_ten_reasons_of_article_10(self):
        scripts = all_scripts()
        assert [s.reason for s in scripts] == [str(n) for n in range(1, 11)]
        assert all(s.explanation for s in scripts)

    def test_it_tells_the_legal_route_for_litigation_and_petition_matters(self):
        assert "人民法院" in script(DeclineReason.LEGAL_ROUTE).full_text
        assert "行政复议" in script(DeclineReason.LEGAL_ROUTE).full_text
        assert "复查、复核" in script(DeclineReason.PETITION).full_text
        assert script(DeclineReason.NUISANCE).legal_route == ""


class TestCallerHistoryAndRepeats(HotlineTestCase):
    def test_it_finds_earlier_calls_by_phone_whatever_the_spacing(self):
        first = self.new_ticket(requester={"name": "张三", "phone": "13987654321"})
        self.new_ticket(requester={"name": "李四", "phone": "13900000000"})
        assert desk.caller_history("139 8765 4321") == [first]
        assert desk.caller_history("+86 139-8765-4321") == [first]
        assert desk.caller_history("") == []

    def test_merging_keeps_each_requesters_own_follow_up(self):
        original = self.new_ticket()
        repeat = intake.take_call(by=self.operator, data={
            "channel": "phone", "request_type": "complaint", "content": "路灯还是不亮", "phone": "13711112222",
            "name": "王五", "action": "merge", "merge_into": original.number})
        assert repeat.status == Status.MERGED
        assert repeat.merged_into == original
        assert repeat.requester.phone == "13711112222"
        assert original.merged_tickets.get() == repeat


class TestNuisanceFlags(HotlineTestCase):
    def test_it_flags_with_evidence_for_review_and_shows_the_flag_at_intake(self):
        flag = desk.raise_flag(by=self.operator, phone="13600001111", kind="repeat",
                               evidence="11月1日至20日来电37次，内容相同，录音 R-2026-1101 等")
        assert flag.state == FlagState.PENDING
        assert flag.phone_masked == "136****1111"
        assert desk.nuisance_flags("136 0000 1111") == [flag]
        desk.review_flag(flag, by=self.manager, confirm=True)
        flag.refresh_from_db()
        assert flag.state == FlagState.CONFIRMED

    def test_only_the_manager_reviews_and_only_once(self):
        flag = desk.raise_flag(by=self.operator, phone="13600001111", kind="abuse", evidence="辱骂话务员，录音 R-9")
        try:
            desk.review_flag(flag, by=self.reviewer, confirm=True)
            raise AssertionError("a reviewer must not review nuisance flags")
        except Forbidden:
            pass
        desk.review_flag(flag, by=self.manager, confirm=False, note="证据不足")
        try:
            desk.review_flag(flag, by=self.manager, confirm=True)
            raise AssertionError("a reviewed flag must not be reviewed again")
        except Conflict:
            pass
        assert desk.nuisance_flags("13600001111") == []

    def test_a_flag_needs_evidence(self):
        try:
            desk.raise_flag(by=self.operator, phone="13600001111", kind="repeat", evidence="")
            raise AssertionError("evidence is required")
        except InvalidInput as exc:
            assert exc.field == "evidence"

    def test_a_flagged_caller_can_still_make_a_genuine_new_request(self):
        flag = desk.raise_flag(by=self.operator, phone="13600001111", kind="repeat", evidence="反复来电20次")
        desk.review_flag(flag, by=self.manager, confirm=True)
        ticket = intake.take_call(by=self.operator, data={
            "channel": "phone", "request_type": "help", "content": "家门口井盖丢失，有安全隐患",
            "phone": "13600001111", "action": "transfer"})
        assert ticket.status == Status.PENDING_DISPATCH


class TestEmergencyAndDeputies(HotlineTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.yjj = Unit.objects.create(code="yjj", name="市应急管理局", kind=UnitKind.CITY_DEPARTMENT,
                                      handles_emergency=EmergencyCategory.DISASTER, responds_24h=True)
        cls.disaster = Topic.objects.create(code="1201", name="自然灾害", emergency_category=EmergencyCategory.DISASTER)

    def test_it_routes_an_emergency_topic_to_the_emergency_management_bureau(self):
        assert desk.emergency_unit(self.disaster) == self.yjj
        assert desk.emergency_unit(self.topic_streetlight) is None

    def test_a_dispatcher_taking_an_emergency_call_dispatches_it_at_once(self):
        ticket = intake.take_call(by=self.dispatcher, data={
            "channel": "phone", "request_type": "help", "content": "山体滑坡堵住了村道", "topic": self.disaster,
            "action": "transfer"})
        assert ticket.status == Status.DISPATCHED
        assert ticket.lead_unit == self.yjj
        assert "第十二条第二项" in Event.objects.get(ticket=ticket, action="dispatch").reason

    def test_an_operator_hands_off_to_119_with_line_time_and_summary(self):
        ticket = intake.take_call(by=self.operator, data={
            "channel": "phone", "request_type": "help", "content": "楼道起火冒烟", "action": "hand_off",
            "hand_off_line": "119", "hand_off_summary": "北塔区某小区楼道起火，已转119"})
        assert ticket.status == Status.HANDED_OFF
        assert ticket.hand_off.line == "119"
        assert ticket.hand_off.operator == self.operator

    def test_a_deputys_call_is_flagged_and_entered_in_the_ledger(self):
        deputy = desk.register_deputy(name="刘代表", delegation="双清区代表团", level="city", phone="13811112222")
        ticket = intake.take_call(by=self.operator, data={
            "channel": "phone", "request_type": "suggestion", "content": "建议增设公交站点", "phone": "138 1111 2222",
            "action": "transfer"})
        assert ticket.channel == Channel.DEPUTY
        assert DeputyTicket.objects.get(ticket=ticket).deputy == deputy


class TestCallPage(HotlineTestCase):
    def setUp(self) -> None:
        self.client = Client()
        self.client.login(username="operator", password=PASSWORD)

    def post(self, **data: str):
        body = {"channel": "phone", "request_type": "help", "content": "小区停水两天了", "phone": "13987654321",
                "action": "transfer"}
        body.update(data)
        return self.client.post("/desk/call/", body)

    def test_it_takes_a_call_of_each_kind(self):
        assert self.post().status_code == 302
        self.post(action="answer", answer_text="停水原因是管网检修，预计今晚恢复")
        self.post(action="decline", decline_reason="9")
        first = Ticket.objects.order_by("created_at").first()
        self.post(action="merge", merge_into=first.number)
        self.post(action="consult", consult_unit=str(self.unit_a.pk))
        self.post(action="hand_off", hand_off_line="120")
        statuses = sorted(Ticket.objects.values_list("status", flat=True))
        assert statuses == sorted([Status.PENDING_DISPATCH, Status.ANSWERED, Status.DECLINED, Status.MERGED,
                                   Status.CONSULTING, Status.HANDED_OFF])
        declined = Ticket.objects.get(status=Status.DECLINED)
        assert declined.explanation == script("9").full_text

    def test_it_keeps_the_typed_call_and_says_what_is_missing(self):
        response = self.post(action="answer", answer_text="", content="咨询社保卡补办需要什么材料")
        assert response.status_code == 400
        html = response.content.decode()
        assert "请填写答复内容" in html
        assert "咨询社保卡补办需要什么材料" in html
        assert not Ticket.objects.exists()

    def test_a_failed_second_step_leaves_no_ticket_behind(self):
        response = self.post(action="merge", merge_into="20990101000001")
        assert response.status_code == 400
        assert "不存在" in response.content.decode()
        assert not Ticket.objects.exists()

    def test_unit_staff_cannot_take_calls(self):
        client = Client()
        client.login(username="unit_a_handler", password=PASSWORD)
        assert client.get("/desk/call/").status_code == 403

    def test_the_panels_show_history_repeats_and_suggestions(self):
        original = self.new_ticket(content="建设路路灯不亮已经一周了")
        html = self.client.get("/desk/call/caller/", {"phone": "13987654321"}).content.decode()
        assert original.number in html
        html = self.client.get("/desk/call/assist/", {"content": "建设路路灯还是不亮，投诉", "phone": "13987654321"})
        html = html.content.decode()
        assert original.number in html
        assert "投诉" in html and "含“投诉”" in html


class TestEachArticle10Reason(HotlineTestCase):
    def test_it_declines_a_call_for_each_reason_with_its_script_and_article(self):
        for code in DeclineReason.values:
            ticket = intake.take_call(by=self.operator, data={
                "channel": "phone", "request_type": "help", "content": f"第{code}类不予受理的来电内容",
                "action": "decline", "decline_reason": code})
            assert ticket.status == Status.DECLINED
            assert ticket.decline_reason == code
            assert ticket.explanation == script(code).full_text
            event = ticket.events.get(action="decline")
            assert event.article.startswith("第十条第")
        assert Ticket.objects.filter(status=Status.DECLINED).count() == 10

    def test_a_repeat_declined_with_a_link_names_the_original(self):
        original = self.new_ticket()
        ticket = intake.take_call(by=self.operator, data={
            "channel": "phone", "request_type": "complaint", "content": "路灯的事情我再说一遍",
            "action": "decline", "decline_reason": "4", "merge_into": original.number})
        assert f"原工单编号：{original.number}" in ticket.explanation


class TestAnswerFromKnowledge(HotlineTestCase):
    def test_answering_a_call_from_an_article_links_them_and_counts_the_use(self):
        from django.utils import timezone

        from hotline.knowledge.models import Article, ArticleState, ArticleUse

        now = timezone.now()
        article = Article.objects.create(title="社保卡补办", answer="携带身份证到社保服务网点办理",
                                         owner_unit=self.unit_b, state=ArticleState.PUBLISHED, created_at=now,
                                         updated_at=now, published_at=now)
        ticket = intake.take_call(by=self.operator, data={
            "channel": "phone", "request_type": "consultation", "content": "社保卡丢了怎么补办", "action": "answer",
            "answer_text": article.answer, "knowledge_article": str(article.pk)})
        assert ticket.status == Status.ANSWERED
        assert ArticleUse.objects.get(ticket=ticket).article == article
        assert ticket.events.get(action="answer").data["knowledge_article"] == str(article.pk)

    def test_an_unknown_article_leaves_nothing_behind(self):
        try:
            intake.take_call(by=self.operator, data={
                "channel": "phone", "request_type": "consultation", "content": "社保卡丢了怎么补办",
                "action": "answer", "answer_text": "答复", "knowledge_article": "999999"})
            raise AssertionError("an unknown article must be refused")
        except InvalidInput as exc:
            assert exc.code == "unknown_article"
        assert not Ticket.objects.exists()
