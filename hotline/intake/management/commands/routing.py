"""`hotline routing train|rollback|status|index`: the routing model's life cycle and the similar-ticket index."""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.intake.models import RoutingModel
from hotline.intake.routing import store
from hotline.lib.errors import DomainError


class Command(BaseCommand):
    help = "派单模型：训练、回滚、查看状态；重建相似工单索引"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, parser_class=argparse.ArgumentParser)
        train = sub.add_parser("train", help="用历史工单重新训练并启用新模型（保留上一版以便回滚）")
        train.add_argument("--no-heldout", action="store_true", help="不计算留出集指标（更快）")
        train.add_argument("--note", default="", help="版本说明")
        sub.add_parser("rollback", help="回滚到上一版模型")
        sub.add_parser("status", help="列出模型版本及留出集指标")
        sub.add_parser("index", help="重建相似工单索引")
        tokens = sub.add_parser("tokens", help="为保存分词之前受理的工单补写分词（可中断后重跑）")
        tokens.add_argument("--batch", type=int, default=1000, help="每批工单数")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['what']}")(options)
        except (DomainError, ValueError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc

    def _train(self, options: dict[str, Any]) -> None:
        row = store.train(heldout=not options["no_heldout"], note=options["note"])
        store.forget_cache()
        seconds = row.heldout.get("seconds")
        self.stdout.write(f"已训练并启用派单模型 v{row.version}：{row.trained_on} 条工单，用时 {seconds} 秒")
        for target, label in (("topic", "事项分类"), ("unit", "承办单位")):
            chosen = (row.heldout.get("selection") or {}).get(target)
            if chosen:
                figures = chosen["cv_macro_f1"]
                self.stdout.write(f"{label}：3折交叉验证选定 {chosen['chosen']}（macro-F1 "
                                  f"{figures[chosen['chosen']]}，基线 {chosen['baseline_cv_macro_f1']}）")
        self.stdout.write(json.dumps(row.heldout, ensure_ascii=False, sort_keys=True))

    def _rollback(self, options: dict[str, Any]) -> None:
        row = store.rollback()
        store.forget_cache()
        self.stdout.write(f"已回滚，当前启用派单模型 v{row.version}")

    def _status(self, options: dict[str, Any]) -> None:
        rows = list(RoutingModel.objects.order_by("-version")[:10])
        if not rows:
            self.stdout.write("尚无派单模型，请运行 hotline routing train")
            return
        for row in rows:
            mark = "*" if row.active else " "
            unit = (row.heldout or {}).get("unit") or {}
            topic = (row.heldout or {}).get("topic") or {}
            self.stdout.write(
                f"{mark} v{row.version}  {row.created_at:%Y-%m-%d %H:%M}  {row.trained_on} 条  "
                f"单位 macro-F1 {unit.get('macro_f1', '-')} top-3 {unit.get('top3_accuracy', '-')}  "
                f"事项 macro-F1 {topic.get('macro_f1', '-')}  {'' if row.path else '（文件已清理）'}")

    def _tokens(self, options: dict[str, Any]) -> None:
        from hotline.intake.routing.history import backfill_tokens

        if options["batch"] < 1:
            raise CommandError("--batch 至少为 1")
        started = time.perf_counter()
        filled, _ = backfill_tokens(batch=options["batch"])
        self.stdout.write(f"已补写分词：{filled} 张工单，用时 {time.perf_counter() - started:.1f} 秒")

    def _index(self, options: dict[str, Any]) -> None:
        from hotline.intake.similar import rebuild_index

        started = time.perf_counter()
        index = rebuild_index(workers=os.cpu_count() or 1)
        self.stdout.write(f"相似工单索引已重建：{len(index)} 条，用时 {time.perf_counter() - started:.1f} 秒")
