"""Assessment (Art. 27): the rate formula, caps, ties, lists, and unit A's March score sheet with its evidence."""

from __future__ import annotations

from hotline.reports import assessment, closing
from hotline.reports.assessment import capped, grade, rank, rate_points, red_and_black
from hotline.reports.facts import Period
from hotline.reports.indicators import Figures
from hotline.reports.models import AssessmentEntry, RuleSet
from hotline.reports.sources import Evidence
from tests.reports.test_indicators import MarchStory


class TestFormulas:
    def test_a_rate_at_the_target_earns_the_whole_weight(self):
        assert rate_points(20, 1, 95, 95) == 20
        assert rate_points(20, 1, 95, 99.5) == 20

    def test_a_rate_far_below_scores_zero_never_negative(self):
        assert rate_points(20, 1, 95, 10) == 0
        # LYG's published figures: 80 % → 5, 89.82 % → 14.82 (WAVE2 §7).
        assert rate_points(20, 1, 95, 80) == 5
        assert round(rate_points(20, 1, 95, 89.82), 2) == 14.82

    def test_a_deduction_stops_at_its_cap(self):
        assert capped(0.5, 3, 5) == 1.5
        assert capped(2, 10, 6) == 6

    def test_ties_share_a_rank_and_an_unscored_unit_is_not_ranked(self):
        ranks = rank({"a": 90, "b": 80, "c": 80, "d": 70, "e": None})
        assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}

    def test_tied_fifth_places_are_both_red(self):
        scores = {"a": 99, "b": 98, "c": 97, "d": 96, "e": 95, "f": 95, "g": 60, "h": 50, "i": 40, "j": 30,
                  "k": 20, "l": 10}
        red, black = red_and_black(rank(scores), 5)
        assert red == ["a", "b", "c", "d", "e", "f"]
        assert black == ["l", "k", "j", "i", "h"]

    def test_grades_follow_the_published_bands(self):
        assert [grade(s) for s in (95, 85, 60, 59.99)] == ["优秀", "良好", "合格", "不合格"]

    def test_a_unit_without_any_rate_has_no_score_but_keeps_its_evidence(self):
        evidence = {"upper_late": [Evidence("entry", "1", "省平台工单逾期", "/admin/")]}
        sheet = assessment.score(assessment.DEFAULT_ITEMS, Figures(), evidence)
        assert sheet.score is None
        assert [(line.key, line.points) for line in sheet.lines if line.evidence] == [("upper_late", -2)]


class TestUnitASheet(MarchStory):
    def test_every_point_lost_in_march_has_its_evidence(self):
        self.build_march()
        self.at(2026, 4, 2, 9)
        AssessmentEntry.objects.create(unit=self.unit_a, month=Period.month(2026, 3).start, item="upper_late",
                                       note="省平台转办件逾期", evidence="湘12345-2026-0301", entered_by=self.manager)
        snap = closing.build_snapshot(2026, 3)
        sheet = next(row for row in snap["units"] if row["code"] == "cgzf")["sheet"]
        lines = {line["key"]: line for line in sheet["lines"]}
        # Rates: 签收 80 % → 10 − 0.5 × 20 = 0; 办结 60 % → 0 (clamped); 满意 75 % → 35 − 20 = 15; 解决 75 % (3 of
        # the 4 calls that reached a requester) → 0 (clamped); 知识库, 督办 have no denominator: 15 scaled by
        # 100 / 80 = 18.75.
        assert (lines["sign_on_time"]["points"], lines["reply_on_time"]["points"]) == (0, 0)
        assert lines["satisfaction"]["points"] == 15
        assert (lines["solve"]["value"], lines["solve"]["points"]) == ("75.00%", 0)
        assert lines["scaled"]["points"] == 3.75
        # Deductions: B replied late and E overdue without extension (2 × 0.5); B's requester never contacted
        # (0.5); F sent back for rework (1); a higher-level ticket late, entered with evidence (2).
        assert lines["late_without_extension"]["points"] == -1.0
        assert [e["kind"] for e in lines["late_without_extension"]["evidence"]] == ["event", "event"]
        assert lines["not_contacted"]["points"] == -0.5
        assert lines["false_closure"]["points"] == -1.0
        assert lines["upper_late"]["points"] == -2.0
        # cgzf answers 24 hours a day (Art. 20) and sent no duty roster for March (Art. 27): 2 points.
        assert lines["roster_missing"]["points"] == -2.0
        assert "湘12345-2026-0301" in lines["upper_late"]["evidence"][0]["label"]
        assert sheet["score"] == 12.25  # 18.75 − 4.5 − 2
        link = lines["not_contacted"]["evidence"][0]["url"]
        assert link.startswith("/tickets/") and "#event-" in link

    def test_the_rule_set_is_data_and_a_new_version_takes_over(self):
        first = assessment.active_rule_set(2026)
        assert first.version == 1 and first.items == assessment.DEFAULT_ITEMS
        items = [dict(i, target=60) if i["key"] == "reply_on_time" else i for i in first.items]
        RuleSet.objects.create(year=2026, version=2, name="修订", items=items)
        assert assessment.active_rule_set(2026).version == 2
