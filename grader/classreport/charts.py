"""The class report's two charts as inline SVG, drawn from numbers: a histogram and a bar.

Both are plain rectangles with their numbers written beside them as text (never colour alone),
coloured by the page's CSS variables so that they follow light and dark mode and print.  No
library is needed for rectangles; a plotting library would add a dependency and a megabyte of
markup for what is a dozen <rect> elements.
"""

from __future__ import annotations

from collections.abc import Sequence

from grader.classreport.statistics import Bin

__all__ = ["histogram_svg", "share_bar_svg"]


def histogram_svg(bins: Sequence[Bin], max_score: float) -> str:
    """A bar per bin, its count above it and its range below; the title says what it shows."""
    if not bins:
        return ""
    width, height, left, bottom, top = 560, 190, 8, 36, 18
    step = (width - 2 * left) / len(bins)
    tallest = max(b.count for b in bins) or 1
    area = height - bottom - top
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="hist-title" width="{width}" height="{height}">',
        '<title id="hist-title">Number of students per score range</title>',
    ]
    for i, item in enumerate(bins):
        bar = area * item.count / tallest
        x = left + i * step
        y = top + area - bar
        whole = item.high - item.low == 1 and item.low == int(item.low)
        label = f"{item.low:g}" if whole else f"{item.low:.3g}-{item.high:.3g}"
        out.append(
            f'<rect class="bar" x="{x + 2:.1f}" y="{y:.1f}" width="{step - 4:.1f}" height="{bar:.1f}">'
            f"<title>{item.count} students scored {label} of {max_score:g}</title></rect>"
        )
        out.append(
            f'<text class="count" x="{x + step / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'data-bin="{i}">{item.count}</text>'
        )
        out.append(
            f'<text class="axis" x="{x + step / 2:.1f}" y="{height - bottom + 16:.1f}" '
            f'text-anchor="middle">{label}</text>'
        )
    out.append(
        f'<text class="axis" x="{width / 2:.0f}" y="{height - 4}" text-anchor="middle">'
        f"score (of {max_score:g})</text>"
    )
    out.append("</svg>")
    return "".join(out)


def share_bar_svg(share: float, label: str) -> str:
    """A horizontal bar filled to `share` (0..1), for the pass rate; `label` is its text alternative."""
    width, height = 160, 14
    filled = max(0.0, min(1.0, share)) * width
    return (
        f'<svg class="rate" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{label}"><rect class="track" width="{width}" height="{height}"/>'
        f'<rect class="fill" width="{filled:.1f}" height="{height}"/></svg>'
    )
