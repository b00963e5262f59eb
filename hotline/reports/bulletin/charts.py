"""The bulletin's charts, rendered on the server as PNG with a Chinese font found on the machine (no network).

matplotlib draws them; the font is Noto Sans CJK from Debian's fonts-noto-cjk when installed, else any CJK font
matplotlib can find. Its cache goes to the data directory, since the service user's home may not be writable.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence

from django.conf import settings

os.environ.setdefault("MPLCONFIGDIR", str(settings.DATA_DIR / "matplotlib"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # no display on a server
from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

PREFERRED = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "AR PL UMing CN")
COLOURS = ["#1f5fae", "#e4572e", "#17a398", "#f3a712", "#7768ae", "#c0392b", "#6c757d", "#2e8b57"]


def _font() -> list[str]:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in PREFERRED if name in names] + ["DejaVu Sans"]


def _png(fig: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=130)
    plt.close(fig)
    return buffer.getvalue()


def _figure(width: float = 6.4, height: float = 3.2) -> tuple[plt.Figure, plt.Axes]:
    plt.rcParams["font.sans-serif"] = _font()
    plt.rcParams["axes.unicode_minus"] = False
    return plt.subplots(figsize=(width, height))


def bars(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]]) -> bytes:
    """Grouped bars, one group per label and one bar per series (e.g. this month and last month)."""
    fig, ax = _figure()
    n = max(1, len(series))
    width = 0.8 / n
    for i, (name, values) in enumerate(series.items()):
        xs = [x + i * width - 0.4 + width / 2 for x in range(len(labels))]
        ax.bar(xs, values, width=width, label=name, color=COLOURS[i % len(COLOURS)])
    ax.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 6 else 0, ha="right")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return _png(fig)


def trend(title: str, labels: Sequence[str], values: Sequence[float], rates: Sequence[float | None]) -> bytes:
    """Received per month as bars, with the satisfaction rate as a line on a second axis."""
    fig, ax = _figure()
    ax.bar(labels, values, color=COLOURS[0], label="受理量")
    ax.tick_params(axis="x", rotation=45)
    ax.set_title(title)
    points = [(label, r) for label, r in zip(labels, rates, strict=True) if r is not None]
    if points:
        right = ax.twinx()
        right.plot([p[0] for p in points], [p[1] for p in points], color=COLOURS[1], marker="o", label="满意率%")
        right.set_ylim(0, 105)
        right.legend(loc="upper right", fontsize=8)
    ax.legend(loc="upper left", fontsize=8)
    return _png(fig)


def composition(title: str, parts: Mapping[str, float]) -> bytes:
    """A pie of the parts of a whole (e.g. request types); an empty whole draws a note instead."""
    fig, ax = _figure(5.2, 3.2)
    items = [(label, value) for label, value in parts.items() if value > 0]
    if items:
        ax.pie([v for _, v in items], labels=[label for label, _ in items], autopct="%1.1f%%",
               colors=COLOURS[: len(items)], textprops={"fontsize": 8})
    else:
        ax.text(0.5, 0.5, "本月无数据", ha="center", va="center")
        ax.axis("off")
    ax.set_title(title)
    return _png(fig)
