"""Every article change, one function each, in the style of `tickets/workflow.py` (STYLE 1-3).

Units write and maintain their own articles (Art. 22: 谁提供、谁维护、谁更新); the hotline's reviewers publish them.
Each function checks the actor, the article's state against `TRANSITIONS`, then `_move` changes the row with a
compare-and-swap on (state, version) and writes exactly one `ArticleVersion` in the same transaction.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hotline.directory.choices import REVIEW_ROLES, UNIT_ROLES, Role, UnitKind
from hotline.directory.models import Topic, Unit
from hotline.knowledge.choices import TRANSITIONS, ArticleAction, ArticleState, UpdateRequestState
from hotline.knowledge.models import Article, ArticleVersion, UpdateRequest
from hotline.lib.errors import ConcurrentChange, Forbidden, InvalidInput, TransitionNotAllowed

if TYPE_CHECKING:
    from hotline.directory.models import Staff

CONTENT_FIELDS = ("title", "questions", "answer", "topic", "owner_unit", "region", "valid_from", "valid_to",
                  "review_due", "source_document", "is_emergency", "emergency_event", "expires_at")
MAX_ANSWER_CHARS = 20000


# ---------------------------------------------------------------- helpers


def _require_role(by: Staff | None, roles: Collection[str], action: str) -> None:
    if by is None or not by.is_active or by.role not in roles:
        raise Forbidden(f"当前角色无权执行“{ArticleAction(action).label}”", code="role_not_allowed")


def can_maintain(by: Staff | None, article_unit_id: int | None) -> bool:
    """The owner unit's staff and the hotline's reviewers may write an article (Art. 22)."""
    if by is None or not by.is_active:
        return False
    if by.role in REVIEW_ROLES:
        return True
    return by.role in UNIT_ROLES and by.unit_id is not None and by.unit_id == article_unit_id


def _require_maintainer(by: Staff | None, unit_id: int | None, action: str) -> None:
    if not can_maintain(by, unit_id):
        raise Forbidden(f"只有维护单位或热线审核员可以执行“{ArticleAction(action).label}”", code="not_owner_unit")


def _check_transition(article: Article, action: str, to: str) -> None:
    if to not in TRANSITIONS[action].get(article.state, frozenset()):
        raise TransitionNotAllowed(
            f"文章当前状态为“{ArticleState(article.state).label}”，不能执行“{ArticleAction(action).label}”",
            code="transition_not_allowed", state=str(article.state), action=str(action),
        )


def snapshot(article: Article) -> dict[str, Any]:
    """The article's content as plain JSON values, kept in every version row."""
    out: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        value = getattr(article, f"{name}_id" if name in ("topic", "owner_unit", "region") else name)
        out[name] = value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
    return out


def _version(article: Article, action: str, by: Staff | None, *, frm: str, now: dt.datetime, note: str = "",
             changes: dict[str, Any] | None = None) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article, number=article.version, action=action, from_state=frm, to_state=article.state, by=by,
        at=now, note=note, changes=changes or {}, snapshot=snapshot(article),
    )


def _move(article: Article, action: str, by: Staff | None, *, to: str, now: dt.datetime, note: str = "",
          changes: dict[str, Any] | None = None, **fields: Any) -> ArticleVersion:
    """Compare-and-swap the article row and write its one version; must run inside `transaction.atomic`."""
    _check_transition(article, action, to)
    frm = article.state
    changed = Article.objects.filter(pk=article.pk, state=frm, version=article.version).update(
        state=to, version=F("version") + 1, updated_at=now, **fields
    )
    if changed != 1:
        # Someone else changed the article between our read and this write (STYLE 2).
        raise ConcurrentChange("文章已被他人修改，请刷新后重试")
    article.state = to
    article.version += 1
    article.updated_at = now
    for name, value in fields.items():
        setattr(article, name, value)
    return _version(article, action, by, frm=frm, now=now, note=note, changes=changes)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise content fields; raises InvalidInput naming the field."""
    out = {k: v for k, v in data.items() if k in CONTENT_FIELDS}
    for name, label, limit in (("title", "标题", 200), ("answer", "答复口径", MAX_ANSWER_CHARS)):
        if name in out:
            out[name] = (out[name] or "").strip()
            if not out[name]:
                raise InvalidInput(f"请填写{label}", field=name, code="required")
            if len(out[name]) > limit:
                raise InvalidInput(f"{label}不能超过{limit}字", field=name, code="too_long")
    if "questions" in out:
        out["questions"] = "\n".join(q.strip() for q in (out["questions"] or "").splitlines() if q.strip())
    for name in ("source_document", "emergency_event"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if "owner_unit" in out and (out["owner_unit"] is None or out["owner_unit"].kind == UnitKind.HOTLINE):
        raise InvalidInput("请选择维护单位", field="owner_unit", code="invalid_unit")
    region = out.get("region")
    if region is not None and region.kind != UnitKind.COUNTY:
        raise InvalidInput("适用区县必须是县市区", field="region", code="invalid_region")
    topic = out.get("topic")
    if topic is not None and not isinstance(topic, Topic):
        raise InvalidInput("事项分类不正确", field="topic", code="invalid_topic")
    return out


def _search_words(article: Article) -> dict[str, Any]:
    """The article's segmented words, stored with it when it goes live (read by the search index)."""
    from hotline.knowledge.index import analysed_fields

    return analysed_fields(article)


def _check_dates(article: Article) -> None:
    if article.valid_from and article.valid_to and article.valid_to < article.valid_from:
        raise InvalidInput("失效日期不能早于生效日期", field="valid_to", code="invalid_range")


# ---------------------------------------------------------------- writing


def create(*, by: Staff, owner_unit: Unit, title: str, answer: str, questions: str = "", **fields: Any) -> Article:
    """A new draft for `owner_unit`, written by its own staff or by the hotline (Art. 22)."""
    _require_maintainer(by, owner_unit.pk, ArticleAction.CREATE)
    data = _clean({"owner_unit": owner_unit, "title": title, "answer": answer, "questions": questions, **fields})
    now = timezone.now()
    article = Article(state=ArticleState.DRAFT, created_by=by, created_at=now, updated_at=now, **data)
    _check_dates(article)
    with transaction.atomic():
        article.save()
        _version(article, ArticleAction.CREATE, by, frm="", now=now)
    return article


def edit(article: Article, *, by: Staff, note: str = "", **fields: Any) -> Article:
    """Change a draft's content; the version row records each changed field as [old, new]."""
    _require_maintainer(by, article.owner_unit_id, ArticleAction.EDIT)
    data = _clean(fields)
    if "owner_unit" in data:
        # A unit cannot hand its article to another unit; only the hotline reassigns ownership.
        _require_maintainer(by, data["owner_unit"].pk, ArticleAction.EDIT)
    _check_transition(article, ArticleAction.EDIT, ArticleState.DRAFT)
    # Work on a copy so a refused edit leaves the caller's object as the database has it.
    changed = copy.copy(article)
    for name, value in data.items():
        setattr(changed, name, value)
    _check_dates(changed)
    before, after = snapshot(article), snapshot(changed)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return article
    now = timezone.now()
    with transaction.atomic():
        _move(article, ArticleAction.EDIT, by, to=ArticleState.DRAFT, now=now, note=note, changes=changes, **data)
    return article


def submit(article: Article, *, by: Staff, note: str = "") -> Article:
    """The unit sends its draft to the hotline for review; open update requests count as answered (Art. 22, 27)."""
    _require_maintainer(by, article.owner_unit_id, ArticleAction.SUBMIT)
    now = timezone.now()
    with transaction.atomic():
        _move(article, ArticleAction.SUBMIT, by, to=ArticleState.UNDER_REVIEW, now=now, note=note)
        UpdateRequest.objects.filter(article=article, state=UpdateRequestState.OPEN).update(
            state=UpdateRequestState.DONE, done_at=now, done_by=by)
    return article


def reject(article: Article, *, by: Staff, note: str) -> Article:
    """The hotline sends a submitted article back to its unit with what to fix."""
    _require_role(by, REVIEW_ROLES, ArticleAction.REJECT)
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请填写退回修改的理由", field="note", code="required")
    with transaction.atomic():
        _move(article, ArticleAction.REJECT, by, to=ArticleState.DRAFT, now=timezone.now(), note=note)
    return article


def publish(article: Article, *, by: Staff, note: str = "") -> Article:
    """The hotline reviews and publishes; from now on operators find and answer from it (Art. 22)."""
    _require_role(by, REVIEW_ROLES, ArticleAction.PUBLISH)
    now = timezone.now()
    if article.valid_to is not None and article.valid_to < timezone.localdate(now):
        raise InvalidInput("失效日期已过，不能发布", field="valid_to", code="already_expired")
    with transaction.atomic():
        _move(article, ArticleAction.PUBLISH, by, to=ArticleState.PUBLISHED, now=now, note=note, published_at=now,
              **_search_words(article))
    return article


def publish_emergency(article: Article, *, by: Staff, note: str = "") -> Article:
    """An 答疑清单 item for a sudden event, published at once by the hotline; it must carry its expiry (Art. 22)."""
    _require_role(by, REVIEW_ROLES, ArticleAction.PUBLISH_EMERGENCY)
    now = timezone.now()
    if not article.is_emergency:
        raise InvalidInput("只有应急答疑清单可以直接发布", field="is_emergency", code="not_emergency")
    if article.expires_at is None or article.expires_at <= now:
        raise InvalidInput("应急答疑清单须设定将来的自动失效时间", field="expires_at", code="expiry_required")
    with transaction.atomic():
        _move(article, ArticleAction.PUBLISH_EMERGENCY, by, to=ArticleState.PUBLISHED, now=now, note=note,
              published_at=now, **_search_words(article))
    return article


def withdraw(article: Article, *, by: Staff, note: str) -> Article:
    """Take an article out of use (wrong, superseded); the owner unit or the hotline may do it."""
    _require_maintainer(by, article.owner_unit_id, ArticleAction.WITHDRAW)
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请填写撤回理由", field="note", code="required")
    with transaction.atomic():
        _move(article, ArticleAction.WITHDRAW, by, to=ArticleState.WITHDRAWN, now=timezone.now(), note=note)
    return article


def expire(article: Article, *, now: dt.datetime | None = None) -> Article:
    """A published article past its validity or an 答疑清单 past its expiry leaves use by itself (Art. 22)."""
    now = now or timezone.now()
    if not is_past_validity(article, now):
        raise TransitionNotAllowed("文章仍在有效期内", code="still_valid")
    with transaction.atomic():
        _move(article, ArticleAction.EXPIRE, None, to=ArticleState.EXPIRED, now=now, note="到期自动失效")
    return article


def is_past_validity(article: Article, now: dt.datetime) -> bool:
    """Whether the article's validity (valid_to, or an emergency list's expires_at) has ended by `now`."""
    if article.expires_at is not None and article.expires_at <= now:
        return True
    return article.valid_to is not None and article.valid_to < timezone.localdate(now)


def revise(article: Article, *, by: Staff, note: str = "") -> Article:
    """Reopen a published, expired or withdrawn article as a draft; it leaves search until published again."""
    _require_maintainer(by, article.owner_unit_id, ArticleAction.REVISE)
    with transaction.atomic():
        _move(article, ArticleAction.REVISE, by, to=ArticleState.DRAFT, now=timezone.now(), note=note)
    return article


# ---------------------------------------------------------------- upkeep


def request_update(article: Article, *, by: Staff, note: str, due: dt.datetime) -> UpdateRequest:
    """The hotline asks the owner unit to update an article by `due`; missing it counts in assessment (Art. 27)."""
    _require_role(by, (*REVIEW_ROLES, Role.OPERATOR, Role.SUPERVISOR), "edit")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("请说明需要更新的内容", field="note", code="required")
    now = timezone.now()
    if due <= now:
        raise InvalidInput("更新时限须晚于现在", field="due", code="due_in_past")
    return UpdateRequest.objects.create(article=article, unit_id=article.owner_unit_id, note=note, due=due,
                                        requested_by=by, requested_at=now)


def cancel_update_request(request: UpdateRequest, *, by: Staff) -> UpdateRequest:
    """The hotline withdraws an update request it no longer needs."""
    _require_role(by, REVIEW_ROLES, "edit")
    changed = UpdateRequest.objects.filter(pk=request.pk, state=UpdateRequestState.OPEN).update(
        state=UpdateRequestState.CANCELLED, done_at=timezone.now(), done_by=by)
    if changed != 1:
        raise ConcurrentChange("更新提醒已处理", code="concurrent_change")
    request.refresh_from_db()
    return request
