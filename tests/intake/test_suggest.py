"""Dispatch suggestions and their HTMX fragment: units, topics, confidence, words, region and one-click dispatch."""

from __future__ import annotations

from unittest import mock

from django.test import Client, override_settings

from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Staff, Topic, Unit
from hotline.intake import catalogue
from hotline.intake.routing import store
from hotline.intake.routing.features import is_evidence
from hotline.intake.routing.history import keep_tokens
from hotline.intake.suggest import suggest_for_ticket
from hotline.tickets.choices import Status
from tests.base import PASSWORD
from tests.intake.history import resolved_through
from tests.intake.test_routing_selection import OUTAGE
from tests.intake.test_training import TrainedCase


class TestSuggestions(TrainedCase):
    def setUp(self):
        super().setUp()
        store.train(heldout=False)

    def test_it_ranks_the_unit_that_handles_such_matters_first_with_the_words_that_drove_it(self):
        ticket = self.new_ticket(content="我家楼下的路灯坏了一个月晚上一片漆黑", address="")
        result = suggest_for_ticket(ticket)
        first = result.items[0]
        assert first.lead_unit == self.unit_a
        assert first.topic == self.topic_streetlight
        assert 0.0 < first.confidence <= 1.0
        assert any("路灯" in w for w in first.words)
        assert len(result.items) <= 3
        assert [s.confidence for s in result.items] == sorted((s.confidence for s in result.items), reverse=True)

    def test_it_reads_the_county_from_the_address_and_applies_the_county_line(self):
        catalogue.set_rule(topic=self.topic_housing, region=self.county, lead_unit=self.unit_c,
                           assisting_units=[self.unit_b], by=self.manager)
        ticket = self.new_ticket(content="公租房申请审核一直没有结果", address="双清区兴隆街道")
        result = suggest_for_ticket(ticket)
        assert result.region == self.county
        assert result.region_match.town == "兴隆街道"
        by_unit = {s.lead_unit: s for s in result.items}
        assert by_unit[self.unit_c].assisting_units == (self.unit_b,)
        assert "派单目录" in " ".join(by_unit[self.unit_c].basis)

    def test_it_puts_the_outage_first_for_an_outage_question_with_words_that_read_as_words(self):
        power = Unit.objects.create(code="power", name="国网邵阳供电公司", kind=UnitKind.PROVINCIAL)
        power_handler = Staff.objects.create_user(username="power_handler", password=PASSWORD,
                                                  role=Role.UNIT_HANDLER, unit=power)
        outage = Topic.objects.create(code="0302", name="停电", default_unit=power)
        for text in OUTAGE:
            resolved_through(self, text, power, power_handler, outage)
        store.train(heldout=False)
        store.forget_cache()
        result = suggest_for_ticket(self.new_ticket(content="停电了 报修电话是多少", address="大祥区红旗路街道"))
        first = result.items[0]
        assert (first.lead_unit, first.topic) == (power, outage)
        for item in result.items:
            assert all(is_evidence(w) and w not in "大祥区红旗路街道" for w in item.words), item.words

    def test_it_never_suggests_a_unit_of_another_county_than_the_address_names(self):
        # History sends noise to 双清区城管局; a noise complaint in 大祥区 must not go there (第三条 属地管理).
        daxiang = Unit.objects.create(code="daxiang", name="大祥区", kind=UnitKind.COUNTY)
        ticket = self.new_ticket(content="楼下烧烤店深夜噪音扰民", address="大祥区红旗路街道")
        result = suggest_for_ticket(ticket)
        assert result.region == daxiang
        assert self.unit_c not in {s.lead_unit for s in result.items}
        ticket = self.new_ticket(content="楼下烧烤店深夜噪音扰民", address="双清区龙须塘街道")
        assert self.unit_c in {s.lead_unit for s in suggest_for_ticket(ticket).items}

    def test_it_reads_the_words_kept_at_intake_without_segmenting_again(self):
        ticket = self.new_ticket(content="我家楼下的路灯坏了一个月晚上一片漆黑", address="双清区龙须塘街道")
        before = suggest_for_ticket(ticket)
        keep_tokens(ticket)
        with mock.patch("hotline.intake.routing.model.tokens", side_effect=AssertionError("segmented again")):
            after = suggest_for_ticket(ticket)
        assert [(s.lead_unit, s.words) for s in after.items] == [(s.lead_unit, s.words) for s in before.items]
        assert [round(s.confidence, 6) for s in after.items] == [round(s.confidence, 6) for s in before.items]

    @override_settings(ROUTING_AUTO_CONFIDENCE=0.0)
    def test_it_offers_one_click_above_the_configured_confidence(self):
        ticket = self.new_ticket(content="路灯不亮")
        assert suggest_for_ticket(ticket).auto is not None

    @override_settings(ROUTING_AUTO_CONFIDENCE=1.01)
    def test_it_leaves_the_choice_to_the_dispatcher_below_it(self):
        ticket = self.new_ticket(content="路灯不亮")
        assert suggest_for_ticket(ticket).auto is None


class TestSuggestionsWithoutModel(TrainedCase):
    def test_it_falls_back_to_topic_keywords_and_the_catalogue_never_one_click(self):
        self.topic_noise.keywords = "噪音,扰民"
        self.topic_noise.save()
        ticket = self.new_ticket(content="隔壁装修噪音扰民", address="")
        result = suggest_for_ticket(ticket)
        assert result.model_version is None
        assert [(s.lead_unit, s.confidence) for s in result.items] == [(self.unit_a, None)]
        assert result.items[0].words == ("噪音", "扰民")
        assert result.auto is None


class TestSuggestFragment(TrainedCase):
    def setUp(self):
        super().setUp()
        store.train(heldout=False)
        self.client = Client()
        self.ticket = self.new_ticket(content="路灯不亮晚上看不见路", address="双清区龙须塘街道")

    def login(self, user):
        assert self.client.login(username=user.username, password=PASSWORD)

    @override_settings(ROUTING_AUTO_CONFIDENCE=0.0)
    def test_it_renders_suggestions_with_one_click_dispatch_forms_for_the_dispatcher(self):
        self.login(self.dispatcher)
        response = self.client.get(f"/routing/suggest/{self.ticket.number}/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html  # a fragment for the dispatch panel
        assert 'data-testid="routing-suggestion"' in html and 'data-auto="1"' in html
        assert f'action="/tickets/{self.ticket.number}/dispatch/"' in html
        assert f'name="lead_unit" value="{self.unit_a.pk}"' in html
        assert "csrfmiddlewaretoken" in html
        assert "一键派单" in html and "依据词" in html and "双清区" in html

    def test_the_one_click_form_dispatches_through_the_ticket_screen(self):
        self.login(self.dispatcher)
        response = self.client.post(f"/tickets/{self.ticket.number}/dispatch/", {"lead_unit": self.unit_a.pk})
        assert response.status_code in (200, 302)
        self.ticket.refresh_from_db()
        assert (self.ticket.status, self.ticket.lead_unit) == (Status.DISPATCHED, self.unit_a)

    def test_it_shows_no_dispatch_buttons_once_the_ticket_is_dispatched(self):
        self.login(self.dispatcher)
        self.client.post(f"/tickets/{self.ticket.number}/dispatch/", {"lead_unit": self.unit_a.pk})
        html = self.client.get(f"/routing/suggest/{self.ticket.number}/", HTTP_HX_REQUEST="true").content.decode()
        assert 'data-testid="routing-suggestion"' in html and "/dispatch/" not in html

    def test_a_direct_visit_gets_a_full_page(self):
        self.login(self.operator)
        response = self.client.get(f"/routing/suggest/{self.ticket.number}/")
        assert response.status_code == 200 and b"<html" in response.content

    def test_unit_staff_may_not_see_suggestions_and_unknown_tickets_are_404(self):
        self.login(self.unit_a_handler)
        assert self.client.get(f"/routing/suggest/{self.ticket.number}/").status_code == 404  # not theirs
        workflow_ticket = self.dispatched_ticket()
        assert self.client.get(f"/routing/suggest/{workflow_ticket.number}/").status_code == 403
        self.login(self.dispatcher)
        assert self.client.get("/routing/suggest/19990101000001/").status_code == 404

    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.client.get(f"/routing/suggest/{self.ticket.number}/")
        assert response.status_code == 302 and "/login/" in response["Location"]
