"""Inline SVG bar charts for the release page: no script, no external file, readable without CSS."""

from __future__ import annotations

from html import escape

BAR = 18  # height of a horizontal bar, px
LABEL = 150  # width kept for labels of horizontal bars, px


def hbar_chart(items: list[tuple[str, int]], title: str, width: int = 520) -> str:
    """Horizontal bars, one per (label, count), in the given order."""
    if not items:
        return f'<p class="empty">{escape(title)}: none.</p>'
    top = max(n for _, n in items) or 1
    span = width - LABEL - 50
    rows = []
    for i, (label, n) in enumerate(items):
        y = i * (BAR + 4)
        w = max(1, round(span * n / top))
        rows.append(
            f'<g><title>{escape(label)}: {n}</title>'
            f'<text x="{LABEL - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{w}" height="{BAR}"></rect>'
            f'<text x="{LABEL + w + 4}" y="{y + 13}">{n}</text></g>'
        )
    height = len(items) * (BAR + 4)
    return (
        f'<figure><figcaption>{escape(title)}</figcaption>'
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(rows)}</svg></figure>'
    )


def column_chart(items: list[tuple[str, int]], title: str, height: int = 160) -> str:
    """Vertical columns, one per (label, count) in order (months), labelled every few columns."""
    if not items:
        return f'<p class="empty">{escape(title)}: none.</p>'
    top = max(n for _, n in items) or 1
    col = 12
    width = max(200, len(items) * (col + 2) + 40)
    every = max(1, len(items) // 12)
    parts = []
    for i, (label, n) in enumerate(items):
        x = 30 + i * (col + 2)
        h = round((height - 40) * n / top)
        parts.append(
            f'<g><title>{escape(label)}: {n}</title>'
            f'<rect x="{x}" y="{height - 25 - h}" width="{col}" height="{h}"></rect></g>'
        )
        if i % every == 0:
            parts.append(
                f'<text class="tick" x="{x}" y="{height - 8}">{escape(label)}</text>'
            )
    parts.append(f'<text x="0" y="12">{top}</text>')
    return (
        f'<figure><figcaption>{escape(title)}</figcaption>'
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(parts)}</svg></figure>'
    )
