"""`hotline evaluate routing|similar` on small fixtures: figures, the baseline beside them, JSON on the last line."""

from __future__ import annotations

import csv
import json
import random
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from hotline.intake.evaluation import evaluate_routing, evaluate_similar
from tests.intake.history import HOUSING, NOISE, STREETLIGHT

CLASSES = {"路灯": STREETLIGHT, "住房": HOUSING, "噪音": NOISE}


def _write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def routing_files(tmp_path):
    rng = random.Random(7)
    rows = [(f"{text}，{suffix}", label) for label, texts in CLASSES.items() for text in texts
            for suffix in ("请尽快处理", "希望有关部门重视", "谢谢")]
    rng.shuffle(rows)
    return (_write(tmp_path / "train.csv", ["text", "label"], rows[:54]),
            _write(tmp_path / "test.csv", ["text", "label"], rows[54:]))


def test_it_reports_accuracy_macro_f1_top3_and_latency_for_ours_and_the_baseline(routing_files):
    out = StringIO()
    result = evaluate_routing(*routing_files, out=out)
    keys = {"accuracy", "macro_f1", "top3_accuracy", "ms_per_item"}
    assert keys <= set(result) and keys <= set(result["baseline"])
    assert result["n_test"] == 18 and result["labels"] == 3
    assert result["macro_f1"] >= 0.8  # three matters with their own words are easy
    assert result["top3_accuracy"] == 1.0  # three classes: the truth is always in the top 3
    assert "macro-F1" in out.getvalue()


def test_it_reads_other_column_names(tmp_path):
    rows = [(label, text) for label, texts in CLASSES.items() for text in texts]
    path = _write(tmp_path / "d.csv", ["category", "message"], rows)
    result = evaluate_routing(path, path, text_column="message", label_column="category")
    assert result["accuracy"] > 0.9  # tested on its own training data


def test_the_command_prints_one_json_object_last(routing_files):
    out = StringIO()
    call_command("evaluate", "routing", "--train", str(routing_files[0]), "--test", str(routing_files[1]), stdout=out)
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    assert {"macro_f1", "top3_accuracy", "baseline"} <= set(last)


def test_the_command_reports_a_missing_column_as_an_error(routing_files):
    with pytest.raises(CommandError, match="缺少列"):
        call_command("evaluate", "routing", "--train", str(routing_files[0]), "--test", str(routing_files[1]),
                     "--text-column", "body", stdout=StringIO())


def test_it_finds_paraphrases_in_the_same_group(tmp_path):
    rows = [("g1", "公租房申请需要什么材料"), ("g1", "申请公租房要准备哪些材料"),
            ("g2", "路灯不亮找哪个部门"), ("g2", "路灯坏了应该找哪个部门修"),
            ("g3", "夜间施工噪音怎么投诉"), ("g3", "晚上工地施工噪音去哪里投诉"), ("g4", "没有同组的问题")]
    path = _write(tmp_path / "s.csv", ["docid", "question"], rows)
    result = evaluate_similar(path)
    assert result["n_queries"] == 6  # the lone question has no partner to find
    assert result["recall_at_1"] == 1.0 and result["recall_at_5"] == 1.0
    assert {"recall_at_1", "recall_at_5", "ms_per_query"} <= set(result["baseline"])
    out = StringIO()
    call_command("evaluate", "similar", "--csv", str(path), stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1])["recall_at_1"] == 1.0


def test_the_fast_probabilities_are_scikit_learns_calibrated_probabilities():
    from hotline.intake.routing.classifier import LabelModel
    from hotline.intake.routing.features import Featurizer

    texts = [t for texts in CLASSES.values() for t in texts]
    for labels in ([label for label, texts in CLASSES.items() for _ in texts],  # three classes
                   ["路灯" if i < 8 else "其他" for i in range(len(texts))]):  # two classes
        featurizer = Featurizer()
        model = LabelModel().fit(featurizer.fit_transform(texts), labels)
        matrix = featurizer.transform(["路灯不亮", "公租房申请", "噪音扰民"])
        assert np.allclose(model.predict_proba(matrix), model._calibrated.predict_proba(matrix), atol=1e-5)
