"""The citizen portal (网站渠道): submit without an account, get a number and query code, track, read, rate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from hotline.channels import services, submissions
from hotline.channels.forms import RateForm, RecoverCodeForm, RecoverForm, SubmitForm, TrackForm
from hotline.lib.errors import DomainError
from hotline.tickets.choices import Action, Channel, FollowUpChannel, ReviewState, Status
from hotline.tickets.models import Ticket

# What a citizen sees of the history: the steps, never internal notes or the names of staff.
PUBLIC_ACTIONS: dict[str, str] = {
    Action.ACCEPT: "热线已受理",
    Action.DECLINE: "不予受理",
    Action.ANSWER: "已直接答复",
    Action.CONSULT: "正在咨询相关单位",
    Action.DISPATCH: "已转派承办单位",
    Action.SIGN: "承办单位已签收",
    Action.DEEM_SIGNED: "承办单位已签收",
    Action.REVIEW_RETURN: "重新确定承办单位",
    Action.REVIEW_EXTENSION: "办理期限调整",
    Action.REVIEW_REPLY: "办理结果审核",
    Action.FOLLOW_UP: "回访",
    Action.REWORK: "发回重新办理",
    Action.MERGE: "与相同诉求合并办理",
    Action.HAND_OFF: "已转紧急热线处置",
    Action.HAND_DOWN: "已交区县分中心办理",
    Action.PASS_UP: "已交市热线平台办理",
    Action.PLATFORM_SIGN: "热线平台已签收",
}
TRACKED_SESSION_KEY = "portal_tracked"
RECOVER_SESSION_KEY = "portal_recover"
RECOVER_SENT = "如果工单编号与您提交诉求时填写的电话相符，我们已向该电话发送短信验证码（10分钟内有效）。"


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="5/10m", method="POST", block=False)
def submit(request: HttpRequest) -> HttpResponse:
    """The request form; a flood from one address is refused with a message, keeping what was typed."""
    form = SubmitForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if getattr(request, "limited", False):
            error = "提交过于频繁，请10分钟后再试。您填写的内容已保留。"
        elif form.is_valid():
            data = form.cleaned_data
            try:
                ticket, created = submissions.once(data["submission_key"], by=None, create=lambda: services.submit(
                    Channel.WEB, {
                        "request_type": data["request_type"], "content": data["content"],
                        "address": data["address"], "topic": data["topic"].code if data["topic"] else None,
                        "region": data["region"].code if data["region"] else None,
                        "is_confidential": data["confidential"],
                        "requester": {"name": data["name"], "phone": data["phone"]},
                    }))
            except DomainError as exc:
                error = exc.message
            else:
                # Submitted twice (back and submit again): the first receipt stands; its code was shown then.
                code = services.issue_tracking(ticket) if created else ""
                request.session["portal_receipt"] = {"number": ticket.number, "code": code, "repeated": not created}
                return redirect("channels:portal-receipt")
    return render(request, "channels/portal_submit.html", {"form": form, "error": error},
                  status=400 if request.method == "POST" else 200)


def receipt(request: HttpRequest) -> HttpResponse:
    """Shows the number and query code once, right after submitting."""
    data = request.session.pop("portal_receipt", None)
    if not data:
        return redirect("channels:portal-track")
    return render(request, "channels/portal_receipt.html", data)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="20/10m", method="POST", block=False)
def track(request: HttpRequest) -> HttpResponse:
    """Number + query code -> progress, reply and rating form."""
    form = TrackForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if getattr(request, "limited", False):
            error = "查询过于频繁，请稍后再试。"
        elif form.is_valid():
            try:
                ticket = services.track(form.cleaned_data["number"], form.cleaned_data["code"])
            except DomainError as exc:
                error = exc.message
            else:
                tracked = set(request.session.get(TRACKED_SESSION_KEY, []))
                request.session[TRACKED_SESSION_KEY] = sorted(tracked | {ticket.number})
                return redirect("channels:portal-status", number=ticket.number)
    return render(request, "channels/portal_track.html", {"form": form, "error": error},
                  status=400 if error or (request.method == "POST" and not form.is_valid()) else 200)


def _tracked_ticket(request: HttpRequest, number: str) -> Ticket | None:
    if number not in request.session.get(TRACKED_SESSION_KEY, []):
        return None
    return Ticket.objects.select_related("lead_unit", "topic").filter(number=number).first()


def _context(ticket: Ticket) -> dict[str, Any]:
    events = [(e.at, PUBLIC_ACTIONS[e.action]) for e in ticket.events.order_by("at", "id")
              if e.action in PUBLIC_ACTIONS]
    reply = None
    if ticket.status in (Status.RESOLVED, Status.CLOSED):
        reply = ticket.replies.filter(state=ReviewState.APPROVED).order_by("-submitted_at").first()
    return {"ticket": ticket, "events": events, "reply": reply, "status_label": Status(ticket.status).label,
            "rating": ticket.follow_ups.filter(channel=FollowUpChannel.PORTAL).first(), "rate_form": RateForm()}


def status(request: HttpRequest, number: str) -> HttpResponse:
    """The progress page of a ticket this browser has tracked with its code."""
    ticket = _tracked_ticket(request, number)
    if ticket is None:
        return redirect("channels:portal-track")
    return render(request, "channels/portal_status.html", _context(ticket))


@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    """The requester's satisfaction with the handling, once resolved."""
    ticket = _tracked_ticket(request, number)
    if ticket is None:
        return redirect("channels:portal-track")
    form = RateForm(request.POST)
    context = _context(ticket)
    if form.is_valid():
        try:
            services.rate(ticket, satisfaction=form.cleaned_data["satisfaction"],
                          comment=form.cleaned_data["comment"])
        except DomainError as exc:
            context.update(rate_form=form, error=exc.message)
            return render(request, "channels/portal_status.html", context, status=exc.status)
        return redirect("channels:portal-status", number=number)
    context.update(rate_form=form)
    return render(request, "channels/portal_status.html", context, status=400)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="5/h", method="POST", block=False)
def recover(request: HttpRequest) -> HttpResponse:
    """Lost query code, step 1: number + phone. The same answer whether they match or not (no oracle)."""
    form = RecoverForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if getattr(request, "limited", False):
            error = "操作过于频繁，请1小时后再试。"
        elif form.is_valid():
            services.start_recovery(form.cleaned_data["number"], form.cleaned_data["phone"])
            request.session[RECOVER_SESSION_KEY] = form.cleaned_data["number"].strip()
            return redirect("channels:portal-recover-code")
    return render(request, "channels/portal_recover.html", {"form": form, "error": error},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="10/h", method="POST", block=False)
def recover_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the SMS code; right, the citizen gets a new query code shown once (the old one stops working)."""
    number = request.session.get(RECOVER_SESSION_KEY)
    if not number:
        return redirect("channels:portal-recover")
    form = RecoverCodeForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if getattr(request, "limited", False):
            error = "操作过于频繁，请1小时后再试。"
        elif form.is_valid():
            try:
                code = services.finish_recovery(number, form.cleaned_data["code"])
            except DomainError as exc:
                error = exc.message
            else:
                request.session.pop(RECOVER_SESSION_KEY, None)
                request.session["portal_receipt"] = {"number": number, "code": code, "recovered": True}
                return redirect("channels:portal-receipt")
    return render(request, "channels/portal_recover_code.html",
                  {"form": form, "error": error, "number": number, "sent": RECOVER_SENT},
                  status=400 if request.method == "POST" else 200)
