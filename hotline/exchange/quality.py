"""Each sub-centre's data quality in a month (Art. 7; after Jiangsu's 完整性, 内容完整, 及时性, 接口稳定, WAVE2 §8):

- 及时率 = pushes that came within the window after the change they report ÷ pushes read;
- 内容完整率 = pushes read that carried every field their status needs ÷ pushes read;
- 拒收率 = pushes refused (unreadable content) ÷ every push received;
- 办结结果回传率 = tickets whose deadline fell in the month whose outcome (办结时间) has been pushed ÷ those tickets.
A rate with nothing to divide by is None ("—"), as everywhere in the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from hotline.exchange.models import Partner, PartnerKind, SubCentrePush, SubCentreTicket
from hotline.reports.facts import Period
from hotline.reports.indicators import ratio


@dataclass(frozen=True)
class Quality:
    """One sub-centre's row of the table."""

    code: str
    name: str
    unit: str
    received: int  # tickets it took in the month
    pushes: int  # every push that came in the month, refused ones included
    read: int
    on_time: int
    complete: int
    refused: int
    due: int
    outcome_pushed: int

    @property
    def rates(self) -> dict[str, float | None]:
        return {"timely_rate": ratio(self.on_time, self.read), "complete_rate": ratio(self.complete, self.read),
                "refused_rate": ratio(self.refused, self.pushes),
                "outcome_rate": ratio(self.outcome_pushed, self.due)}

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "unit": self.unit, "received": self.received,
                "pushes": self.pushes, "read": self.read, "on_time": self.on_time, "complete": self.complete,
                "refused": self.refused, "due": self.due, "outcome_pushed": self.outcome_pushed, **self.rates}


def table(period: Period) -> list[Quality]:
    """Every sub-centre's row for the period, in code order; a sub-centre that pushed nothing shows zeros."""
    low, high = period.bounds
    pushes = {row["partner"]: row for row in SubCentrePush.objects.filter(at__gte=low, at__lt=high)
              .values("partner").annotate(n=Count("id"), n_refused=Count("id", filter=Q(refused=True)),
                                          n_on_time=Count("id", filter=Q(refused=False, on_time=True)),
                                          n_complete=Count("id", filter=Q(refused=False, complete=True)))}
    tickets = {row["partner"]: row for row in SubCentreTicket.objects.values("partner").annotate(
        received=Count("id", filter=Q(received_at__gte=low, received_at__lt=high)),
        due=Count("id", filter=Q(due_at__gte=low, due_at__lt=high)),
        outcome=Count("id", filter=Q(due_at__gte=low, due_at__lt=high, resolved_at__isnull=False)))}
    rows = []
    empty: dict[str, int] = {}
    for partner in Partner.objects.filter(kind=PartnerKind.SUB_CENTRE).select_related("unit").order_by("code"):
        p, t = pushes.get(partner.pk, empty), tickets.get(partner.pk, empty)
        n, refused = p.get("n", 0), p.get("n_refused", 0)
        rows.append(Quality(partner.code, partner.name, partner.unit.name if partner.unit else "",
                            t.get("received", 0), n, n - refused, p.get("n_on_time", 0), p.get("n_complete", 0),
                            refused, t.get("due", 0), t.get("outcome", 0)))
    return rows
