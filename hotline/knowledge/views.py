"""Knowledge pages: thin views that parse, check access, call the workflow or search, and render (STYLE 8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hotline.directory.models import Unit
from hotline.knowledge import highlight, index, services, transfer, workflow
from hotline.knowledge.access import access_article, visible_articles
from hotline.knowledge.choices import STATE_BADGES, ArticleState
from hotline.knowledge.forms import (
    ArticleForm,
    AttachmentForm,
    FeedbackForm,
    ImportForm,
    NoteForm,
    SearchForm,
    UpdateRequestForm,
)
from hotline.knowledge.models import Article, ArticleAttachment
from hotline.lib import screens
from hotline.lib.errors import DomainError, Forbidden, InvalidInput, NotFound
from hotline.tickets.access import access_ticket
from hotline.tickets.attachments import check_upload

SUGGESTIONS = 5
PAGE_SIZE = 30


def _back_to_article(request: HttpRequest, error: DomainError, form: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    """A refused action goes back to the article (or the list) with its Chinese message."""
    messages.error(request, error.message)
    pk = kwargs.get("pk")
    return redirect("knowledge:detail", pk=pk) if pk else redirect("knowledge:list")


def _back_to_answer(request: HttpRequest, error: DomainError, form: Any, number: str, *args: Any,
                    **kwargs: Any) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("knowledge:answer_ticket", number=number)


domain_errors = screens.domain_errors(_back_to_article)


def _parse(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        raise InvalidInput(f"表单有误：{first}", code="form_invalid")
    return dict(form.cleaned_data)


def _results(query: str, hits: list[tuple[Article, float]]) -> list[dict[str, Any]]:
    found = highlight.terms(query)
    return [{"article": a, "score": score, "title": highlight.mark(a.title, found),
             "snippet": highlight.snippet(a.answer, found)} for a, score in hits]


# ---------------------------------------------------------------- search and reading


@login_required
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    """List and search: a query ranks published articles; without one, the visible articles newest first."""
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = (data.get("q") or "").strip()
    valid_today = data.get("valid_today", True) if request.GET else True
    context: dict[str, Any] = {"form": form, "query": query, "badges": STATE_BADGES}
    if query:
        filters = index.Filters(topic=data.get("topic"), unit=data.get("unit"), region=data.get("region"),
                                valid_today=valid_today)
        context["results"] = _results(query, index.search(query, filters=filters, k=PAGE_SIZE))
    else:
        qs = services.with_use_counts(visible_articles(request.user))  # type: ignore[arg-type]
        state = request.GET.get("state", "")
        if state in ArticleState.values:
            qs = qs.filter(state=state)
        for name, column in (("topic", "topic"), ("unit", "owner_unit"), ("region", "region")):
            if data.get(name) is not None:
                qs = qs.filter(**{column: data[name]})
        if valid_today and request.GET:
            today = timezone.localdate()
            qs = qs.exclude(valid_from__gt=today).exclude(valid_to__lt=today)
        context["page"] = Paginator(qs.order_by("-updated_at"), PAGE_SIZE).get_page(request.GET.get("page"))
        context["states"] = ArticleState.choices
        context["state"] = state
    return render(request, "knowledge/list.html", context)


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Fragment: the top published articles for what the operator is typing (empty for an empty query)."""
    query = (request.GET.get("q") or "").strip()
    context: dict[str, Any] = {"query": query, "results": [], "ticket": None}
    if query and getattr(request.user, "is_hotline", False):
        context["results"] = _results(query, index.search(query, k=SUGGESTIONS))
        number = (request.GET.get("ticket") or "").strip()
        if number:
            try:
                context["ticket"] = access_ticket(request.user, number)  # type: ignore[arg-type]
            except NotFound:
                context["ticket"] = None
    return render(request, "knowledge/_suggest.html", context)


@login_required
@domain_errors
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One article with its versions, uses, feedback, update requests and the actions the user may take."""
    article = access_article(request.user, pk)  # type: ignore[arg-type]
    counted = services.with_use_counts(Article.objects.filter(pk=pk)).get()
    user = request.user
    context = {
        "article": article, "badges": STATE_BADGES, "counted": counted,
        "versions": article.versions.select_related("by"),
        "feedback": article.feedback.select_related("by", "ticket").order_by("-at"),
        "requests": article.update_requests.select_related("requested_by").order_by("-requested_at"),
        "attachments": article.attachments.all(),
        "can_maintain": workflow.can_maintain(user, article.owner_unit_id),  # type: ignore[arg-type]
        "can_review": getattr(user, "role", "") in workflow.REVIEW_ROLES,
        "is_hotline": getattr(user, "is_hotline", False),
        "note_form": NoteForm(), "request_form": UpdateRequestForm(), "feedback_form": FeedbackForm(),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "knowledge/detail.html", context)


# ---------------------------------------------------------------- writing


@login_required
@domain_errors
def create(request: HttpRequest) -> HttpResponse:
    """A unit's clerk (or the hotline) writes a new draft."""
    user = request.user
    if not (getattr(user, "is_hotline", False) or getattr(user, "unit_id", None)):
        raise Forbidden("无权新建文章")
    form = ArticleForm(request.POST or None, user=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            article = workflow.create(by=user, **form.cleaned_data)  # type: ignore[arg-type]
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "草稿已保存")
            return redirect("knowledge:detail", pk=article.pk)
    return render(request, "knowledge/edit.html", {"form": form, "article": None},
                  status=400 if form.is_bound else 200)


@login_required
@domain_errors
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft; the version row records who changed which fields."""
    article = access_article(request.user, pk)  # type: ignore[arg-type]
    initial = {name: getattr(article, name) for name in workflow.CONTENT_FIELDS}
    form = ArticleForm(request.POST or None, initial=initial, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            workflow.edit(article, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "修改已保存")
            return redirect("knowledge:detail", pk=article.pk)
    return render(request, "knowledge/edit.html", {"form": form, "article": article},
                  status=400 if form.is_bound else 200)


_ACTIONS: dict[str, tuple[Callable[..., Article], str, bool]] = {
    # name: (workflow function, success message, takes a note)
    "submit": (workflow.submit, "已提交热线审核", True),
    "reject": (workflow.reject, "已退回维护单位修改", True),
    "publish": (workflow.publish, "已发布", True),
    "publish_emergency": (workflow.publish_emergency, "应急答疑清单已发布", True),
    "withdraw": (workflow.withdraw, "已撤回", True),
    "revise": (workflow.revise, "已转为草稿，可修改后重新提交", True),
}


@login_required
@require_POST
@domain_errors
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One state change of the article, by the named workflow function."""
    if action not in _ACTIONS:
        raise Http404("未知操作")
    article = access_article(request.user, pk)  # type: ignore[arg-type]
    func, done, _ = _ACTIONS[action]
    data = _parse(NoteForm(request.POST))
    func(article, by=request.user, note=data.get("note") or "")
    messages.success(request, done)
    return redirect("knowledge:detail", pk=pk)


@login_required
@require_POST
@domain_errors
def request_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The hotline asks the owner unit for an update by a deadline."""
    article = access_article(request.user, pk)  # type: ignore[arg-type]
    data = _parse(UpdateRequestForm(request.POST))
    workflow.request_update(article, by=request.user, note=data["note"], due=data["due"])  # type: ignore[arg-type]
    messages.success(request, "已向维护单位发出更新提醒")
    return redirect("knowledge:detail", pk=pk)


@login_required
@require_POST
@domain_errors
def cancel_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The hotline withdraws an update request it no longer needs (the request named in the form)."""
    article = access_article(request.user, pk)  # type: ignore[arg-type]
    raw = (request.POST.get("request") or "").strip()
    update = article.update_requests.filter(pk=int(raw)).first() if raw.isdigit() else None
    if update is None:
        raise InvalidInput("没有这条更新提醒", field="request", code="unknown_update_request")
    workflow.cancel_update_request(update, by=request.user)  # type: ignore[arg-type]
    messages.success(request, "已撤回更新提醒")
    return redirect("knowledge:detail", pk=pk)


@login_required
@require_POST
@domain_errors
def report_wrong(request: HttpRequest, pk: int) -> HttpResponse:
    """"This answer was wrong" from an operator."""
    article = access_article(request.user, pk)  # type: ignore[arg-type]
    data = _parse(FeedbackForm(request.POST))
    services.report_wrong(article, by=request.user, note=data["note"])  # type: ignore[arg-type]
    messages.success(request, "已记录答复有误反馈")
    return redirect("knowledge:detail", pk=pk)


@login_required
@require_POST
@domain_errors
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a checked file (PDF or image) to an article its maintainer may write."""
    article = access_article(request.user, pk)  # type: ignore[arg-type]
    if not workflow.can_maintain(request.user, article.owner_unit_id):  # type: ignore[arg-type]
        raise Forbidden("只有维护单位或热线审核员可以上传附件")
    form = AttachmentForm(request.POST, request.FILES)
    _parse(form)
    upload = check_upload(form.cleaned_data["file"], field="file")
    item = ArticleAttachment(article=article, name=upload.name, content_type=upload.content_type,
                             uploaded_by=request.user, uploaded_at=timezone.now())  # type: ignore[misc]
    item.file.save(f"{article.pk}{upload.extension}", ContentFile(upload.content), save=True)
    messages.success(request, "附件已上传")
    return redirect("knowledge:detail", pk=pk)


# ---------------------------------------------------------------- answering a ticket


@login_required
@domain_errors
def answer_ticket(request: HttpRequest, number: str) -> HttpResponse:
    """Find an article for a ticket while reading its content, and answer the ticket from it (Art. 12.1)."""
    ticket = access_ticket(request.user, number)  # type: ignore[arg-type]
    query = (request.GET.get("q") or ticket.content).strip()
    results = _results(query, index.search(query, k=SUGGESTIONS)) if getattr(request.user, "is_hotline", False) \
        else []
    return render(request, "knowledge/answer.html", {"ticket": ticket, "query": query, "results": results})


@login_required
@require_POST
@screens.domain_errors(_back_to_answer)
def answer_ticket_with(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Answer the ticket with the article's answer and record the use."""
    ticket = access_ticket(request.user, number)  # type: ignore[arg-type]
    article = access_article(request.user, pk)  # type: ignore[arg-type]
    services.answer_from_article(ticket, article, by=request.user,  # type: ignore[arg-type]
                                 text=request.POST.get("text", ""))
    messages.success(request, f"工单 {ticket.number} 已按知识库直接答复")
    return redirect("knowledge:answer_ticket", number=number)


# ---------------------------------------------------------------- review, upkeep, import and export


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Articles waiting for the hotline's review, oldest first."""
    if getattr(request.user, "role", "") not in workflow.REVIEW_ROLES:
        raise Http404("无权查看")
    articles = Article.objects.filter(state=ArticleState.UNDER_REVIEW).select_related(
        "owner_unit", "topic").order_by("updated_at")
    return render(request, "knowledge/review.html", {"articles": articles})


@login_required
def upkeep(request: HttpRequest) -> HttpResponse:
    """Per unit: overdue update requests, expired articles, reviews due (Art. 27). Units see their own only."""
    user = request.user
    summary = services.upkeep_summary() if getattr(user, "is_hotline", False) else []
    unit: Unit | None = None
    if getattr(user, "is_hotline", False):
        unit_id = request.GET.get("unit")
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id and unit_id.isdigit() else None
    else:
        unit = getattr(user, "unit", None)
    detail = services.unit_upkeep(unit) if unit is not None else None
    return render(request, "knowledge/upkeep.html", {"summary": summary, "upkeep": detail, "unit": unit})


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload an Excel or Markdown file; show what was created and which rows were rejected and why."""
    user = request.user
    if not (getattr(user, "role", "") in workflow.REVIEW_ROLES or getattr(user, "unit_id", None)
            and not getattr(user, "is_hotline", False)):
        raise Http404("无权导入")
    form = ImportForm(request.POST or None, request.FILES or None, user=user)  # type: ignore[arg-type]
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        default_unit = form.cleaned_data["owner_unit"] or (None if user.is_hotline else user.unit)  # type: ignore[union-attr]
        try:
            report = transfer.import_file(upload.name, upload.read(), by=user,  # type: ignore[arg-type]
                                          default_unit=default_unit,
                                          emergency_event=form.cleaned_data["emergency_event"].strip(),
                                          expires_at=form.cleaned_data["expires_at"])
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "knowledge/import.html", {"form": form, "report": report})


@login_required
def export_view(request: HttpRequest) -> HttpResponse:
    """The whole knowledge base as an Excel file (hotline staff)."""
    if not getattr(request.user, "is_hotline", False):
        raise Http404("无权导出")
    response = HttpResponse(transfer.export_workbook(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="knowledge-{stamp}.xlsx"'
    return response
