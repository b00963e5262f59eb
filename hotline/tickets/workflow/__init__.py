"""Every ticket transition, one function each (STYLE 1-3), the only writer of `Ticket.status`.

Each function checks the actor's role and unit, the ticket's status against `TRANSITIONS`, and the rule's own
conditions; then `_core._move` changes the row with a compare-and-swap on (status, version) and writes exactly one
Event in the same transaction. The modules follow the lifecycle: `intake`, `dispatch` (and signing, returns),
`handling`, `review`, `followup`; callers use `workflow.sign(ticket, by=staff)`.
"""

from hotline.directory.choices import DISPATCH_ROLES, FOLLOWUP_ROLES, INTAKE_ROLES, REVIEW_ROLES, UNIT_ROLES
from hotline.tickets.workflow._core import MAX_CONTENT_CHARS, MIN_CONTENT_CHARS
from hotline.tickets.workflow.coordination import redispatch
from hotline.tickets.workflow.dispatch import clock_start, deem_signed, dispatch, request_return, sign
from hotline.tickets.workflow.followup import (
    FOLLOW_UP_UNREACHED_LIMIT,
    follow_up,
    follow_up_data,
    merged_follow_up_due,
    owe_merged_calls,
    record_rating,
    rework,
)
from hotline.tickets.workflow.handling import (
    record_alert,
    record_arrival,
    record_contact_attempt,
    record_lower_report,
    reply,
    request_extension,
)
from hotline.tickets.workflow.intake import (
    Contact,
    answer,
    answer_consultation,
    consult,
    consultation_answered,
    create_ticket,
    decline,
    hand_off,
    merge,
    register_declined,
)
from hotline.tickets.workflow.platforms import hand_down, pass_up, sign_transfer
from hotline.tickets.workflow.review import review_extension, review_reply, review_return

__all__ = [
    "Contact", "DISPATCH_ROLES", "FOLLOWUP_ROLES", "FOLLOW_UP_UNREACHED_LIMIT", "INTAKE_ROLES", "MAX_CONTENT_CHARS",
    "MIN_CONTENT_CHARS", "REVIEW_ROLES", "UNIT_ROLES", "answer", "answer_consultation", "clock_start", "consult",
    "consultation_answered", "create_ticket", "decline", "deem_signed", "dispatch", "follow_up", "follow_up_data",
    "hand_down", "hand_off", "merge", "merged_follow_up_due", "owe_merged_calls", "pass_up", "record_alert",
    "record_arrival", "record_contact_attempt", "record_lower_report", "record_rating", "redispatch",
    "register_declined", "reply", "request_extension", "request_return", "review_extension", "review_reply",
    "review_return", "rework", "sign", "sign_transfer",
]
