"""`hotline routing train|rollback|status`: learning from ticket history, versions on disk, and rollback."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from hotline.intake.models import RoutingModel
from hotline.intake.routing import history, store
from hotline.tickets import workflow
from tests.base import HotlineTestCase
from tests.intake.history import make_history, returned_then_redispatched


class TrainedCase(HotlineTestCase):
    """Personas, a small kept history, and model files in a throw-away data directory."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_history(cls)

    def setUp(self):
        self.data_dir = tempfile.TemporaryDirectory()
        self.settings_override = override_settings(DATA_DIR=Path(self.data_dir.name))
        self.settings_override.enable()
        store.forget_cache()

    def tearDown(self):
        store.forget_cache()
        self.settings_override.disable()
        self.data_dir.cleanup()


class TestHistory(TrainedCase):
    def test_it_counts_a_returned_ticket_with_the_unit_that_finally_kept_it(self):
        ticket = returned_then_redispatched(self, "路灯不亮被退回后改派城管", self.topic_streetlight)
        found = [e for e in history.examples() if "被退回后改派" in e.text]
        assert [e.unit for e in found] == [self.unit_a.code]
        assert ticket.assignments.filter(unit=self.unit_b, is_active=False).exists()

    def test_it_does_not_teach_a_unit_a_ticket_it_may_still_return(self):
        ticket = self.new_ticket(content="刚派出的路灯工单", topic=self.topic_streetlight)
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_b)
        found = [e for e in history.examples() if e.text.endswith("刚派出的路灯工单")]
        assert [(e.unit, e.topic) for e in found] == [("", "0101")]

    def test_it_keeps_the_address_beside_the_content_for_the_unit_model_only(self):
        examples = list(history.examples())
        assert all(e.address == "双清区龙须塘街道" and "龙须塘" not in e.text for e in examples)


class TestTrainAndRollback(TrainedCase):
    def test_it_trains_stores_and_activates_a_model_with_heldout_figures(self):
        row = store.train()
        assert (row.version, row.active, row.trained_on) == (1, True, 24)
        assert Path(row.path).is_file() and Path(row.path).parent == Path(self.data_dir.name) / "models"
        assert set(row.heldout) >= {"train", "test", "topic", "unit", "seconds"}
        assert 0.0 <= row.heldout["unit"]["macro_f1"] <= 1.0

    def test_it_records_the_cross_validated_choice_never_below_the_baseline(self):
        row = store.train(heldout=False)
        for target in ("topic", "unit"):
            chosen = row.heldout["selection"][target]
            figures = chosen["cv_macro_f1"]
            assert figures[chosen["chosen"]] >= chosen["baseline_cv_macro_f1"] == figures["baseline"]

    def test_it_suggests_the_unit_history_taught_it(self):
        store.train(heldout=False)
        bundle = store.active_bundle()
        pred = bundle.predict("晚上路灯又不亮了")
        assert pred.units[0].label == self.unit_a.code
        assert any("路灯" in w for w in pred.units[0].words)
        assert pred.topics[0].label == "0101"
        assert abs(sum(r.confidence for r in bundle.predict("公租房申请", k=10).units) - 1.0) < 1e-6

    def test_it_keeps_the_previous_model_and_rolls_back_to_it(self):
        first = store.train(heldout=False)
        second = store.train(heldout=False)
        assert list(RoutingModel.objects.filter(active=True)) == [second]
        assert store.rollback() == first
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.active, second.active) == (True, False)
        store.forget_cache()
        store.active_bundle()
        assert store.loaded_version() == 1

    def test_it_refuses_a_rollback_without_a_previous_model(self):
        with pytest.raises(Exception) as err:
            store.rollback()
        assert err.value.code == "no_active_model"
        store.train(heldout=False)
        with pytest.raises(Exception) as err:
            store.rollback()
        assert err.value.code == "no_previous_model"

    def test_the_command_trains_reports_status_and_rolls_back(self):
        out = StringIO()
        call_command("routing", "train", stdout=out)
        assert "3折交叉验证选定" in out.getvalue() and "基线" in out.getvalue()
        call_command("routing", "train", "--no-heldout", "--note", "第二版", stdout=out)
        assert "v2" in out.getvalue()
        status = StringIO()
        call_command("routing", "status", stdout=status)
        lines = status.getvalue().splitlines()
        assert lines[0].startswith("* v2") and lines[1].startswith("  v1")
        call_command("routing", "rollback", stdout=out)
        assert RoutingModel.objects.get(active=True).version == 1
        with pytest.raises(CommandError, match="没有可回滚"):
            call_command("routing", "rollback", stdout=out)


class TestTrainingNeedsData(HotlineTestCase):
    def test_it_refuses_to_train_on_too_little_history(self):
        with tempfile.TemporaryDirectory() as tmp, override_settings(DATA_DIR=Path(tmp)):
            with pytest.raises(ValueError, match="训练数据不足"):
                store.train(heldout=False)
            assert not RoutingModel.objects.exists()
