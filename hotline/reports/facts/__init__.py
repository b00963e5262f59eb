"""The event-fact base every report reads (Art. 26 statistics, Art. 27 assessment, supervision).

Statistics come from the append-only event log (DESIGN §3), never from a ticket's current status: a status says
where a ticket is now, an event says who did what, when, against which deadline. Each function here is one
aggregate query (or two) over the events of a `Period` of local dates; report code composes them. The formulas,
with their articles, are in docs/statistics.md.
"""

from hotline.reports.facts.clocks import ClockCounts, clock_events, clock_summary
from hotline.reports.facts.followups import (
    FollowUpCounts,
    follow_up_events,
    follow_up_totals,
    follow_ups_by_platform,
    follow_ups_by_unit,
)
from hotline.reports.facts.intake import (
    Dimension,
    IntakeCounts,
    declines_by_reason,
    intake_by,
    intake_totals,
    received_by_day,
)
from hotline.reports.facts.period import Period, events_in
from hotline.reports.facts.units import UnitCounts, unit_events, unit_facts

__all__ = [
    "ClockCounts", "Dimension", "FollowUpCounts", "IntakeCounts", "Period", "UnitCounts", "clock_events",
    "clock_summary", "declines_by_reason", "events_in", "follow_up_events", "follow_up_totals",
    "follow_ups_by_platform", "follow_ups_by_unit",
    "intake_by", "intake_totals", "received_by_day", "unit_events", "unit_facts",
]
