"""Trained models on disk under HOTLINE_DATA_DIR/models, one DB row each; one is active, the previous kept for rollback.

Files are pickles written by this program only (joblib); nothing is ever fetched from the network. Loading is cached per
process and keyed by version, so a rollback in one process is picked up by the others on their next suggestion.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hotline.intake.models import RoutingModel
from hotline.intake.routing import history
from hotline.intake.routing.model import FORMAT, RoutingBundle, heldout_figures
from hotline.lib.errors import Conflict, NotFound

KEEP_FILES = 5  # older model files are deleted; their rows stay as the training record
_cache: dict[str, Any] = {"version": None, "bundle": None, "checked": 0.0}
_lock = threading.Lock()
CHECK_SECONDS = 10.0  # how often a process asks the database which version is active


def models_dir() -> Path:
    """Where model files live (created on first use)."""
    path = Path(settings.DATA_DIR) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def train(*, now: dt.datetime | None = None, heldout: bool = True, note: str = "") -> RoutingModel:
    """Train on the ticket history, record held-out figures, store the file and make it the active model."""
    now = now or timezone.now()
    examples = list(history.examples(now=now))
    started = time.perf_counter()
    figures: dict[str, Any] = heldout_figures(examples) if heldout else {}
    bundle = RoutingBundle().fit(examples)
    # The 3-fold figures the features and C were chosen on, the plain baseline's among them.
    figures["selection"] = bundle.selection
    figures["seconds"] = round(time.perf_counter() - started, 1)
    version = (RoutingModel.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    path = models_dir() / f"routing-v{version}.joblib"
    joblib.dump({"format": FORMAT, "bundle": bundle}, path, compress=3)
    with transaction.atomic():
        RoutingModel.objects.filter(active=True).update(active=False)
        row = RoutingModel.objects.create(version=version, created_at=now, trained_on=len(examples), heldout=figures,
                                          path=str(path), active=True, note=note[:200])
    _prune_files()
    return row


def _prune_files() -> None:
    keep = set(RoutingModel.objects.order_by("-version").values_list("path", flat=True)[:KEEP_FILES])
    for row in RoutingModel.objects.exclude(path__in=keep).exclude(path=""):
        Path(row.path).unlink(missing_ok=True)
        RoutingModel.objects.filter(pk=row.pk).update(path="")


def rollback() -> RoutingModel:
    """Make the newest model older than the active one active again (its file must still exist)."""
    with transaction.atomic():
        current = RoutingModel.objects.select_for_update().filter(active=True).first()
        if current is None:
            raise NotFound("没有启用中的派单模型", code="no_active_model")
        previous = (RoutingModel.objects.filter(version__lt=current.version).exclude(path="")
                    .order_by("-version").first())
        if previous is None or not Path(previous.path).exists():
            raise Conflict("没有可回滚的上一版模型", code="no_previous_model")
        RoutingModel.objects.filter(pk=current.pk).update(active=False)
        RoutingModel.objects.filter(pk=previous.pk).update(active=True)
    previous.active = True
    return previous


def active_row() -> RoutingModel | None:
    """The active model's row, if any."""
    return RoutingModel.objects.filter(active=True).first()


def load(row: RoutingModel) -> RoutingBundle:
    """Read a model file written by `train`; refuses files of another format."""
    payload = joblib.load(row.path)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise Conflict("模型文件格式不符，请重新训练", code="model_format")
    bundle = payload["bundle"]
    if not isinstance(bundle, RoutingBundle):
        raise Conflict("模型文件格式不符，请重新训练", code="model_format")
    return bundle


def active_bundle() -> RoutingBundle | None:
    """The active model, loaded once per process and reloaded when another version becomes active."""
    now = time.monotonic()
    with _lock:
        if _cache["bundle"] is not None and now - _cache["checked"] < CHECK_SECONDS:
            return _cache["bundle"]
        row = active_row()
        _cache["checked"] = now
        if row is None or not row.path or not Path(row.path).exists():
            _cache.update(version=None, bundle=None)
            return None
        if _cache["version"] != row.version:
            _cache.update(version=row.version, bundle=load(row))
        return _cache["bundle"]


def loaded_version() -> int | None:
    """The version of the model this process has loaded (None before the first suggestion)."""
    return _cache["version"]


def forget_cache() -> None:
    """Drop the in-process model (tests, and the command after a train or rollback)."""
    with _lock:
        _cache.update(version=None, bundle=None, checked=0.0)
