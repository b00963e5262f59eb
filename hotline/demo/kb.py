"""The demo's knowledge base (Art. 22): articles written by the demo's units and published by the hotline, each at a
past moment through `hotline.knowledge.workflow`, so that answering from the base, upkeep and the indicators have
something to show.

Most articles are published and current; a few are past their review date, a few reach their validity's end during
the replayed history (the sweeps expire them), some carry an update request (overdue, done late, open), and some are
still drafts, under review or withdrawn. Two 答疑清单 items of a sudden event show the emergency path.
"""

from __future__ import annotations

import datetime as dt
import random

import time_machine
from django.utils import timezone

from hotline.demo.directory import handler_username
from hotline.demo.kb_articles import TEXTS, Text
from hotline.directory.models import Staff, Topic, Unit
from hotline.knowledge import workflow
from hotline.knowledge.models import Article, ArticleFeedback, ArticleUse
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket

# What became of the article at each position of TEXTS; every other one is published and current.
FATES: dict[int, str] = {
    3: "review_due", 17: "review_due", 29: "review_due", 44: "review_due", 52: "review_due",
    8: "expired", 36: "expired",
    12: "overdue", 40: "overdue", 22: "done_late", 50: "open_request",
    55: "draft", 60: "draft", 58: "under_review", 47: "withdrawn",
}

EMERGENCY = [
    ("1201", "yjj", "暴雨期间城区临时避险点和积水路段", "暴雨时去哪里避险｜哪些路段积水不能走",
     "暴雨红色预警期间，各街道的中小学校和社区服务中心开放为临时避险点。积水超过20厘米的下穿通道和低洼路段"
     "实行交通管制，请绕行，不要涉水。", 3),
    ("1203", "wjw", "流感高发期就诊和接种提示", "孩子发烧去哪里看｜流感疫苗还能打吗",
     "流感高发期间，市中心医院、市儿童医院开设发热门诊24小时接诊，轻症可在社区卫生服务中心就诊。"
     "流感疫苗在各预防接种门诊可预约接种。", 40),
]


def _at(now: dt.datetime, days_ago: float, hour: float = 10.0) -> dt.datetime:
    """A working-hours moment `days_ago` days before `now`."""
    day = timezone.localtime(now - dt.timedelta(days=days_ago))
    return day.replace(hour=int(hour), minute=int(hour % 1 * 60), second=0, microsecond=0)


def build(units: dict[str, Unit], topics: dict[str, Topic], staff: dict[str, Staff], *, now: dt.datetime,
          rng: random.Random) -> list[Article]:
    """Write, review and publish the demo articles at past moments; returns them in TEXTS order."""
    reviewer, operator = staff["reviewer"], staff["operator"]
    made = []
    for index, text in enumerate(TEXTS):
        fate = FATES.get(index, "current")
        author = staff[handler_username(units[text.owner])]
        made.append(_article(text, fate, units, topics, author, reviewer, operator, now=now, rng=rng))
    for code, owner, title, questions, answer, days_ago in EMERGENCY:
        with time_machine.travel(_at(now, days_ago, 7.5), tick=False):
            article = workflow.create(
                by=reviewer, owner_unit=units[owner], title=title, answer=answer, questions=_lines(questions),
                topic=topics[code], is_emergency=True, emergency_event="2026年汛期与流感季",
                expires_at=timezone.now() + dt.timedelta(days=14))
            workflow.publish_emergency(article, by=reviewer, note="突发事件答疑清单")
        made.append(article)
    return made


def _lines(questions: str) -> str:
    return "\n".join(questions.split("｜"))


def _article(text: Text, fate: str, units: dict[str, Unit], topics: dict[str, Topic], author: Staff,
             reviewer: Staff, operator: Staff, *, now: dt.datetime, rng: random.Random) -> Article:
    """One article's life up to `now`: written, submitted, reviewed, and what its fate adds."""
    age = rng.uniform(60, 150)
    today = timezone.localdate(now)
    review_due = today + dt.timedelta(days=rng.randint(30, 300))
    if fate == "review_due":
        review_due = today - dt.timedelta(days=rng.randint(3, 40))
    valid_to = today - dt.timedelta(days=rng.randint(5, 30)) if fate == "expired" else None
    with time_machine.travel(_at(now, age, 9.5), tick=False):
        article = workflow.create(
            by=author, owner_unit=units[text.owner], title=text.title, answer=text.answer,
            questions=_lines(text.questions), topic=topics[text.topic],
            region=units[text.region] if text.region else None, source_document=text.source,
            review_due=review_due, valid_from=today - dt.timedelta(days=int(age) + 30), valid_to=valid_to)
    if fate == "draft":
        return article
    with time_machine.travel(_at(now, age - 1, 15), tick=False):
        workflow.submit(article, by=author)
    if fate == "under_review":
        return article
    with time_machine.travel(_at(now, age - 2, 10.5), tick=False):
        workflow.publish(article, by=reviewer)
    if fate == "withdrawn":
        with time_machine.travel(_at(now, age / 2, 11), tick=False):
            workflow.withdraw(article, by=author, note="所依据的文件已废止，待新政策出台后重新编写")
    elif fate in ("overdue", "done_late", "open_request"):
        _update_request(article, fate, author, reviewer, operator, now=now)
    return article


def _update_request(article: Article, fate: str, author: Staff, reviewer: Staff, operator: Staff, *,
                    now: dt.datetime) -> None:
    """The hotline asks the owner unit for an update (Art. 22, 27); `fate` says how the unit kept the deadline."""
    asked = 20 if fate != "open_request" else 2
    with time_machine.travel(_at(now, asked, 14), tick=False):
        workflow.request_update(article, by=operator, note="来电反映答复口径中的办理地点和咨询电话已变更，请核实更新",
                                due=timezone.now() + dt.timedelta(days=7))
    if fate != "done_late":
        return
    with time_machine.travel(_at(now, 9, 9), tick=False):  # two days after the deadline: counts as late (Art. 27)
        workflow.revise(article, by=author, note="更新办理地点")
        workflow.edit(article, by=author, answer=article.answer + "办理地点已迁至市政务服务中心二楼。",
                      note="更新办理地点")
        workflow.submit(article, by=author)
    with time_machine.travel(_at(now, 8, 10), tick=False):
        workflow.publish(article, by=reviewer)


def record_uses(articles: list[Article], staff: dict[str, Staff]) -> int:
    """Link the tickets answered on the spot to the article of their topic that was live then (Art. 12.1)."""
    by_topic: dict[int, Article] = {}
    for article in articles:
        article.refresh_from_db()
        if article.published_at and article.topic_id and not article.region_id:
            by_topic.setdefault(article.topic_id, article)
    uses = []
    answered = Ticket.objects.filter(status=Status.ANSWERED, consult_unit__isnull=True, topic_id__in=by_topic)
    for ticket in answered.select_related("created_by"):
        article = by_topic[ticket.topic_id or 0]
        assert article.published_at is not None and ticket.closed_at is not None
        if article.published_at <= ticket.closed_at:
            uses.append(ArticleUse(article=article, ticket=ticket, by=ticket.created_by or staff["operator"],
                                   at=ticket.closed_at))
    ArticleUse.objects.bulk_create(uses)
    if uses:
        # One "答复有误" report, so the article page and the export show how feedback looks.
        first = uses[0]
        ArticleFeedback.objects.create(article=first.article, ticket=first.ticket, by=staff["operator"],
                                       at=first.at + dt.timedelta(hours=3), note="服务对象反映所告知的咨询电话打不通")
    return len(uses)
