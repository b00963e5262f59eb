"""`hotline evaluate search|routing|similar|replies|merged`: measure the production text engines against a
baseline in one run.

Each sub-command prints its figures and, as its last line, one JSON object (for scripts and CI).
"""

from __future__ import annotations

import argparse
import json
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "评测知识库检索、派单模型或相似工单引擎，并与同一次运行中的基线对比"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, parser_class=argparse.ArgumentParser)
        search = sub.add_parser("search", help="知识库检索：recall@1、recall@5、MRR、p95 毫秒")
        search.add_argument("--articles", required=True, help="CSV with columns id,title,body")
        search.add_argument("--queries", required=True, help="CSV with columns query,article_id")
        routing = sub.add_parser("routing", help="派单分类：accuracy、macro-F1、top-3")
        routing.add_argument("--train", required=True)
        routing.add_argument("--test", required=True)
        routing.add_argument("--text-column", default="text")
        routing.add_argument("--label-column", default="label")
        similar = sub.add_parser("similar", help="相似工单：recall@1、recall@5")
        similar.add_argument("--csv", required=True)
        similar.add_argument("--group-column", default="docid")
        similar.add_argument("--text-column", default="question")
        replies = sub.add_parser("replies", help="答复文不对题检查：AUC、每对毫秒")
        replies.add_argument("--csv", required=True, help="CSV with columns message,reply,label")
        merged = sub.add_parser("merged", help="并单：本市历史中被并入的工单，其主工单是否在重复来电候选中")
        merged.add_argument("--limit", type=int, default=1000, help="最近多少件并单（默认 1000）")

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        out = cast(IO[str], self.stdout)  # OutputWrapper writes like a text stream
        try:
            if what == "search":
                from hotline.knowledge.evaluation import evaluate_search

                result = evaluate_search(options["articles"], options["queries"], out=out)
            elif what == "routing":
                from hotline.intake.evaluation import evaluate_routing

                result = evaluate_routing(options["train"], options["test"], text_column=options["text_column"],
                                          label_column=options["label_column"], out=out)
            elif what == "merged":
                from hotline.intake.evaluation import evaluate_merged_repeats

                result = evaluate_merged_repeats(limit=options["limit"], out=out)
            elif what == "replies":
                from hotline.tickets.replycheck_eval import evaluate_replies

                result = evaluate_replies(options["csv"], out=out)
            else:
                from hotline.intake.evaluation import evaluate_similar

                result = evaluate_similar(options["csv"], group_column=options["group_column"],
                                          text_column=options["text_column"], out=out)
        except (FileNotFoundError, KeyError, ValueError) as exc:
            raise CommandError(f"无法评测：{exc}") from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True))
