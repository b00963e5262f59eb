"""Forms that create tickets are idempotent: one submission key, one ticket (the call desk, the hotline desk's
new-ticket form, the portal). The key is a hidden input with a fresh value per page. Going back makes the browser
fetch the form again (a new key) while it restores the typed text; `web/submission.js` then sends the key the same
text was first submitted with, so the second submit answers with the first ticket."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.channels.models import Submission
from hotline.lib.errors import InvalidInput
from hotline.tickets.models import Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

_KEY = re.compile(r"^[0-9a-f]{32}$")


def new_key() -> str:
    """A fresh submission key for a form about to be shown."""
    return uuid.uuid4().hex


class SubmissionKeyField(forms.CharField):
    """The form's submission key: given a fresh value each time an empty form is shown; not for typing."""

    is_submission_key = True  # templates render it bare, without a label

    def __init__(self, **kwargs: object) -> None:
        super().__init__(required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-submission-key": "1"}),
                         **kwargs)  # type: ignore[arg-type]
        self.initial = new_key


def once(key: str, *, by: Staff | None, create: Callable[[], Ticket]) -> tuple[Ticket, bool]:
    """Run `create` once per key; a repeated key answers with the ticket it made first (and False). A missing key
    (an old form, a client without it) creates as before."""
    key = (key or "").strip().lower()
    if not key:
        return create(), True
    if not _KEY.match(key):
        raise InvalidInput("表单已失效，请刷新页面后重新提交", field="submission_key", code="invalid_submission_key")
    earlier = _earlier(key, by)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            ticket = create()
            Submission.objects.create(key=key, ticket=ticket, staff=by, created_at=timezone.now())
    except IntegrityError:
        # Two submissions at once: the other one committed first; this one's ticket was rolled back with it.
        earlier = _earlier(key, by)
        if earlier is None:
            raise
        return earlier, False
    return ticket, True


def _earlier(key: str, by: Staff | None) -> Ticket | None:
    row = Submission.objects.select_related("ticket").filter(key=key).first()
    if row is None:
        return None
    if row.staff_id != (by.pk if by is not None else None):
        # Another person's key (copied or forged) never shows their ticket.
        raise InvalidInput("表单已失效，请刷新页面后重新提交", field="submission_key", code="invalid_submission_key")
    return row.ticket
