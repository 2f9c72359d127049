"""Figures for ``report.html``, each returned as a ``data:image/svg+xml`` URI.

Labels inside the figures are ids and English words only: matplotlib may lack a Japanese
font, so the bilingual captions live in the HTML around them. Figures go into ``<img>``
tags as data URIs, so they fetch nothing and can run nothing, whatever the labels say.
matplotlib is imported inside :func:`_figure` to keep ``hibobench --help`` fast.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# No date, creator or links in the SVG, and fixed element ids: the same scores give the
# same bytes, so two renders of one result are identical.
_SVG_METADATA = {"Date": None, "Creator": None, "Type": None, "Format": None}
MAX_CURVE_POINTS = 1000
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


@dataclass
class _Canvas:
    axes: Any
    uri: str = ""


@contextmanager
def _figure(width: float, height: float, ncols: int = 1) -> Iterator[_Canvas]:
    """Axes to draw on; on leaving the block the canvas holds the figure's data URI."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(
        {"svg.hashsalt": "hibobench", "svg.fonttype": "path", "font.size": 9}
    ):
        fig, axes = plt.subplots(1, ncols, figsize=(width, height), squeeze=False)
        canvas = _Canvas(axes[0])
        try:
            yield canvas
            fig.tight_layout()
            buffer = io.BytesIO()
            fig.savefig(buffer, format="svg", metadata=_SVG_METADATA)
        finally:
            plt.close(fig)
    canvas.uri = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _short(label: Any, limit: int = 24) -> str:
    text = str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def confusion_heatmap(labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> str:
    """Counts of (gold row, predicted column), shaded by the share of each gold row."""
    import numpy as np

    counts = np.asarray(matrix, dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    size = 1.2 + 0.9 * len(labels)
    with _figure(size + 1.2, size) as canvas:
        ax = canvas.axes[0]
        image = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
        for (row, col), count in np.ndenumerate(counts):
            colour = "white" if shares[row, col] > 0.6 else "black"
            ax.text(col, row, f"{int(count)}", ha="center", va="center", color=colour)
        ticks = range(len(labels))
        names = [_short(label, 14) for label in labels]
        ax.set_xticks(ticks, names, rotation=30, ha="right")
        ax.set_yticks(ticks, names)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="share of gold row")
    return canvas.uri


def grouped_bars(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    intervals: Mapping[str, tuple[Sequence[float | None], Sequence[float | None]]] | None = None,
) -> str:
    """Bars per category, one colour per series, with interval whiskers where given."""
    import numpy as np

    intervals = intervals or {}
    x = np.arange(len(categories))
    width = 0.8 / max(len(series), 1)
    with _figure(max(4.0, 1.1 * len(categories) + 1.5), 3.2) as canvas:
        ax = canvas.axes[0]
        for i, (name, values) in enumerate(series.items()):
            heights = np.array([np.nan if v is None else v for v in values], dtype=float)
            offset = x - 0.4 + width * (i + 0.5)
            ax.bar(offset, heights, width, label=name, color=_COLOURS[i % len(_COLOURS)])
            if name in intervals:
                ax.errorbar(
                    offset,
                    heights,
                    yerr=_yerr(heights, *intervals[name]),
                    fmt="none",
                    ecolor="black",
                    capsize=3,
                    linewidth=1,
                )
        ax.set_xticks(x, [_short(c, 18) for c in categories])
        ax.set_ylim(0.0, 1.05)
        ax.legend(loc="lower right", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    return canvas.uri


def _yerr(heights: Any, lows: Sequence[float | None], highs: Sequence[float | None]) -> Any:
    """Whisker lengths below and above each bar; a missing bound draws no whisker."""
    import numpy as np

    low = np.array([np.nan if v is None else v for v in lows], dtype=float)
    high = np.array([np.nan if v is None else v for v in highs], dtype=float)
    return np.nan_to_num(np.clip([heights - low, high - heights], 0.0, None), nan=0.0)


def interval_plot(
    names: Sequence[str],
    values: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
) -> str:
    """A forest plot: one row per name, a dot at the value and a line across its interval."""
    import numpy as np

    y = np.arange(len(names))[::-1]
    point = np.array([np.nan if v is None else v for v in values], dtype=float)
    with _figure(6.0, 0.8 + 0.26 * len(names)) as canvas:
        ax = canvas.axes[0]
        ax.errorbar(
            point,
            y,
            xerr=_yerr(point, lows, highs),
            fmt="o",
            color=_COLOURS[0],
            ecolor="grey",
            capsize=2,
            markersize=4,
        )
        ax.set_yticks(y, [_short(n, 40) for n in names])
        ax.set_xlim(-0.02, 1.02)
        ax.grid(axis="x", alpha=0.3)
    return canvas.uri


def curves(views: Mapping[str, Mapping[str, Any]]) -> str:
    """Precision-recall and ROC curves, one line per binary view; a missing curve is skipped."""
    with _figure(8.0, 3.6, ncols=2) as canvas:
        pr_ax, roc_ax = canvas.axes
        for i, (name, curve) in enumerate(views.items()):
            colour = _COLOURS[i % len(_COLOURS)]
            if curve.get("pr"):
                pr_ax.step(
                    *_thin(curve["pr"]["recall"], curve["pr"]["precision"]),
                    where="post",
                    label=_short(name),
                    color=colour,
                )
            if curve.get("roc"):
                fpr, tpr = _thin(curve["roc"]["fpr"], curve["roc"]["tpr"])
                roc_ax.plot(fpr, tpr, label=_short(name), color=colour)
        roc_ax.plot([0, 1], [0, 1], linestyle=":", color="grey", linewidth=1)
        for ax, title, xlabel, ylabel in (
            (pr_ax, "Precision-recall", "recall", "precision"),
            (roc_ax, "ROC", "false positive rate", "true positive rate"),
        ):
            ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=(0, 1), ylim=(0, 1.02))
            ax.grid(alpha=0.3)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(loc="lower left" if ax is pr_ax else "lower right", fontsize=8)
    return canvas.uri


def _thin(
    xs: Sequence[float], ys: Sequence[float], limit: int = MAX_CURVE_POINTS
) -> tuple[Any, Any]:
    """At most ``limit`` evenly spaced points of a curve, both ends kept: a curve over a million
    items has up to a million points, far more than a 4-inch figure shows."""
    import numpy as np

    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if len(x) <= limit:
        return x, y
    keep = np.unique(np.linspace(0, len(x) - 1, limit).round().astype(int))
    return x[keep], y[keep]


def reliability_diagram(bins: Sequence[Mapping[str, Any]]) -> str:
    """Accuracy against mean confidence per bin, bars as wide as the bin; the diagonal is perfect calibration."""
    filled = [b for b in bins if b.get("count") and b.get("accuracy") is not None]
    with _figure(4.2, 4.0) as canvas:
        ax = canvas.axes[0]
        ax.bar(
            [b["low"] for b in filled],
            [b["accuracy"] for b in filled],
            width=[b["high"] - b["low"] for b in filled],
            align="edge",
            color=_COLOURS[0],
            alpha=0.7,
            edgecolor="white",
            label="accuracy",
        )
        ax.plot(
            [b["confidence"] for b in filled],
            [b["accuracy"] for b in filled],
            "o",
            color=_COLOURS[1],
            markersize=4,
            label="mean confidence",
        )
        ax.plot([0, 1], [0, 1], linestyle=":", color="grey", linewidth=1)
        ax.set(xlabel="confidence", ylabel="accuracy", xlim=(0, 1), ylim=(0, 1.02))
        ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)
    return canvas.uri
