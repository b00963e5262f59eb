"""The dispatch catalogue (派单目录): edit it as versioned data and read where a matter goes in a county.

Resolution order for a topic in a county (第三条 属地管理, 第十二条):
1. a current rule for this county, for the topic or the nearest ancestor topic that has one;
2. if the topic is handled locally first (Topic.local_first) and the county is known: the county itself leads;
3. a current city-wide rule for the topic or its nearest ancestor;
4. the default unit of the topic or its nearest ancestor (Topic.default_unit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from hotline.directory.choices import UnitKind
from hotline.directory.models import Topic, Unit
from hotline.intake.models import CatalogueRule
from hotline.lib.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from hotline.directory.models import Staff


@dataclass(frozen=True)
class Target:
    """Where a matter goes: the lead unit, assisting units, and the catalogue line (or rule of thumb) that said so."""

    lead_unit: Unit
    assisting_units: tuple[Unit, ...] = field(default_factory=tuple)
    basis: str = ""
    rule: CatalogueRule | None = None


def _check_units(lead_unit: Unit, assisting: Sequence[Unit], region: Unit | None) -> list[Unit]:
    if region is not None and region.kind != UnitKind.COUNTY:
        raise InvalidInput("县市区须为县级单位", field="region", code="invalid_region")
    if not lead_unit.is_active or lead_unit.kind == UnitKind.HOTLINE:
        raise InvalidInput("请选择有效的牵头单位", field="lead_unit", code="invalid_unit")
    units = list(dict.fromkeys(assisting))
    if lead_unit in units:
        raise InvalidInput("牵头单位不能同时为会同单位", field="assisting_units", code="lead_also_assisting")
    return units


def set_rule(*, topic: Topic, region: Unit | None, lead_unit: Unit, assisting_units: Sequence[Unit] = (),
             by: Staff | None, note: str = "") -> CatalogueRule:
    """Write the next version of the catalogue line topic × region, ending the current one (第十二条)."""
    units = _check_units(lead_unit, assisting_units, region)
    now = timezone.now()
    with transaction.atomic():
        # Lock the line's current row so two editors produce versions n+1 and n+2, never two n+1.
        lines = CatalogueRule.objects.select_for_update().filter(topic=topic, region=region)
        last = lines.order_by("-version").first()
        lines.filter(is_current=True).update(is_current=False, valid_until=now)
        rule = CatalogueRule.objects.create(
            topic=topic, region=region, lead_unit=lead_unit, version=(last.version + 1) if last else 1,
            is_current=True, note=note[:200], changed_by=by, valid_from=now,
        )
        rule.assisting_units.set(units)
    return rule


def retire_rule(*, topic: Topic, region: Unit | None, by: Staff | None, note: str = "") -> CatalogueRule:
    """End the current line without a successor; the topic then falls back to its parent or default unit."""
    with transaction.atomic():
        # Ordered by pk, not the default ordering: that outer-joins the region, which FOR UPDATE refuses.
        rule = (CatalogueRule.objects.select_for_update().filter(topic=topic, region=region, is_current=True)
                .order_by("pk").first())
        if rule is None:
            raise NotFound("派单目录中没有该条现行规则", code="rule_not_found")
        rule.is_current = False
        rule.valid_until = timezone.now()
        rule.note = (note or rule.note)[:200]
        rule.changed_by = by or rule.changed_by
        rule.save(update_fields=["is_current", "valid_until", "note", "changed_by"])
    return rule


def history(topic: Topic, region: Unit | None) -> list[CatalogueRule]:
    """Every version of one catalogue line, newest first."""
    return list(CatalogueRule.objects.filter(topic=topic, region=region).order_by("-version")
                .select_related("lead_unit", "changed_by").prefetch_related("assisting_units"))


def _target(rule: CatalogueRule, basis: str) -> Target:
    assisting = tuple(u for u in rule.assisting_units.all() if u.is_active)
    return Target(lead_unit=rule.lead_unit, assisting_units=assisting, basis=basis, rule=rule)


def _ancestors(topic: Topic) -> list[Topic]:
    chain: list[Topic] = []
    node: Topic | None = topic
    while node is not None and len(chain) < 10:  # the taxonomy is a few levels deep; the cap guards a bad cycle
        chain.append(node)
        node = node.parent
    return chain


def _current_rule(topic: Topic, region: Unit | None) -> CatalogueRule | None:
    rule = (CatalogueRule.objects.filter(topic=topic, region=region, is_current=True)
            .select_related("lead_unit").prefetch_related("assisting_units").first())
    return rule if rule is not None and rule.lead_unit.is_active else None


def resolve(topic: Topic | None, region: Unit | None = None) -> Target | None:
    """Where a matter of `topic` in county `region` goes, by the order in this module's docstring; None if nowhere."""
    if topic is None:
        return None
    chain = _ancestors(topic)
    if region is not None:
        for node in chain:
            rule = _current_rule(node, region)
            if rule is not None:
                return _target(rule, f"派单目录：{node.name}（{region.name}）")
        if topic.local_first and region.is_active:
            # 第三条 属地管理: a county matter goes to the county, which hands it on to its own department.
            return Target(lead_unit=region, basis=f"属地管理：{region.name}")
    for node in chain:
        rule = _current_rule(node, None)
        if rule is not None:
            return _target(rule, f"派单目录：{node.name}（全市）")
    for node in chain:
        if node.default_unit is not None and node.default_unit.is_active:
            return Target(lead_unit=node.default_unit, basis=f"默认承办单位：{node.name}")
    return None
