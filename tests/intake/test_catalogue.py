"""The dispatch catalogue: versioned topic × county lines, and where a matter goes (第三条 属地管理, 第十二条)."""

from __future__ import annotations

import pytest

from hotline.directory.choices import UnitKind
from hotline.directory.models import Topic, Unit
from hotline.intake import catalogue
from hotline.intake.models import CatalogueRule
from hotline.lib.errors import InvalidInput, NotFound
from tests.base import HotlineTestCase


class TestCatalogue(HotlineTestCase):
    def setUp(self):
        self.city_topic = Topic.objects.create(code="03", name="市场监管", local_first=False)
        self.market = Unit.objects.create(code="scjg", name="市市场监管局", kind=UnitKind.CITY_DEPARTMENT)

    def test_it_writes_a_new_version_and_ends_the_current_one(self):
        first = catalogue.set_rule(topic=self.topic_streetlight, region=None, lead_unit=self.unit_a, by=self.manager)
        second = catalogue.set_rule(topic=self.topic_streetlight, region=None, lead_unit=self.unit_b,
                                    assisting_units=[self.unit_a], by=self.manager, note="职能调整")
        first.refresh_from_db()
        assert (first.version, first.is_current, first.valid_until is not None) == (1, False, True)
        assert (second.version, second.is_current, second.note) == (2, True, "职能调整")
        assert [r.version for r in catalogue.history(self.topic_streetlight, None)] == [2, 1]
        assert list(second.assisting_units.all()) == [self.unit_a]

    def test_it_keeps_versions_per_county_line(self):
        catalogue.set_rule(topic=self.topic_streetlight, region=None, lead_unit=self.unit_a, by=self.manager)
        county_rule = catalogue.set_rule(topic=self.topic_streetlight, region=self.county, lead_unit=self.unit_c,
                                         by=self.manager)
        assert county_rule.version == 1
        assert CatalogueRule.objects.filter(is_current=True).count() == 2

    def test_it_refuses_a_lead_unit_that_also_assists_and_a_region_that_is_not_a_county(self):
        with pytest.raises(InvalidInput) as err:
            catalogue.set_rule(topic=self.topic_streetlight, region=None, lead_unit=self.unit_a,
                               assisting_units=[self.unit_a], by=self.manager)
        assert err.value.code == "lead_also_assisting"
        with pytest.raises(InvalidInput) as err:
            catalogue.set_rule(topic=self.topic_streetlight, region=self.unit_c, lead_unit=self.unit_a, by=None)
        assert err.value.code == "invalid_region"

    def test_it_sends_a_county_matter_to_the_county_rule_first(self):
        catalogue.set_rule(topic=self.topic_streetlight, region=None, lead_unit=self.unit_a, by=self.manager)
        catalogue.set_rule(topic=self.topic_streetlight, region=self.county, lead_unit=self.unit_c, by=self.manager)
        target = catalogue.resolve(self.topic_streetlight, self.county)
        assert target.lead_unit == self.unit_c
        assert "双清区" in target.basis
        assert catalogue.resolve(self.topic_streetlight, None).lead_unit == self.unit_a

    def test_it_uses_a_parent_topics_county_rule_for_a_child_topic(self):
        catalogue.set_rule(topic=self.topic_streetlight.parent, region=self.county, lead_unit=self.unit_c, by=None)
        assert catalogue.resolve(self.topic_manhole, self.county).lead_unit == self.unit_c

    def test_it_gives_a_local_first_matter_without_a_county_rule_to_the_county(self):
        catalogue.set_rule(topic=self.topic_streetlight, region=None, lead_unit=self.unit_a, by=self.manager)
        target = catalogue.resolve(self.topic_streetlight, self.county)
        assert target.lead_unit == self.county
        assert target.basis.startswith("属地管理")

    def test_it_keeps_a_city_level_topic_with_the_city_rule_in_a_county(self):
        catalogue.set_rule(topic=self.city_topic, region=None, lead_unit=self.market, assisting_units=[self.unit_a],
                           by=self.manager)
        target = catalogue.resolve(self.city_topic, self.county)
        assert target.lead_unit == self.market
        assert target.assisting_units == (self.unit_a,)

    def test_it_falls_back_to_the_topics_default_unit(self):
        assert catalogue.resolve(self.topic_housing, None).lead_unit == self.unit_b
        assert catalogue.resolve(self.topic_statutory, None).lead_unit == self.unit_b
        assert catalogue.resolve(self.city_topic, None) is None

    def test_it_falls_back_when_a_rule_is_retired_or_its_unit_closed(self):
        catalogue.set_rule(topic=self.topic_housing, region=None, lead_unit=self.market, by=self.manager)
        assert catalogue.resolve(self.topic_housing, None).lead_unit == self.market
        Unit.objects.filter(pk=self.market.pk).update(is_active=False)
        assert catalogue.resolve(self.topic_housing, None).lead_unit == self.unit_b
        Unit.objects.filter(pk=self.market.pk).update(is_active=True)
        catalogue.retire_rule(topic=self.topic_housing, region=None, by=self.manager, note="撤销")
        assert catalogue.resolve(self.topic_housing, None).lead_unit == self.unit_b
        with pytest.raises(NotFound):
            catalogue.retire_rule(topic=self.topic_housing, region=None, by=self.manager)


class TestCatalogueAdmin(HotlineTestCase):
    def test_adding_a_line_in_the_admin_writes_the_next_version(self):
        admin_user = type(self.manager).objects.create_superuser("root", password="Root-Pass-2026-x", role="manager")
        self.client.force_login(admin_user)
        url = "/admin/intake/cataloguerule/add/"
        for lead in (self.unit_a, self.unit_b):
            response = self.client.post(url, {"topic": self.topic_streetlight.pk, "region": "", "lead_unit": lead.pk,
                                              "assisting_units": [], "note": "调整"})
            assert response.status_code == 302
        rules = catalogue.history(self.topic_streetlight, None)
        assert [(r.version, r.lead_unit, r.is_current) for r in rules] == [(2, self.unit_b, True),
                                                                            (1, self.unit_a, False)]
        assert rules[0].changed_by == admin_user
        # Only county units are offered as a region; the lead unit cannot also assist.
        for bad in ({"region": self.unit_c.pk}, {"assisting_units": [self.unit_a.pk]}):
            response = self.client.post(url, {"topic": self.topic_streetlight.pk, "region": "",
                                              "lead_unit": self.unit_a.pk, "note": "", **bad})
            assert response.status_code == 200 and response.context["adminform"].form.errors
        assert CatalogueRule.objects.count() == 2
