"""The one place where the screens turn a DomainError into an HTTP answer (STYLE 7, 8).

A view that handles a form calls `parse(request, form)`; it raises `InvalidInput` when the form does not validate and
remembers the form on the request. When anything in the view raises a DomainError, `domain_errors` catches it: an
invisible object is 404; any other error is written on the remembered form (on its field when the error names one)
and the page is rendered again by the view's failure renderer with the typed input kept and the error's status
(400 invalid input, 403 forbidden, 409 state conflict); a renderer may answer with a redirect instead. Every 404 and
403 is recorded as a security event by `hotline.privacy.security.DenialMiddleware`, with the error's code that
`note_denial` leaves on the request. Every HTML view of every app maps errors here; the API has its own one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import render

from hotline.lib.errors import DomainError, InvalidInput, NotFound

F = TypeVar("F", bound=forms.Form)
FailureRenderer = Callable[..., HttpResponse]
_FORM_ATTR = "_hotline_web_form"
# The stable code of the DomainError behind a 403 or 404, for the security event the denial middleware records.
DENIAL_CODE_ATTR = "_hotline_denial_code"


def note_denial(request: HttpRequest, code: str) -> None:
    """Leave the error's code on the request; the denial middleware writes it into the security event."""
    setattr(request, DENIAL_CODE_ATTR, code)


def not_found(request: HttpRequest, error: NotFound) -> Http404:
    """The 404 for an invisible or unknown object, its code noted for the security event."""
    note_denial(request, error.code)
    return Http404(error.message)


def parse(request: HttpRequest, form: F) -> F:
    """Validate `form`; remember it so a later DomainError is shown on it. Raises InvalidInput when invalid."""
    setattr(request, _FORM_ATTR, form)
    if not form.is_valid():
        raise InvalidInput("请检查表单中标出的内容", code="form_invalid")
    return form


def sent_form(request: HttpRequest) -> forms.Form | None:
    """The form this request sent, if the view parsed one."""
    return getattr(request, _FORM_ATTR, None)


def _attach(form: forms.Form, error: DomainError) -> None:
    if error.code == "form_invalid":
        return  # the form already carries its field errors
    # Workflow field names are sometimes dotted ("requester.phone"); the form spells them with underscores.
    field = (error.field or "").replace(".", "_")
    form.add_error(field if field in form.fields else None, error.message)


View = Callable[..., HttpResponse]


def domain_errors(render_failure: FailureRenderer) -> Callable[[View], View]:
    """Decorate a view: NotFound becomes 404; other DomainErrors re-render the page via `render_failure`.

    `render_failure(request, error, form, **view_kwargs)` returns the page; its status is set here.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise not_found(request, exc) from exc
            except DomainError as exc:
                if exc.status == 403:  # a visible ticket, a forbidden action: who tried what is audited
                    note_denial(request, exc.code)
                form = sent_form(request)
                if form is not None:
                    _attach(form, exc)
                try:
                    response = render_failure(request, exc, form, *args, **kwargs)
                except NotFound as inner:
                    raise not_found(request, inner) from inner
                if not isinstance(response, HttpResponseRedirectBase):
                    response.status_code = exc.status
                return response

        return wrapped

    return decorator


def plain_failure(request: HttpRequest, error: DomainError, form: forms.Form | None, *args: Any,
                  **kwargs: Any) -> HttpResponse:
    """The fallback failure page: the Chinese message and a way back."""
    return render(request, "web/error.html", {"error": error})
