"""Small inline SVG charts (no script, no CDN): stacked daily bars and horizontal bars.

Every label goes through markupsafe, so a name with markup in it is shown as text.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: list[float]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return float(step)
    return float(value)


def stacked_bars(days: list[str], series: list[Series], *, width: int = 760,
                 height: int = 220, title: str = "") -> Markup:
    """One stacked bar per day; a legend on top; every 7th day labelled."""
    left, bottom, top = 36, 26, 24
    plot_w, plot_h = width - left - 8, height - bottom - top
    totals = [sum(s.values[i] for s in series) for i in range(len(days))]
    peak = _nice_max(max(totals, default=0))
    slot = plot_w / max(len(days), 1)
    parts = [_axis(left, top, plot_w, plot_h, peak)]
    for i, day in enumerate(days):
        x, base = left + i * slot + slot * 0.15, top + plot_h
        for s in series:
            h = plot_h * s.values[i] / peak
            if h > 0:
                base -= h
                parts.append(Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" '
                                    'fill="{}"><title>{} {}: {}</title></rect>').format(
                    x, base, slot * 0.7, h, s.colour, day, s.label, _num(s.values[i])))
        if i % 7 == 0 or i == len(days) - 1:
            parts.append(Markup('<text x="{:.1f}" y="{}" class="tick" text-anchor="middle">'
                                '{}</text>').format(x + slot * 0.35, height - 8, day[5:]))
    parts.append(_legend(series, left))
    return _svg(width, height, title, parts)


def hbars(rows: list[tuple[str, float | None, str]], *, maximum: float | None = None,
          colour: str = "#2f6fb2", width: int = 360, title: str = "") -> Markup:
    """One horizontal bar per (label, value, shown text); None values draw no bar."""
    row_h, label_w = 24, 96
    height = max(len(rows), 1) * row_h + 8
    peak = maximum or _nice_max(max((v for _, v, _ in rows if v is not None), default=0))
    plot_w = width - label_w - 70
    parts = []
    for i, (label, value, shown) in enumerate(rows):
        y = 4 + i * row_h
        parts.append(Markup('<text x="{}" y="{}" class="label" text-anchor="end">{}</text>')
                     .format(label_w - 6, y + 15, _short(label)))
        bar = plot_w * (value or 0) / peak if value is not None else 0
        parts.append(Markup('<rect x="{}" y="{}" width="{:.1f}" height="16" rx="2" fill="{}">'
                            '<title>{}: {}</title></rect>').format(
            label_w, y + 3, max(bar, 0), colour, label, shown))
        parts.append(Markup('<text x="{:.1f}" y="{}" class="value">{}</text>').format(
            label_w + bar + 6, y + 15, shown))
    return _svg(width, height, title, parts)


def _axis(left: float, top: float, plot_w: float, plot_h: float, peak: float) -> Markup:
    lines = []
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        lines.append(Markup('<line x1="{}" x2="{:.1f}" y1="{:.1f}" y2="{:.1f}" class="grid"/>'
                            '<text x="{}" y="{:.1f}" class="tick" text-anchor="end">{}</text>')
                     .format(left, left + plot_w, y, y, left - 4, y + 4, _num(peak * fraction)))
    return Markup("").join(lines)


def _legend(series: list[Series], left: float) -> Markup:
    items, x = [], left
    for s in series:
        items.append(Markup('<rect x="{:.0f}" y="6" width="10" height="10" fill="{}"/>'
                            '<text x="{:.0f}" y="15" class="legend">{}</text>')
                     .format(x, s.colour, x + 14, s.label))
        x += 14 + 14 * len(s.label) + 16
    return Markup("").join(items)


def _svg(width: int, height: int, title: str, parts: list[Markup]) -> Markup:
    return Markup('<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
                  'aria-label="{}">').format(width, height, width, height, title) + \
        Markup("").join(parts) + Markup("</svg>")


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _short(label: str, limit: int = 8) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"
