"""Article states, the transition table and the closed lists of the knowledge base (STYLE 2, 9)."""

from __future__ import annotations

from django.db import models


class ArticleState(models.TextChoices):
    """Where an article stands; only `knowledge.workflow` writes it."""

    DRAFT = "draft", "草稿"
    UNDER_REVIEW = "under_review", "待审核"
    PUBLISHED = "published", "已发布"
    EXPIRED = "expired", "已过期"
    WITHDRAWN = "withdrawn", "已撤回"


STATE_BADGES: dict[str, str] = {
    ArticleState.DRAFT: "secondary",
    ArticleState.UNDER_REVIEW: "warning",
    ArticleState.PUBLISHED: "success",
    ArticleState.EXPIRED: "dark",
    ArticleState.WITHDRAWN: "danger",
}


class ArticleAction(models.TextChoices):
    """Everything that writes an article version row."""

    CREATE = "create", "新建"
    EDIT = "edit", "修改"
    SUBMIT = "submit", "提交审核"
    REJECT = "reject", "退回修改"
    PUBLISH = "publish", "审核发布"
    PUBLISH_EMERGENCY = "publish_emergency", "应急发布"
    WITHDRAW = "withdraw", "撤回"
    EXPIRE = "expire", "到期失效"
    REVISE = "revise", "重新修订"
    IMPORT = "import", "导入"


S = ArticleState
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    ArticleAction.EDIT: {S.DRAFT: frozenset({S.DRAFT})},
    ArticleAction.SUBMIT: {S.DRAFT: frozenset({S.UNDER_REVIEW})},
    ArticleAction.REJECT: {S.UNDER_REVIEW: frozenset({S.DRAFT})},
    ArticleAction.PUBLISH: {S.UNDER_REVIEW: frozenset({S.PUBLISHED})},
    # 答疑清单 for sudden events skip the unit's submission: the hotline publishes them at once.
    ArticleAction.PUBLISH_EMERGENCY: {S.DRAFT: frozenset({S.PUBLISHED}), S.UNDER_REVIEW: frozenset({S.PUBLISHED})},
    ArticleAction.WITHDRAW: {S.PUBLISHED: frozenset({S.WITHDRAWN}), S.UNDER_REVIEW: frozenset({S.WITHDRAWN})},
    ArticleAction.EXPIRE: {S.PUBLISHED: frozenset({S.EXPIRED})},
    ArticleAction.REVISE: {
        S.PUBLISHED: frozenset({S.DRAFT}), S.EXPIRED: frozenset({S.DRAFT}), S.WITHDRAWN: frozenset({S.DRAFT}),
    },
}


class UpdateRequestState(models.TextChoices):
    """An update the hotline asked of the owner unit (Art. 22, 27)."""

    OPEN = "open", "待更新"
    DONE = "done", "已更新"
    CANCELLED = "cancelled", "已取消"
