"""Records other apps keep that bear on an appeal's ground, shown to the reviewer beside the unit's own evidence.

A malicious or resource-wasting request (Art. 25, Art. 29) is judged on the nuisance flags raised at the intake desk,
and those live in `channels`, a floor above this app. So this module declares what a reviewer may be shown for a
ground, and the app that keeps the record registers a reader for it when Django starts (`ChannelsConfig.ready`): an
inversion, so the layering holds (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hotline.followups.models import Appeal


@dataclass(frozen=True)
class Record:
    """One record shown to the reviewer: what it is, its state, when and by whom, and what it says."""

    title: str
    state: str
    at: dt.datetime | None
    by: str
    detail: str


Reader = Callable[["Appeal"], list[Record]]

_readers: dict[str, list[tuple[str, Reader]]] = {}


def register(ground: str, heading: str, reader: Reader) -> None:
    """Show what `reader` finds, under `heading`, on every appeal on `ground`; registering twice replaces."""
    readers = [(h, r) for h, r in _readers.get(ground, []) if h != heading]
    _readers[ground] = [*readers, (heading, reader)]


def for_appeal(appeal: Appeal) -> list[tuple[str, list[Record]]]:
    """The headings registered for the appeal's ground, each with the records found (possibly none)."""
    return [(heading, reader(appeal)) for heading, reader in _readers.get(appeal.ground, [])]
