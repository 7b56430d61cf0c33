"""Charts for the quarterly report, drawn with matplotlib as PNG images.

matplotlib is imported here only, when a report is made (the worker never loads it), with the
Agg backend so no display is needed. ``available()`` says whether it is installed: without it
the report is made with its tables alone.
"""

from __future__ import annotations

import io

NAVY, BLUE, GREY = "#1F3864", "#4472C4", "#A6A6A6"
RAG = {"complete": "#70AD47", "open": "#4472C4", "overdue": "#C00000"}


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False, "svg.hashsalt": "o365flow"})
    return plt


def _png(fig) -> bytes:
    out = io.BytesIO()
    # No date or software stamp in the image, so the same figures give the same bytes.
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return out.getvalue()


def bars(labels: list[str], values: list[int], title: str, horizontal: bool = False) -> bytes:
    """One series of counts, labelled with each value."""
    plt = _pyplot()
    height = max(2.2, 0.32 * len(labels) + 0.8) if horizontal else 2.6
    fig, ax = plt.subplots(figsize=(6.3, height))
    if horizontal:
        pos = range(len(labels))[::-1]
        ax.barh(list(pos), values, color=BLUE)
        ax.set_yticks(list(pos), labels)
        for y, v in zip(pos, values):
            ax.text(v, y, f" {v}", va="center", fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.bar(labels, values, color=BLUE)
        for x, v in enumerate(values):
            ax.text(x, v, str(v), ha="center", va="bottom", fontsize=8)
        ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, loc="left", color=NAVY, fontsize=10, fontweight="bold")
    return _png(fig)


def stacked(labels: list[str], series: dict[str, list[int]], title: str) -> bytes:
    """Counts by label, stacked by series (actions complete / open / overdue by agency)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.3, max(2.2, 0.3 * len(labels) + 1.0)))
    pos = list(range(len(labels)))[::-1]
    left = [0] * len(labels)
    for name, values in series.items():
        ax.barh(pos, values, left=left, color=RAG.get(name, GREY), label=name.capitalize())
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(pos, labels)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False, fontsize=8)  # below, never over a bar
    ax.set_title(title, loc="left", color=NAVY, fontsize=10, fontweight="bold")
    return _png(fig)


def timeliness(labels: list[str], percents: list[int | None], title: str) -> bytes:
    """Percentages met on time against 100%, a blank bar where nothing fell in the period."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.3, 0.45 * len(labels) + 0.9))
    pos = list(range(len(labels)))[::-1]
    ax.barh(pos, [100] * len(labels), color="#E7E6E6")
    ax.barh(pos, [p or 0 for p in percents], color=BLUE)
    for y, p in zip(pos, percents):
        ax.text(101, y, "none in the period" if p is None else f"{p}%", va="center", fontsize=8)
    ax.set_yticks(pos, labels)
    ax.set_xlim(0, 130)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_title(title, loc="left", color=NAVY, fontsize=10, fontweight="bold")
    return _png(fig)
