"""Demo exchanges (Art. 7, 27): a provincial platform with a few orders, one marked 国办 and finished late, and the
power company's 95598 sub-centre pushing its tickets, some late or incomplete, so both screens show something."""

from __future__ import annotations

import datetime as dt

import time_machine

from hotline.directory.models import Staff, Unit
from hotline.exchange import orders, subcentres
from hotline.exchange.models import Partner, PartnerKind
from hotline.exchange.schemas import OrderIn, SubCentreTicketIn
from hotline.tickets import workflow

ORDERS = [  # external id, mark, upper working days, content
    ("HN-演示-0001", "state_council", 3, "国务院客户端转办：小区路灯长期不亮，夜间出行不便"),
    ("HN-演示-0002", "leader", 5, "省领导批示件：农贸市场周边占道经营严重"),
    ("HN-演示-0003", "", 10, "省12345转办：人行道井盖松动"),
]


def build(staff: dict[str, Staff], units: dict[str, Unit], *, now: dt.datetime) -> None:
    """The partners, three orders taken a week ago and signed, and a month of sub-centre pushes."""
    # No report-back address: there is no province to report to in a demo, so report-back is off for it (the
    # 上级交办 screen says 未开启回传) rather than failing in the outbox; docs/deploy.md shows a real set-up.
    province = Partner.objects.create(code="hunan-12345", name="湖南省12345指挥监管平台", kind=PartnerKind.UPPER,
                                      prefix="demo-prov",
                                      hmac_secret_env="HOTLINE_EXCHANGE_PROVINCE_SECRET")  # noqa: S106 (a name)
    sub = Partner.objects.create(code="power-95598", name="国网邵阳供电公司95598分中心", kind=PartnerKind.SUB_CENTRE,
                                 unit=units["power"], prefix="demo-95598",
                                 hmac_secret_env="HOTLINE_EXCHANGE_POWER_SECRET")  # noqa: S106 (a name)
    unit = units["cgzf"]
    for index, (external_id, flag, days, content) in enumerate(ORDERS):
        at = now - dt.timedelta(days=7 - index, hours=3)
        with time_machine.travel(at, tick=False):
            order = OrderIn.model_validate({"external_id": external_id, "flag": flag, "working_days": days,
                                            "content": content, "category": "城乡建设/市政设施"})
            ticket = orders.take_order(province, order).order.ticket
            workflow.dispatch(ticket, by=staff["dispatcher"], lead_unit=unit)
        with time_machine.travel(at + dt.timedelta(hours=2), tick=False):
            workflow.sign(ticket, by=staff[f"h-{unit.code}"])
    _pushes(sub, now)


def _pushes(sub: Partner, now: dt.datetime) -> None:
    """Ten tickets this month: most pushed within minutes, every third an hour late, every fourth without a category."""
    start = now - dt.timedelta(days=min(now.day - 1, 10), hours=1)
    for n in range(10):
        received = start + dt.timedelta(hours=20 * n)
        if received >= now:
            break
        ticket = {"external_id": f"95598-{n:04d}", "received_at": received, "content": "停电报修",
                  "category": "" if n % 4 == 3 else "故障报修", "due_at": received + dt.timedelta(days=1)}
        late = dt.timedelta(hours=1) if n % 3 == 2 else dt.timedelta(minutes=3)
        with time_machine.travel(received + late, tick=False):
            subcentres.receive(sub, SubCentreTicketIn.model_validate({**ticket, "status": "received",
                                                                      "event_at": received}))
        resolved = received + dt.timedelta(hours=6)
        if n % 5 != 4 and resolved + late < now:
            with time_machine.travel(resolved + late, tick=False):
                subcentres.receive(sub, SubCentreTicketIn.model_validate({
                    **ticket, "status": "resolved", "event_at": resolved, "resolved_at": resolved,
                    "result": "已抢修恢复供电", "satisfaction": "5" if n % 2 else "4"}))
