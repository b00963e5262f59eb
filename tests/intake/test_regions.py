"""Region extraction: Shaoyang's 12 counties and districts by name and short form, and their towns (第三条 属地管理)."""

from __future__ import annotations

from hotline.intake.regions import counties, extract_region
from tests.base import HotlineTestCase


def test_it_knows_all_twelve_counties_and_districts_of_shaoyang():
    names = {c.name for c in counties()}
    assert len(names) == 12
    assert {"双清区", "大祥区", "北塔区", "邵东市", "新邵县", "邵阳县", "隆回县", "洞口县", "绥宁县", "新宁县",
            "城步苗族自治县", "武冈市"} == names


def test_it_reads_the_county_and_town_from_the_address():
    match = extract_region("双清区龙须塘街道建设路12号")
    assert match is not None
    assert (match.county, match.town, match.source) == ("双清区", "龙须塘街道", "address")


def test_it_reads_short_forms_and_towns_without_the_county():
    assert extract_region("武冈迎春亭街道").county == "武冈市"
    assert extract_region("城步儒林镇").county == "城步苗族自治县"
    # A town alone is enough: 桃洪镇 is in 隆回县.
    assert extract_region("", "桃洪镇菜市场门口污水横流").county == "隆回县"


def test_it_does_not_take_shaoyang_city_for_shaoyang_county():
    assert extract_region("邵阳市双清区").county == "双清区"
    assert extract_region("邵阳县塘渡口镇").county == "邵阳县"
    assert extract_region("邵阳市") is None


def test_it_trusts_an_ambiguous_short_form_only_in_an_address():
    assert extract_region("洞口高沙").county == "洞口县"
    assert extract_region("", "下水道洞口没有盖子很危险") is None
    assert extract_region("", "洞口县高沙镇下水道没有盖子").county == "洞口县"


def test_it_prefers_the_address_over_the_content():
    match = extract_region("大祥区城南街道", "我老家在新宁县，现在住大祥区")
    assert (match.county, match.source) == ("大祥区", "address")
    match = extract_region("", "新宁县崀山镇景区门票乱收费")
    assert (match.county, match.town, match.source) == ("新宁县", "崀山镇", "content")


def test_it_needs_the_full_town_name_in_free_text():
    # "高桥" is a common word; only 高桥镇 names the town in 新宁县.
    assert extract_region("", "小区旁边的高桥下面有垃圾") is None
    assert extract_region("", "高桥镇中学门口有垃圾").county == "新宁县"


class TestRegionUnit(HotlineTestCase):
    def test_it_finds_the_county_unit_in_the_directory(self):
        match = extract_region("双清区兴隆街道")
        assert match.unit() == self.county

    def test_it_has_no_unit_for_a_county_not_set_up(self):
        assert extract_region("绥宁县长铺镇").unit() is None
