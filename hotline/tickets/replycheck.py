"""Does the unit's reply answer what was asked (文不对题, Art. 27, 28(3))? A review aid; the reviewer decides.

A reply is compared with its ticket and with other recent tickets: a reply written for this ticket shares its
places, names and matters (character 1–3-gram TF-IDF cosine) more than it shares those of any other ticket. A reply
copied from another ticket fits that ticket better; a template fits every ticket about as well as this one. So the
score is the fit to this ticket minus the best fit to another ticket, plus a quarter of the fit itself (chosen on the
tuning split of the development pairs; see docs/routing.md).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

if TYPE_CHECKING:
    from hotline.tickets.models import Ticket

log = logging.getLogger(__name__)

OWN_WEIGHT = 0.25
# Warn below this score: on the tuning split about 6 % of true replies and 95 % of wrong ones fall below it.
WARN_BELOW = -0.03
# A reply sharing less than this with its ticket reads as unrelated even with no other ticket to compare (a new
# deployment); on the tuning split fewer than 5 % of true replies fit this little.
LOW_FIT = 0.01
POOL_SIZE = 1000
POOL_SECONDS = 600


@dataclass(frozen=True)
class Check:
    """The score of one reply against its ticket, the rival ticket it fits better (if any) and the warning."""

    score: float
    fit: float
    rival: str = ""
    warning: str = ""


class Checker:
    """Scores replies against a pool of other tickets' texts, keyed by ticket number."""

    def __init__(self, pool: Sequence[tuple[str, str]], extra_texts: Sequence[str] = ()) -> None:
        self.keys = [key for key, _text in pool]
        texts = [text for _key, text in pool]
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.vectorizer.fit([*texts, *extra_texts] or ["。"])
        self.matrix = self.vectorizer.transform(texts) if texts else None

    def check(self, message: str, reply: str, *, exclude: Collection[str] = ()) -> Check:
        """Score `reply` as the answer to `message`; `exclude`: the ticket's own key and its merged repeats."""
        vectors = self.vectorizer.transform([message, reply])
        fit = float(vectors[0].multiply(vectors[1]).sum())
        rival_fit, rival = 0.0, ""
        if self.matrix is not None and self.matrix.shape[0]:
            fits = np.asarray((self.matrix @ vectors[1].T).todense()).ravel()
            for position in np.argsort(-fits)[:len(exclude) + 1]:
                if self.keys[position] not in exclude:
                    rival_fit, rival = float(fits[position]), self.keys[position]
                    break
        score = fit - rival_fit + OWN_WEIGHT * fit
        rival = rival if rival_fit > fit else ""
        return Check(score=round(score, 4), fit=round(fit, 4), rival=rival,
                     warning=_warning(score, fit, rival, rival_fit))


def _warning(score: float, fit: float, rival: str, rival_fit: float) -> str:
    if fit < LOW_FIT:
        return "办理结果与诉求内容几乎没有共同之处，可能答非所问"
    if score >= WARN_BELOW:
        return ""
    if rival and rival_fit > 2 * fit:
        return f"办理结果与工单 {rival} 的诉求更相符，可能答非所问或套用了其他工单的答复"
    return f"办理结果与本诉求的相关度不高于其他工单（如 {rival}），可能是未针对本诉求的模板化答复"


def message_text(title: str, content: str) -> str:
    """The ticket's text as the check reads it."""
    return f"{title}。{content}" if title else content


# ---------------------------------------------------------------- the process-wide pool of recent tickets

_lock = threading.Lock()
_cached: tuple[float, Checker] | None = None


def _recent_pool() -> Checker:
    from hotline.tickets.models import Reply, Ticket

    rows = list(Ticket.objects.order_by("-pk").values_list("number", "title", "content")[:POOL_SIZE])
    replies = Reply.objects.order_by("-pk").values_list("process", "result")[:POOL_SIZE]
    return Checker([(number, message_text(title, content)) for number, title, content in rows],
                   extra_texts=[f"{process}\n{result}" for process, result in replies])


def check_reply(message: str, reply: str, *, exclude: Collection[str]) -> Check:
    """Score a reply against its ticket and the recent tickets (rebuilt every ten minutes per process)."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > POOL_SECONDS:
            _cached = (time.monotonic(), _recent_pool())
        checker = _cached[1]
    return checker.check(message, reply, exclude=exclude)


def check_ticket_reply(ticket: Ticket, *, process: str, result: str) -> Check | None:
    """The check of a unit's reply to `ticket`, or None if it could not be made (the reply goes ahead anyway)."""
    from hotline.tickets.models import Ticket

    exclude = {ticket.number, *Ticket.objects.filter(merged_into=ticket).values_list("number", flat=True)}
    try:
        return check_reply(message_text(ticket.title, ticket.content), f"{process}\n{result}", exclude=exclude)
    except Exception:  # a review aid must never stop a unit from replying (Art. 15)
        log.exception("答复文不对题检查失败：%s", ticket.number)
        return None


def reset() -> None:
    """Forget the cached pool (tests, and after bulk imports)."""
    global _cached
    with _lock:
        _cached = None
